/**
 * Notify payload (RFC 7296 §3.10, Figure 16): Protocol ID (1 octet), SPI Size (1 octet), Notify
 * Message Type (2 octets), SPI, Notification Data.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** Notify payload record. */
export interface NotifyPayload {
  readonly type: typeof PayloadType.NOTIFY;
  readonly critical: boolean;
  /** Protocol ID (`ProtocolId`, 0 when no SA is concerned). */
  readonly protocolId: number;
  /** SPI of the SA concerned (empty when SPI Size is 0). */
  readonly spi: Uint8Array;
  /** Notify Message Type (`NotifyType`). */
  readonly notifyType: number;
  /** Notification Data. */
  readonly data: Uint8Array;
}

/** Decode a Notify payload body. */
export function decodeNotifyPayload(r: Reader, critical: boolean): NotifyPayload {
  const protocolId = r.u8('notify.protocolId');
  const spiSize = r.u8('notify.spiSize');
  const notifyType = r.u16('notify.notifyType');
  const spi = r.copy(spiSize, 'notify.spi');
  return { type: PayloadType.NOTIFY, critical, protocolId, spi, notifyType, data: r.copy(r.remaining, 'notify.data') };
}

/** Encode a Notify payload body (SPI Size is the SPI's length). */
export function encodeNotifyPayload(w: Writer, p: NotifyPayload): void {
  checkUint(p.protocolId, 0xff, 'notify.protocolId');
  checkUint(p.spi.length, 0xff, 'notify.spi length');
  checkUint(p.notifyType, 0xffff, 'notify.notifyType');
  w.u8(p.protocolId).u8(p.spi.length).u16(p.notifyType).bytes(p.spi).bytes(p.data);
}
