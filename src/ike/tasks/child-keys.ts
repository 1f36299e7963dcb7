/**
 * Turning a negotiated ESP proposal into {@link ChildSaParams} (RFC 7296 §2.17): KEYMAT =
 * prf+(SK_d, [g^ir (new) |] Ni | Nr) with the nonces of the exchange that created the CHILD_SA;
 * keys for traffic from that exchange's initiator come first. Shared by IKE_AUTH's CHILD_SA and
 * CREATE_CHILD_SA in both roles.
 */
import { deriveChildKeys } from '../../crypto/keymat.js';
import { integInfo } from '../../crypto/integ.js';
import { encrInfo, encrKeyMaterialLength } from '../../crypto/sk-cipher.js';
import type { ChildSaIpcomp, ChildSaParams } from '../../esp/child-sa.js';
import type { Proposal } from '../../wire/payloads/sa.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies } from '../../wire/payload.js';
import { IpcompTransform, NotifyType, PayloadType } from '../../iana/ikev2.js';
import type { IkeSa } from '../ike-sa.js';
import { espAlgorithms } from '../negotiate.js';
import { IkeFailure } from './task.js';

/** Inputs of {@link childSaParams}. */
export interface ChildSaInputs {
  readonly sa: IkeSa;
  /** The chosen proposal (its SPI is the responder's of the creating exchange). */
  readonly chosen: Proposal;
  /** Our inbound SPI and the peer's. */
  readonly spiIn: number;
  readonly spiOut: number;
  /** Nonces of the creating exchange, initiator's first. */
  readonly nonceI: Uint8Array;
  readonly nonceR: Uint8Array;
  /** g^ir of a PFS exchange. */
  readonly sharedSecret?: Uint8Array;
  /** True when we initiated the creating exchange. */
  readonly weInitiated: boolean;
  readonly transport: boolean;
  readonly ipcomp?: ChildSaIpcomp;
}

/** Read a 4-octet SPI. */
export function spiOf(b: Uint8Array): number {
  if (b.length !== 4) throw new IkeFailure('INVALID_SYNTAX', `ESP SPI of ${b.length} octets`, 'the gateway is misbehaving; report it with a capture');
  return (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
}

/** Write a 4-octet SPI. */
export function spiBytes(spi: number): Uint8Array {
  return Uint8Array.of(spi >>> 24, (spi >>> 16) & 0xff, (spi >>> 8) & 0xff, spi & 0xff);
}

/** Our IPCOMP_SUPPORTED notify: CPI and DEFLATE (RFC 7296 §3.10.1). */
export function ipcompNotify(cpi: number): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.IPCOMP_SUPPORTED, data: Uint8Array.of(cpi >>> 8, cpi & 0xff, IpcompTransform.IPCOMP_DEFLATE) };
}

/** IPComp for a CHILD_SA: both sides sent IPCOMP_SUPPORTED (ours with `ourCpi`). */
export function negotiatedIpcomp(ourCpi: number | undefined, peer: readonly Payload[]): ChildSaIpcomp | undefined {
  const n = findNotifies(peer, NotifyType.IPCOMP_SUPPORTED)[0];
  if (ourCpi === undefined || n === undefined || n.data.length < 3) return undefined;
  return { cpiIn: ourCpi, cpiOut: ((n.data[0] as number) << 8) | (n.data[1] as number), transform: n.data[2] as number };
}

/** Derive the keys and assemble the CHILD_SA record. */
export function childSaParams(c: ChildSaInputs): ChildSaParams {
  const { sa } = c;
  if (sa.keys === undefined || sa.prf === undefined) throw new IkeFailure('INTERNAL', 'no IKE keys', '');
  if (c.spiOut === 0) throw new IkeFailure('INVALID_SYNTAX', 'ESP SPI 0', 'the gateway is misbehaving; report it with a capture');
  const alg = espAlgorithms(c.chosen);
  const encr = encrInfo(alg.encrId);
  if (encr === undefined) throw new IkeFailure('UNSUPPORTED_ENCR', `ESP ENCR ${alg.encrId} is not supported`, 'offer only ESP algorithms Kite supports');
  const integLen = alg.integId === 0 ? 0 : integInfo(alg.integId)?.keyLength ?? 0;
  const inputs = { nonceI: c.nonceI, nonceR: c.nonceR, ...(c.sharedSecret === undefined ? {} : { sharedSecret: c.sharedSecret }) };
  const keys = deriveChildKeys(sa.prf, sa.keys.skD, inputs, { encrKeyLength: encrKeyMaterialLength(encr, alg.keyLengthBits), integKeyLength: integLen });
  keys.keymat.fill(0);
  const [encIn, intIn, encOut, intOut] = c.weInitiated ? [keys.encrR, keys.integR, keys.encrI, keys.integI] : [keys.encrI, keys.integI, keys.encrR, keys.integR];
  return {
    spiIn: c.spiIn,
    spiOut: c.spiOut,
    encrId: alg.encrId,
    keyLengthBits: alg.keyLengthBits,
    integId: alg.integId,
    esn: alg.esn,
    encrKeyIn: encIn,
    encrKeyOut: encOut,
    ...(integLen > 0 ? { integKeyIn: intIn, integKeyOut: intOut } : {}),
    mode: c.transport ? 'transport' : 'tunnel',
    ...(c.ipcomp === undefined ? {} : { ipcomp: c.ipcomp }),
  };
}
