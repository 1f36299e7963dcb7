/**
 * Authentication payload (RFC 7296 §3.8, Figure 14): Auth Method (1 octet), RESERVED (3 octets),
 * Authentication Data. For method 14 (RFC 7427 §3) the data starts with a length-prefixed DER
 * AlgorithmIdentifier; that split belongs to `crypto/`, here it stays opaque.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** AUTH payload record. */
export interface AuthPayload {
  readonly type: typeof PayloadType.AUTH;
  readonly critical: boolean;
  /** Auth Method (`AuthMethod`). */
  readonly method: number;
  /** Authentication Data. */
  readonly data: Uint8Array;
}

/** Decode an AUTH payload body. */
export function decodeAuthPayload(r: Reader, critical: boolean): AuthPayload {
  const method = r.u8('auth.method');
  r.skip(3, 'auth.reserved');
  return { type: PayloadType.AUTH, critical, method, data: r.copy(r.remaining, 'auth.data') };
}

/** Encode an AUTH payload body. */
export function encodeAuthPayload(w: Writer, p: AuthPayload): void {
  checkUint(p.method, 0xff, 'auth.method');
  w.u8(p.method).zeros(3).bytes(p.data);
}
