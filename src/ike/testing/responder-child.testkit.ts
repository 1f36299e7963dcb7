/**
 * CHILD_SA bookkeeping of the test responder: creation in IKE_AUTH, answering the initiator's
 * rekey, and rekeying itself (request and completion), with keys derived per RFC 7296 §2.17 from
 * the creating exchange's nonces. Not part of the build.
 */
import { randomBytes } from 'node:crypto';
import { createKeyExchange, type KeyExchange } from '../../crypto/ke.js';
import { deriveChildKeys } from '../../crypto/keymat.js';
import { integInfo } from '../../crypto/integ.js';
import { encrInfo, encrKeyMaterialLength } from '../../crypto/sk-cipher.js';
import { NotifyType, PayloadType, ProtocolId, TransformType } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { Proposal } from '../../wire/payloads/sa.js';
import type { AnyTrafficSelector } from '../../wire/payloads/ts.js';
import type { IkeSa } from '../ike-sa.js';
import { espAlgorithms } from '../negotiate.js';
import { spiBytes } from '../tasks/child-keys.js';
import { spiNumber } from '../tasks/informational.js';

/** The responder's view of one CHILD_SA. */
export interface ResponderChild {
  /** SPI the initiator receives on. */
  readonly spiI: number;
  /** SPI the responder receives on. */
  readonly spiR: number;
  /** ENCR key (+salt) for initiator -> responder traffic, and the other direction. */
  readonly encrToR: Uint8Array;
  readonly encrToI: Uint8Array;
  readonly proposal: Proposal;
  readonly tsi: readonly AnyTrafficSelector[];
  readonly tsr: readonly AnyTrafficSelector[];
}

/** A rekey the responder started, awaiting the initiator's response. */
export interface PendingRekey {
  readonly old: ResponderChild;
  readonly spiR: Uint8Array;
  readonly nonce: Uint8Array;
  readonly ke: KeyExchange | undefined;
}

const u32 = spiNumber;
const spi4 = spiBytes;

/** Keys of a CHILD_SA; `responderInitiated`: the creating exchange was started by the responder. */
export function makeChild(sa: IkeSa, proposal: Proposal, spiI: number, spiR: number, nonces: { ni: Uint8Array; nr: Uint8Array }, responderInitiated: boolean, ts: { tsi: readonly AnyTrafficSelector[]; tsr: readonly AnyTrafficSelector[] }, secret?: Uint8Array): ResponderChild {
  const alg = espAlgorithms(proposal);
  const encr = encrInfo(alg.encrId);
  const integLen = alg.integId === 0 ? 0 : integInfo(alg.integId)?.keyLength ?? 0;
  if (encr === undefined || sa.prf === undefined || sa.keys === undefined) throw new Error('test responder: no keys');
  const keys = deriveChildKeys(sa.prf, sa.keys.skD, { nonceI: nonces.ni, nonceR: nonces.nr, ...(secret === undefined ? {} : { sharedSecret: secret }) }, { encrKeyLength: encrKeyMaterialLength(encr, alg.keyLengthBits), integKeyLength: integLen });
  return { spiI, spiR, encrToR: responderInitiated ? keys.encrR : keys.encrI, encrToI: responderInitiated ? keys.encrI : keys.encrR, proposal, tsi: ts.tsi, tsr: ts.tsr };
}

/** First proposal of the initiator, one transform per type, with a fresh responder SPI. */
export function pickFirst(p: Proposal): Proposal {
  return { ...p, transforms: p.transforms.filter((t, i, all) => all.findIndex((x) => x.type === t.type) === i), spi: new Uint8Array(randomBytes(4)) };
}

/**
 * Answer the initiator's CREATE_CHILD_SA: a CHILD_SA rekey (REKEY_SA naming one of `children`),
 * or a new CHILD_SA (no REKEY_SA); a rekey of an SA it does not have gets CHILD_SA_NOT_FOUND with
 * the protocol and SPI of the REKEY_SA (RFC 7296 §2.25).
 */
export function answerRekey(sa: IkeSa, req: readonly Payload[], children: readonly ResponderChild[], nonceFill?: number): { payloads: Payload[]; child?: ResponderChild } {
  const rekey = findNotifies(req, NotifyType.REKEY_SA)[0];
  const saP = findPayload(req, PayloadType.SA);
  const ni = findPayload(req, PayloadType.NONCE);
  const keP = findPayload(req, PayloadType.KE);
  const first = saP?.proposals[0];
  const old = rekey === undefined ? undefined : children.find((c) => c.spiI === u32(rekey.spi));
  const tsi = findPayload(req, PayloadType.TSi)?.selectors ?? [];
  const tsr = findPayload(req, PayloadType.TSr)?.selectors ?? [];
  if (rekey !== undefined && old === undefined) {
    return { payloads: [{ type: PayloadType.NOTIFY, critical: false, protocolId: rekey.protocolId, spi: rekey.spi, notifyType: NotifyType.CHILD_SA_NOT_FOUND, data: new Uint8Array(0) }] };
  }
  if (first === undefined || ni === undefined) {
    return { payloads: [{ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.INVALID_SYNTAX, data: new Uint8Array(0) }] };
  }
  const chosen = pickFirst(first);
  const nr = nonceFill === undefined ? new Uint8Array(randomBytes(32)) : new Uint8Array(32).fill(nonceFill);
  const ke = keP === undefined ? undefined : createKeyExchange(keP.group);
  const secret = ke === undefined || keP === undefined ? undefined : ke.computeSharedSecret(keP.data);
  const child = makeChild(sa, chosen, u32(first.spi), u32(chosen.spi), { ni: ni.data, nr }, false, { tsi, tsr }, secret);
  const ipcomp = findNotifies(req, NotifyType.IPCOMP_SUPPORTED).length > 0;
  const payloads: Payload[] = [
    ...(ipcomp ? [{ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.IPCOMP_SUPPORTED, data: Uint8Array.of(0x12, 0x35, 2) } as const] : []),
    { type: PayloadType.SA, critical: false, proposals: [chosen] },
    { type: PayloadType.NONCE, critical: false, data: nr },
    ...(ke === undefined || keP === undefined ? [] : [{ type: PayloadType.KE, critical: false, group: keP.group, data: ke.publicKey } as const]),
    { type: PayloadType.TSi, critical: false, selectors: tsi },
    { type: PayloadType.TSr, critical: false, selectors: tsr },
  ];
  return { payloads, child };
}

/** The responder's own rekey request for `old` (`group`: PFS). */
export function rekeyRequest(old: ResponderChild, group?: number, nonceFill?: number): { payloads: Payload[]; pending: PendingRekey } {
  const spiR = new Uint8Array(randomBytes(4));
  const nonce = nonceFill === undefined ? new Uint8Array(randomBytes(32)) : new Uint8Array(32).fill(nonceFill);
  const ke = group === undefined ? undefined : createKeyExchange(group);
  const proposal = { ...old.proposal, spi: spiR, transforms: [...old.proposal.transforms, ...(group === undefined ? [] : [{ type: TransformType.KE, id: group }])] };
  const payloads: Payload[] = [
    { type: PayloadType.NOTIFY, critical: false, protocolId: ProtocolId.ESP, spi: spi4(old.spiR), notifyType: NotifyType.REKEY_SA, data: new Uint8Array(0) },
    { type: PayloadType.SA, critical: false, proposals: [proposal] },
    { type: PayloadType.NONCE, critical: false, data: nonce },
    ...(ke === undefined || group === undefined ? [] : [{ type: PayloadType.KE, critical: false, group, data: ke.publicKey } as const]),
    { type: PayloadType.TSi, critical: false, selectors: old.tsr },
    { type: PayloadType.TSr, critical: false, selectors: old.tsi },
  ];
  return { payloads, pending: { old, spiR, nonce, ke } };
}

/** The initiator answered our rekey: the new CHILD_SA. */
export function completeRekey(sa: IkeSa, p: PendingRekey, resp: readonly Payload[]): ResponderChild | undefined {
  const chosen = findPayload(resp, PayloadType.SA)?.proposals[0];
  const nr = findPayload(resp, PayloadType.NONCE);
  if (chosen === undefined || nr === undefined) return undefined;
  const keP = findPayload(resp, PayloadType.KE);
  const secret = p.ke !== undefined && keP !== undefined ? p.ke.computeSharedSecret(keP.data) : undefined;
  return makeChild(sa, { ...chosen, spi: p.spiR }, u32(chosen.spi), u32(p.spiR), { ni: p.nonce, nr: nr.data }, true, { tsi: p.old.tsi, tsr: p.old.tsr }, secret);
}
