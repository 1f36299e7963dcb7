/**
 * IKE SA rekeying (RFC 7296 §1.3.2, §2.18): CREATE_CHILD_SA with SA (new SPI), Nonce and KE; the
 * new SA's SKEYSEED = prf_old(SK_d (old), g^ir (new) | Ni | Nr), its keys prf+ under the new PRF
 * with the new SPIs; the exchange's initiator is the new SA's original initiator, message IDs
 * restart at 0, CHILD_SAs move over unchanged. We initiate it (iked never does) and answer
 * strongSwan's.
 */
import { createKeyExchange, type KeyExchange } from '../../crypto/ke.js';
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findPayload } from '../../wire/payload.js';
import type { Proposal } from '../../wire/payloads/sa.js';
import { IkeSa, type IkeAlgorithms } from '../ike-sa.js';
import { checkChosen, ikeAlgorithms } from '../negotiate.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import { selectForPeer } from './child-rekey.js';
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

const NONCE_LENGTH = 32;

/** The new IKE SA from a rekey exchange (`weInitiated`: we sent the CREATE_CHILD_SA). */
export function rekeyedSa(old: IkeSa, alg: IkeAlgorithms, p: { weInitiated: boolean; spiOurs: Uint8Array; spiPeer: Uint8Array; nonceI: Uint8Array; nonceR: Uint8Array; sharedSecret: Uint8Array }): IkeSa {
  if (old.keys === undefined || old.prf === undefined) throw new IkeFailure('INTERNAL', 'IKE rekey without keys', '');
  const sa = new IkeSa(p.weInitiated, p.spiOurs, old.local, old.remote);
  if (p.weInitiated) sa.spiR = p.spiPeer.slice();
  else sa.spiI = p.spiPeer.slice();
  sa.nonceI = p.nonceI;
  sa.nonceR = p.nonceR;
  sa.deriveKeys(alg, p.sharedSecret, { prf: old.prf, skD: old.keys.skD });
  sa.peer = { ...old.peer, signatureHashes: [...old.peer.signatureHashes] };
  sa.natLocal = old.natLocal;
  sa.natRemote = old.natRemote;
  sa.peerSeesUs = undefined; // NAT-D hashes cover the SPIs: the new SA starts a new baseline
  sa.authenticated = true;
  sa.state = 'established';
  sa.lastInbound = old.lastInbound;
  sa.lastOutbound = old.lastOutbound;
  return sa;
}

/** Our rekey of the IKE SA. */
export class IkeRekeyTask implements Task {
  readonly name = 'IKE_REKEY';
  private spi: Uint8Array | undefined;
  private nonce: Uint8Array | undefined;
  private ke: KeyExchange | undefined;
  /** The new IKE SA, once negotiated. */
  newSa: IkeSa | undefined;

  build(ctx: TaskContext): Payload[] {
    const group = ctx.sa.algorithms?.group;
    if (group === undefined) throw new IkeFailure('INTERNAL', 'IKE rekey before IKE_SA_INIT', '');
    this.spi ??= ctx.random(8);
    this.nonce = ctx.random(NONCE_LENGTH);
    this.ke = createKeyExchange(group);
    const spi = this.spi;
    return [
      { type: PayloadType.SA, critical: false, proposals: ctx.config.ikeProposals.map((p) => ({ ...p, spi })) },
      { type: PayloadType.NONCE, critical: false, data: this.nonce },
      { type: PayloadType.KE, critical: false, group, data: this.ke.publicKey },
    ];
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    if (err !== undefined) throw peerFailure(err, { exchange: ExchangeType.CREATE_CHILD_SA, offered: ctx.config.ikeProposals });
    const saP = findPayload(response, PayloadType.SA);
    const nonceP = findPayload(response, PayloadType.NONCE);
    const keP = findPayload(response, PayloadType.KE);
    const { spi, nonce, ke } = this;
    if (saP === undefined || nonceP === undefined || keP === undefined || spi === undefined || nonce === undefined || ke === undefined) {
      throw new IkeFailure('INVALID_SYNTAX', 'the IKE rekey response lacks SA, Nonce or KE', 'the gateway is misbehaving; report it with a capture');
    }
    const chosen = checkChosen(ctx.config.ikeProposals.map((p) => ({ ...p, spi })), saP);
    const alg = ikeAlgorithms(chosen);
    if (keP.group !== alg.group) throw new IkeFailure('INVALID_SYNTAX', `KE group ${keP.group} differs from the chosen ${alg.group}`, 'the gateway is misbehaving; report it with a capture');
    const secret = ke.computeSharedSecret(keP.data);
    this.newSa = rekeyedSa(ctx.sa, alg, { weInitiated: true, spiOurs: spi, spiPeer: chosen.spi, nonceI: nonce, nonceR: nonceP.data.slice(), sharedSecret: secret });
    secret.fill(0);
    return 'done';
  }
}

/** Is this CREATE_CHILD_SA request a rekey of the IKE SA? */
export function isIkeRekeyRequest(req: readonly Payload[]): boolean {
  return findPayload(req, PayloadType.SA)?.proposals[0]?.protocolId === ProtocolId.IKE;
}

/** Answer the peer's IKE SA rekey: the response and the new IKE SA (we are its responder). */
export function respondIkeRekey(ctx: TaskContext, req: readonly Payload[]): { response: Payload[]; newSa?: IkeSa } {
  const refuse = (type: number, data: Uint8Array = new Uint8Array(0)): { response: Payload[] } => ({ response: [{ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: type, data }] });
  const saP = findPayload(req, PayloadType.SA);
  const nonceP = findPayload(req, PayloadType.NONCE);
  const keP = findPayload(req, PayloadType.KE);
  if (saP === undefined || nonceP === undefined || keP === undefined) return refuse(NotifyType.INVALID_SYNTAX);
  const chosen: Proposal | undefined = selectForPeer(ctx.config.ikeProposals, saP.proposals, keP.group);
  if (chosen === undefined || chosen.spi.length !== 8) return refuse(NotifyType.NO_PROPOSAL_CHOSEN);
  const alg = ikeAlgorithms(chosen);
  if (alg.group !== keP.group) return refuse(NotifyType.INVALID_KE_PAYLOAD, Uint8Array.of(alg.group >>> 8, alg.group & 0xff));
  const ke = createKeyExchange(keP.group);
  const secret = ke.computeSharedSecret(keP.data);
  const spi = ctx.random(8);
  const nonceR = ctx.random(NONCE_LENGTH);
  const newSa = rekeyedSa(ctx.sa, alg, { weInitiated: false, spiOurs: spi, spiPeer: chosen.spi, nonceI: nonceP.data.slice(), nonceR, sharedSecret: secret });
  secret.fill(0);
  return {
    response: [
      { type: PayloadType.SA, critical: false, proposals: [{ ...chosen, spi }] },
      { type: PayloadType.NONCE, critical: false, data: nonceR },
      { type: PayloadType.KE, critical: false, group: keP.group, data: ke.publicKey },
    ],
    newSa,
  };
}
