/**
 * Encrypted Fragment payload SKF (RFC 7383 §2.5): Fragment Number (2 octets), Total Fragments
 * (2 octets), then IV | ciphertext | ICV as in SK. Next Payload names the first inner payload in
 * fragment 1 and is 0 in the others. For AEAD suites the associated data runs from the IKE header
 * to the end of the Total Fragments field.
 */
import { ParseError } from '../../errors.js';
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkField, checkUint } from './common.js';

/** Octets between the SKF generic header and the body: Fragment Number and Total Fragments. */
export const SKF_FRAGMENT_FIELDS_LENGTH = 4;

/** SKF payload record. */
export interface SkfPayload {
  readonly type: typeof PayloadType.SKF;
  readonly critical: boolean;
  /** Next Payload of the generic header (first inner payload type in fragment 1, else 0). */
  readonly innerNextPayload: number;
  /** Fragment Number, 1-based. */
  readonly fragmentNumber: number;
  /** Total Fragments. */
  readonly totalFragments: number;
  /** IV | ciphertext | ICV. */
  readonly body: Uint8Array;
}

/**
 * Decode an SKF payload body. Fragment Number 0, Total Fragments 0 or a number above the total
 * are ruled out by RFC 7383 §2.5 and throw BAD_VALUE.
 */
export function decodeSkfPayload(r: Reader, critical: boolean, nextPayload: number): SkfPayload {
  const at = r.offset;
  const fragmentNumber = r.u16('skf.fragmentNumber');
  const totalFragments = r.u16('skf.totalFragments');
  if (fragmentNumber === 0 || totalFragments === 0 || fragmentNumber > totalFragments) {
    throw new ParseError('BAD_VALUE', 'skf.fragmentNumber', at, `fragment ${fragmentNumber} of ${totalFragments}`);
  }
  return {
    type: PayloadType.SKF,
    critical,
    innerNextPayload: nextPayload,
    fragmentNumber,
    totalFragments,
    body: r.copy(r.remaining, 'skf.body'),
  };
}

/** Encode an SKF payload body. */
export function encodeSkfPayload(w: Writer, p: SkfPayload): void {
  checkUint(p.totalFragments, 0xffff, 'skf.totalFragments');
  checkField(p.fragmentNumber >= 1 && p.fragmentNumber <= p.totalFragments, 'skf.fragmentNumber', p.fragmentNumber);
  w.u16(p.fragmentNumber).u16(p.totalFragments).bytes(p.body);
}
