/**
 * Encrypted and Authenticated payload SK (RFC 7296 §3.14, Figure 21): Initialization Vector,
 * encrypted IKE payloads with padding and Pad Length, Integrity Checksum Data. The generic
 * header's Next Payload names the first inner payload. The codec only splits the body; `ike/`
 * decrypts and checks the ICV (the wire layer never imports crypto).
 */
import { ParseError } from '../../errors.js';
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';

/** SK payload record. */
export interface SkPayload {
  readonly type: typeof PayloadType.SK;
  readonly critical: boolean;
  /** Next Payload of the SK generic header: the type of the first encrypted payload. */
  readonly innerNextPayload: number;
  /** Everything after the generic header: IV | ciphertext | ICV. */
  readonly body: Uint8Array;
}

/** The three parts of an SK/SKF body. All are views into the body. */
export interface SkParts {
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly icv: Uint8Array;
}

/** Decode an SK payload body; `nextPayload` is the generic header's Next Payload. */
export function decodeSkPayload(r: Reader, critical: boolean, nextPayload: number): SkPayload {
  return { type: PayloadType.SK, critical, innerNextPayload: nextPayload, body: r.copy(r.remaining, 'sk.body') };
}

/** Encode an SK payload body (the chain encoder writes `innerNextPayload` into the header). */
export function encodeSkPayload(w: Writer, p: SkPayload): void {
  w.bytes(p.body);
}

/**
 * Split an SK or SKF body into IV, ciphertext and ICV for a suite with the given IV and ICV
 * lengths. The ciphertext holds at least the Pad Length octet, so it cannot be empty; a shorter
 * body throws ParseError TRUNCATED. `base` is the body's offset for error reports.
 */
export function skSplit(body: Uint8Array, ivLength: number, icvLength: number, base = 0): SkParts {
  if (!Number.isInteger(ivLength) || !Number.isInteger(icvLength) || ivLength < 0 || icvLength < 0) {
    throw new RangeError(`skSplit: bad IV/ICV length ${ivLength}/${icvLength}`);
  }
  if (body.length < ivLength + icvLength + 1) {
    throw new ParseError('TRUNCATED', 'sk.body', base, `${body.length} octets, need IV ${ivLength} + 1 + ICV ${icvLength}`);
  }
  return {
    iv: body.subarray(0, ivLength),
    ciphertext: body.subarray(ivLength, body.length - icvLength),
    icv: body.subarray(body.length - icvLength),
  };
}
