/**
 * Building a protected message (RFC 7296 §3.14, RFC 7383 §2.5) without crypto in the wire layer:
 * the envelope is the encoded message with the SK or SKF body zeroed, plus views of the octets
 * the cipher needs. `ike/` fills `body` with IV | ciphertext | ICV in place: for AEAD suites the
 * associated data is `aad` (header through the SK/SKF header, all lengths final); for integrity
 * suites the ICV covers `bytes[0 .. length - icvLength)`.
 */
import { PayloadType } from '../iana/ikev2.js';
import type { IkeHeader } from './header.js';
import { encodeMessage, findSkPayloadOffset } from './message.js';
import type { Payload } from './payload.js';
import { checkField, checkUint } from './payloads/common.js';

/** What goes into the SK or SKF payload. */
export interface SkEnvelopeSpec {
  /** Type of the first inner payload (0 for an empty SK, and in SKF fragments after the first). */
  readonly innerNextPayload: number;
  /** Length of IV | ciphertext (with padding and Pad Length) | ICV. */
  readonly bodyLength: number;
  /** Present for an SKF fragment. */
  readonly fragment?: { readonly fragmentNumber: number; readonly totalFragments: number };
}

/** An encoded message awaiting its SK/SKF body. */
export interface SkEnvelope {
  /** The whole message; the body octets are zero until filled. */
  readonly bytes: Uint8Array;
  /** Offset of the body (the IV) in `bytes`. */
  readonly bodyOffset: number;
  /** View of `bytes[0 .. bodyOffset)`: the AEAD associated data. */
  readonly aad: Uint8Array;
  /** View of the body to fill. */
  readonly body: Uint8Array;
}

/**
 * Encode `header` and `before` (unencrypted payloads, normally none) followed by an SK or SKF
 * payload of `spec.bodyLength` zero octets; header length and Next Payload fields are final.
 */
export function encodeSkEnvelope(header: IkeHeader, spec: SkEnvelopeSpec, before: readonly Payload[] = []): SkEnvelope {
  checkUint(spec.bodyLength, 0xffff, 'sk body length');
  checkUint(spec.innerNextPayload, 0xff, 'sk innerNextPayload');
  const body = new Uint8Array(spec.bodyLength);
  const sk: Payload = spec.fragment === undefined
    ? { type: PayloadType.SK, critical: false, innerNextPayload: spec.innerNextPayload, body }
    : { type: PayloadType.SKF, critical: false, innerNextPayload: spec.innerNextPayload, ...spec.fragment, body };
  const bytes = encodeMessage({ header, payloads: [...before, sk] });
  const at = findSkPayloadOffset(bytes);
  checkField(at !== undefined, 'sk envelope', 'no SK payload');
  const bodyOffset = at?.bodyOffset ?? 0;
  return { bytes, bodyOffset, aad: bytes.subarray(0, bodyOffset), body: bytes.subarray(bodyOffset) };
}
