/**
 * NAT detection (RFC 7296 §2.23): NAT_DETECTION_SOURCE_IP / _DESTINATION_IP carry
 * SHA-1(SPIi | SPIr | IP | port). Used by IKE_SA_INIT and by strongSwan's MOBIKE liveness checks.
 */
import { createHash } from 'node:crypto';
import { NotifyType, PayloadType } from '../../iana/ikev2.js';
import { ctEqual } from '../../util/ct.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies } from '../../wire/payload.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import { ipToBytes, portBytes } from '../addr.js';
import type { IkeSa } from '../ike-sa.js';
import type { Endpoint } from '../types.js';

/** SHA-1(SPIi | SPIr | IP | port). */
export function natdHash(spiI: Uint8Array, spiR: Uint8Array, ep: Endpoint): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spiI).update(spiR).update(ipToBytes(ep.address)).update(portBytes(ep.port)).digest());
}

function notify(type: number, data: Uint8Array): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: type, data };
}

/** Both NAT-D notifies for a message `sa` sends; `fake` makes the source hash unmatchable. */
export function natdNotifies(sa: IkeSa, fake: boolean, random: (n: number) => Uint8Array): NotifyPayload[] {
  const src = fake ? random(20) : natdHash(sa.spiI, sa.spiR, sa.local);
  return [notify(NotifyType.NAT_DETECTION_SOURCE_IP, src), notify(NotifyType.NAT_DETECTION_DESTINATION_IP, natdHash(sa.spiI, sa.spiR, sa.remote))];
}

/** Outcome of checking the peer's NAT-D notifies; undefined when it sent none. */
export interface NatdResult {
  /** Our address was translated (their DESTINATION hash does not match our local endpoint). */
  readonly natLocal: boolean;
  /** Their address was translated (no SOURCE hash matches the endpoint we sent to). */
  readonly natRemote: boolean;
}

/** Compare the peer's NAT-D hashes with the endpoints as we see them (RFC 7296 §2.23). */
export function checkNatd(sa: IkeSa, payloads: readonly Payload[]): NatdResult | undefined {
  const srcs = findNotifies(payloads, NotifyType.NAT_DETECTION_SOURCE_IP);
  const dsts = findNotifies(payloads, NotifyType.NAT_DETECTION_DESTINATION_IP);
  if (srcs.length === 0 || dsts.length === 0) return undefined;
  const expectSrc = natdHash(sa.spiI, sa.spiR, sa.remote);
  const expectDst = natdHash(sa.spiI, sa.spiR, sa.local);
  return {
    natRemote: !srcs.some((n) => ctEqual(n.data, expectSrc)),
    natLocal: !dsts.some((n) => ctEqual(n.data, expectDst)),
  };
}
