/**
 * The IKE SA of the test responder: choosing the initiator's IKE_SA_INIT proposal, and rekeying
 * (RFC 7296 §2.18), assembled independently of Kite's `tasks/ike-rekey.ts` from the crypto
 * primitives: answering the initiator's rekey and rekeying itself. Not part of the build.
 */
import { randomBytes } from 'node:crypto';
import { createKeyExchange, type KeyExchange } from '../../crypto/ke.js';
import { integInfo } from '../../crypto/integ.js';
import { expandIkeKeys, rekeySkeyseed } from '../../crypto/keymat.js';
import { createPrf } from '../../crypto/prf.js';
import { createSkCipher, encrInfo, encrKeyMaterialLength } from '../../crypto/sk-cipher.js';
import { PayloadType, ProtocolId, TransformType } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findPayload } from '../../wire/payload.js';
import type { Proposal } from '../../wire/payloads/sa.js';
import { IkeSa } from '../ike-sa.js';
import { ikeAlgorithms } from '../negotiate.js';

/** The first acceptable IKE proposal, one transform per type, preferring the KE payload's group. */
export function chooseIke(offered: readonly Proposal[], keGroup: number, accepted?: readonly number[]): { proposal: Proposal; group: number } | undefined {
  for (const p of offered) {
    const pick = (type: number): Proposal['transforms'][number] | undefined => p.transforms.find((t) => t.type === type && (type !== TransformType.KE || (accepted ?? [t.id]).includes(t.id)));
    const encr = pick(TransformType.ENCR);
    const prf = pick(TransformType.PRF);
    const integ = pick(TransformType.INTEG);
    const groups = p.transforms.filter((t) => t.type === TransformType.KE && (accepted ?? [t.id]).includes(t.id));
    const ke = groups.find((t) => t.id === keGroup) ?? groups[0];
    if (encr === undefined || prf === undefined || ke === undefined) continue;
    return { proposal: { ...p, transforms: [encr, prf, ...(integ === undefined ? [] : [integ]), ke] }, group: ke.id };
  }
  return undefined;
}

/** Is this CREATE_CHILD_SA request an IKE SA rekey? */
export function isIkeRekey(req: readonly Payload[]): boolean {
  return findPayload(req, PayloadType.SA)?.proposals[0]?.protocolId === ProtocolId.IKE;
}

function newSa(old: IkeSa, proposal: Proposal, initiatorRole: boolean, spis: { spiI: Uint8Array; spiR: Uint8Array }, ni: Uint8Array, nr: Uint8Array, secret: Uint8Array): IkeSa {
  const alg = ikeAlgorithms(proposal);
  const encr = encrInfo(alg.encrId);
  if (encr === undefined || old.prf === undefined || old.keys === undefined) throw new Error('test responder: no keys');
  const sa = new IkeSa(initiatorRole, initiatorRole ? spis.spiI : spis.spiR, old.local, old.remote);
  sa.spiI = spis.spiI;
  sa.spiR = spis.spiR;
  sa.nonceI = ni;
  sa.nonceR = nr;
  const skeyseed = rekeySkeyseed(old.prf, old.keys.skD, secret, ni, nr);
  const prf = createPrf(alg.prfId);
  sa.prf = prf;
  sa.algorithms = alg;
  sa.cipher = createSkCipher(alg.encrId, alg.keyLengthBits, encr.aead ? undefined : alg.integId);
  sa.keys = expandIkeKeys({ prf, encrKeyLength: encrKeyMaterialLength(encr, alg.keyLengthBits), integKeyLength: alg.integId === 0 ? 0 : integInfo(alg.integId)?.keyLength ?? 0, nonceI: ni, nonceR: nr, spiI: sa.spiI, spiR: sa.spiR, skeyseed });
  sa.state = 'established';
  return sa;
}

/** Answer the initiator's IKE rekey: response payloads and the new SA (we are its responder). */
export function answerIkeRekey(old: IkeSa, req: readonly Payload[]): { payloads: Payload[]; sa: IkeSa } | undefined {
  const first = findPayload(req, PayloadType.SA)?.proposals[0];
  const ni = findPayload(req, PayloadType.NONCE);
  const keP = findPayload(req, PayloadType.KE);
  if (first === undefined || ni === undefined || keP === undefined) return undefined;
  const spiR = new Uint8Array(randomBytes(8));
  const chosen: Proposal = { ...first, spi: spiR, transforms: first.transforms.filter((t, i, all) => all.findIndex((x) => x.type === t.type) === i && (t.type !== TransformType.KE || t.id === keP.group)) };
  const ke = createKeyExchange(keP.group);
  const nr = new Uint8Array(randomBytes(32));
  const sa = newSa(old, chosen, false, { spiI: first.spi, spiR }, ni.data, nr, ke.computeSharedSecret(keP.data));
  return {
    payloads: [
      { type: PayloadType.SA, critical: false, proposals: [chosen] },
      { type: PayloadType.NONCE, critical: false, data: nr },
      { type: PayloadType.KE, critical: false, group: keP.group, data: ke.publicKey },
    ],
    sa,
  };
}

/** A rekey of the IKE SA started by the test responder. */
export interface PendingIkeRekey {
  readonly spiI: Uint8Array;
  readonly ni: Uint8Array;
  readonly ke: KeyExchange;
  readonly proposal: Proposal;
}

/** The test responder's IKE rekey request (same algorithms as the current SA). */
export function ikeRekeyRequest(old: IkeSa): { payloads: Payload[]; pending: PendingIkeRekey } {
  const alg = old.algorithms;
  if (alg === undefined) throw new Error('test responder: no algorithms');
  const spiI = new Uint8Array(randomBytes(8));
  const ni = new Uint8Array(randomBytes(32));
  const ke = createKeyExchange(alg.group);
  const proposal: Proposal = {
    num: 1, protocolId: ProtocolId.IKE, spi: spiI,
    transforms: [
      { type: TransformType.ENCR, id: alg.encrId, keyLength: alg.keyLengthBits },
      { type: TransformType.PRF, id: alg.prfId },
      ...(alg.integId === 0 ? [] : [{ type: TransformType.INTEG, id: alg.integId }]),
      { type: TransformType.KE, id: alg.group },
    ],
  };
  return {
    payloads: [
      { type: PayloadType.SA, critical: false, proposals: [proposal] },
      { type: PayloadType.NONCE, critical: false, data: ni },
      { type: PayloadType.KE, critical: false, group: alg.group, data: ke.publicKey },
    ],
    pending: { spiI, ni, ke, proposal },
  };
}

/** The initiator answered our IKE rekey: the new SA (we are its initiator). */
export function completeIkeRekey(old: IkeSa, p: PendingIkeRekey, resp: readonly Payload[]): IkeSa | undefined {
  const chosen = findPayload(resp, PayloadType.SA)?.proposals[0];
  const nr = findPayload(resp, PayloadType.NONCE);
  const keP = findPayload(resp, PayloadType.KE);
  if (chosen === undefined || nr === undefined || keP === undefined) return undefined;
  return newSa(old, chosen, true, { spiI: p.spiI, spiR: chosen.spi }, p.ni, nr.data, p.ke.computeSharedSecret(keP.data));
}
