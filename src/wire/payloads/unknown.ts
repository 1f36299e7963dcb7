/**
 * Payloads of a type this codec does not interpret (RFC 7296 §2.5, §3.2): a non-critical one is
 * skipped by protocol code but kept here, body and all, so that a message re-encodes to the same
 * octets. A critical one is refused by the chain decoder with UNSUPPORTED_CRITICAL_PAYLOAD.
 */
import type { Reader, Writer } from '../../util/bytes.js';

/** A non-critical payload of a type Kite does not interpret. */
export interface UnknownPayload {
  /** The payload type as received. */
  readonly type: number;
  readonly critical: boolean;
  /** Marks the record as uninterpreted (the type alone cannot: a number overlaps known types). */
  readonly unknown: true;
  /** The body after the generic header. */
  readonly data: Uint8Array;
}

/** Keep the body of an uninterpreted payload. */
export function decodeUnknownPayload(r: Reader, critical: boolean, type: number): UnknownPayload {
  return { type, critical, unknown: true, data: r.copy(r.remaining, 'unknown.data') };
}

/** Write the kept body back. */
export function encodeUnknownPayload(w: Writer, p: UnknownPayload): void {
  w.bytes(p.data);
}
