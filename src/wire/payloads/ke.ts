/**
 * Key Exchange payload (RFC 7296 §3.4, Figure 10): Diffie-Hellman Group Num (2 octets), RESERVED
 * (2 octets), Key Exchange Data.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** KE payload record. */
export interface KePayload {
  readonly type: typeof PayloadType.KE;
  readonly critical: boolean;
  /** Diffie-Hellman Group Num (`KeGroup`). */
  readonly group: number;
  /** Key Exchange Data (public value in the group's IKE encoding). */
  readonly data: Uint8Array;
}

/** Decode a KE payload body. */
export function decodeKePayload(r: Reader, critical: boolean): KePayload {
  const group = r.u16('ke.group');
  r.skip(2, 'ke.reserved');
  return { type: PayloadType.KE, critical, group, data: r.copy(r.remaining, 'ke.data') };
}

/** Encode a KE payload body. */
export function encodeKePayload(w: Writer, p: KePayload): void {
  checkUint(p.group, 0xffff, 'ke.group');
  w.u16(p.group).u16(0).bytes(p.data);
}
