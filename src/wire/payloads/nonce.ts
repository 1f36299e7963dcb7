/**
 * Nonce payload Ni / Nr (RFC 7296 §3.9, Figure 15): Nonce Data. The 16..256-octet size rule of
 * §3.9 is a meaning check left to `ike/`, so that the decoder stays a pure syntax check.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';

/** Nonce payload record. */
export interface NoncePayload {
  readonly type: typeof PayloadType.NONCE;
  readonly critical: boolean;
  /** Nonce Data. */
  readonly data: Uint8Array;
}

/** Decode a Nonce payload body. */
export function decodeNoncePayload(r: Reader, critical: boolean): NoncePayload {
  return { type: PayloadType.NONCE, critical, data: r.copy(r.remaining, 'nonce.data') };
}

/** Encode a Nonce payload body. */
export function encodeNoncePayload(w: Writer, p: NoncePayload): void {
  w.bytes(p.data);
}
