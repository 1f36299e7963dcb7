/**
 * Delete payload (RFC 7296 §3.11, Figure 17): Protocol ID (1 octet), SPI Size (1 octet), Num of SPIs
 * (2 octets), then Num of SPIs SPIs of SPI Size octets each. Deleting the IKE SA uses protocol 1
 * with SPI Size 0 and no SPIs.
 */
import { ParseError } from '../../errors.js';
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { WIRE_LIMITS } from '../limits.js';
import { checkField, checkLimit, checkUint, expectEnd } from './common.js';

/** Delete payload record. */
export interface DeletePayload {
  readonly type: typeof PayloadType.DELETE;
  readonly critical: boolean;
  /** Protocol ID (`ProtocolId`). */
  readonly protocolId: number;
  /** SPI Size (kept even with no SPIs, so that the octet round-trips). */
  readonly spiSize: number;
  /** SPIs to delete, each `spiSize` octets. */
  readonly spis: readonly Uint8Array[];
}

/** Decode a Delete payload body. */
export function decodeDeletePayload(r: Reader, critical: boolean): DeletePayload {
  const protocolId = r.u8('delete.protocolId');
  const spiSize = r.u8('delete.spiSize');
  const at = r.offset;
  const count = r.u16('delete.numSpis');
  checkLimit(count, WIRE_LIMITS.maxDeleteSpis, 'delete.numSpis', at);
  if (count * spiSize !== r.remaining) {
    throw new ParseError('BAD_LENGTH', 'delete.spis', r.offset, `${count} SPIs of ${spiSize} octets in ${r.remaining}`);
  }
  const spis: Uint8Array[] = [];
  for (let i = 0; i < count; i++) spis.push(r.copy(spiSize, 'delete.spi'));
  expectEnd(r, 'delete');
  return { type: PayloadType.DELETE, critical, protocolId, spiSize, spis };
}

/** Encode a Delete payload body; every SPI must be `spiSize` octets long. */
export function encodeDeletePayload(w: Writer, p: DeletePayload): void {
  checkUint(p.protocolId, 0xff, 'delete.protocolId');
  checkUint(p.spiSize, 0xff, 'delete.spiSize');
  checkUint(p.spis.length, 0xffff, 'delete.spis count');
  w.u8(p.protocolId).u8(p.spiSize).u16(p.spis.length);
  for (const spi of p.spis) {
    checkField(spi.length === p.spiSize, 'delete.spi length', spi.length);
    w.bytes(spi);
  }
}
