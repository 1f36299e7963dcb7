/**
 * An IKEv2 responder built for tests from Kite's own codec and crypto: real KE, real keys, real
 * RSA/ECDSA signatures with the committed test certificates. It answers IKE_SA_INIT, IKE_AUTH
 * (CP, one CHILD_SA; `responder-auth`), CREATE_CHILD_SA (`responder-child`, `responder-ike`) and
 * INFORMATIONAL, initiates DPD, rekeys and Deletes, and misbehaves on request (COOKIE,
 * INVALID_KE_PAYLOAD, error notifies, bad AUTH). When its own IKE rekey crosses the initiator's
 * (RFC 7296 §2.8.2) it keeps both new SAs and lets the test play the resolution (`promote`); a
 * rekey request on an SA it already rekeyed gets TEMPORARY_FAILURE. Not part of the build.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { createKeyExchange } from '../../crypto/ke.js';
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import { bytesEqual } from '../../util/bytes.js';
import { decodeHeader, type IkeHeader } from '../../wire/header.js';
import { decodeMessage, encodeMessage } from '../../wire/message.js';
import type { Payload } from '../../wire/payload.js';
import { filterPayloads, findNotifies, findPayload } from '../../wire/payload.js';
import type { TrafficSelector } from '../../wire/payloads/ts.js';
import type { IkeIdentity } from '../config.js';
import { FragmentReassembler } from '../fragment.js';
import { IkeSa } from '../ike-sa.js';
import { ikeAlgorithms } from '../negotiate.js';
import { answerIkeRekey, chooseIke, completeIkeRekey, ikeRekeyRequest, isIkeRekey, type PendingIkeRekey } from './responder-ike.testkit.js';
import { answerAuth, notify, u32 } from './responder-auth.testkit.js';
import { spiBytes } from '../tasks/child-keys.js';
import { answerRekey, completeRekey, rekeyRequest, type PendingRekey, type ResponderChild } from './responder-child.testkit.js';

export type { ResponderChild } from './responder-child.testkit.js';
import { headerFor, protect, unprotect } from '../protect.js';
import { natdHash } from '../tasks/ike-natd.js';
import type { Endpoint } from '../types.js';

/** Ways the test responder can be configured or made to misbehave. */
export interface TestResponderOptions {
  readonly local: Endpoint;
  readonly privateKey: KeyObject;
  readonly certificates: readonly Uint8Array[];
  readonly id: IkeIdentity;
  /** KE groups accepted, in preference order (default: any the initiator sent). */
  readonly groups?: readonly number[];
  readonly cookie?: boolean;
  readonly fragmentation?: boolean;
  readonly fragmentSize?: number;
  readonly signatureHashes?: boolean;
  readonly mobike?: boolean;
  /** Virtual IPv4 addresses handed out (all of them, like older iked). */
  readonly pool?: readonly string[];
  readonly dns?: readonly string[];
  /**
   * Answer with this error notify in IKE_SA_INIT, IKE_AUTH, inside IKE_AUTH for the CHILD_SA, to
   * CHILD / IKE rekeys, or to a CREATE_CHILD_SA for a new CHILD_SA (`create`, no REKEY_SA).
   */
  readonly error?: { readonly where: 'init' | 'auth' | 'child' | 'rekey' | 'ike-rekey' | 'create'; readonly notifyType: number; readonly data?: Uint8Array };
  /** Do not echo COOKIE2. */
  readonly badCookie2?: boolean;
  /** Fill the nonces of CHILD_SA rekeys with this octet (collision tests). */
  readonly rekeyNonceFill?: number;
  /** Corrupt our AUTH signature. */
  readonly badAuth?: boolean;
  /** TSr to answer with (default: the initiator's). */
  readonly tsr?: readonly TrafficSelector[];
  /** Pretend the initiator is behind a NAT (NAT_DETECTION_DESTINATION_IP will not match). */
  readonly natInitiator?: boolean;
}

/** The test responder (one IKE SA). */
export class TestResponder {
  sa: IkeSa | undefined;
  child: ResponderChild | undefined;
  /** Every CHILD_SA it created, oldest first (deleted ones removed). */
  children: ResponderChild[] = [];
  /** Responses the initiator sent to our requests (decrypted). */
  readonly responses: { exchangeType: number; payloads: readonly Payload[] }[] = [];
  private pendingRekey: PendingRekey | undefined;
  closed = false;
  /** Requests received per exchange type (duplicates included). */
  readonly received: number[] = [];
  /** Payload lists of decrypted initiator requests, in order. */
  readonly requests: { exchangeType: number; payloads: readonly Payload[] }[] = [];
  initiatorAuthVerified = false;
  private readonly cached = new Map<IkeSa, { messageId: number; packets: Uint8Array[] }>();
  /** IKE SAs replaced by a rekey, kept until deleted. */
  retired: IkeSa[] = [];
  private pendingIkeRekey: PendingIkeRekey | undefined;
  private readonly reassembler = new FragmentReassembler();
  private peerFragmentation = false;
  private peerSha = false;
  private readonly cookieSecret = new Uint8Array(randomBytes(16));

  constructor(readonly o: TestResponderOptions) {
    this.natInitiator = o.natInitiator === true;
  }

  /** Handle one datagram (no non-ESP marker) from `from`; returns the datagrams to send back. */
  receive(buf: Uint8Array, from: Endpoint, now: number): Uint8Array[] {
    const h = decodeHeader(buf);
    this.received.push(h.exchangeType);
    if (h.exchangeType === ExchangeType.IKE_SA_INIT) return h.response ? [] : this.init(buf, h, from);
    const sa = [this.sa, ...this.retired].find((x) => x !== undefined && bytesEqual(h.spiI, x.spiI) && bytesEqual(h.spiR, x.spiR));
    if (sa === undefined) return [];
    if (h.response) {
      const r = unprotect(sa, buf, this.reassembler, now);
      if (r.state !== 'complete' || h.messageId !== sa.nextRequestId) return [];
      sa.nextRequestId = h.messageId + 1;
      this.responses.push({ exchangeType: h.exchangeType, payloads: r.payloads });
      this.onResponse(sa, h.exchangeType, r.payloads);
      return [];
    }
    this.lastFrom = from;
    const cached = this.cached.get(sa);
    if (cached !== undefined && h.messageId === cached.messageId) return cached.packets;
    if (h.messageId !== sa.nextPeerRequestId) return [];
    const r = unprotect(sa, buf, this.reassembler, now);
    if (r.state !== 'complete') return [];
    this.requests.push({ exchangeType: h.exchangeType, payloads: r.payloads });
    const payloads = h.exchangeType === ExchangeType.IKE_AUTH ? this.auth(r.payloads)
      : h.exchangeType === ExchangeType.CREATE_CHILD_SA ? this.rekeyAnswer(sa, r.payloads)
      : this.informational(sa, r.payloads);
    const packets = protect(sa, { exchangeType: h.exchangeType, response: true, messageId: h.messageId, payloads, ...(this.peerFragmentation ? { fragmentSize: this.o.fragmentSize ?? 1228 } : {}) });
    this.cached.set(sa, { messageId: h.messageId, packets });
    sa.nextPeerRequestId = h.messageId + 1;
    const next = this.swapTo;
    this.swapTo = undefined;
    // While our own IKE rekey crosses theirs (RFC 7296 §2.8.2) we keep both new SAs; the test decides.
    if (next !== undefined && this.pendingIkeRekey === undefined) this.promote(next);
    else if (next !== undefined) this.retired.push(next);
    return packets;
  }

  /** Make `sa` the current IKE SA; the current one is kept (retired) until deleted. */
  promote(sa: IkeSa): void {
    this.retired = this.retired.filter((x) => x !== sa);
    if (this.sa !== undefined && this.sa !== sa) this.retired.push(this.sa);
    this.sa = sa;
  }

  private swapTo: IkeSa | undefined;
  /** Pretend the initiator is behind a NAT from now on (initially `natInitiator`). */
  natInitiator: boolean;
  private lastFrom: Endpoint | undefined;
  /** Paths the initiator moved to with UPDATE_SA_ADDRESSES. */
  readonly pathUpdates: Endpoint[] = [];

  private onResponse(sa: IkeSa, exchangeType: number, payloads: readonly Payload[]): void {
    if (exchangeType !== ExchangeType.CREATE_CHILD_SA) return;
    if (this.pendingIkeRekey !== undefined) {
      const next = completeIkeRekey(sa, this.pendingIkeRekey, payloads);
      this.pendingIkeRekey = undefined;
      if (next !== undefined) this.promote(next);
      return;
    }
    if (this.pendingRekey !== undefined) this.addChild(completeRekey(sa, this.pendingRekey, payloads));
  }

  private plain(h: IkeHeader, spiR: Uint8Array, payloads: Payload[]): Uint8Array {
    return encodeMessage({ header: { ...h, spiR, flags: 0x20, initiator: false, response: true }, payloads });
  }

  private init(buf: Uint8Array, h: IkeHeader, from: Endpoint): Uint8Array[] {
    // A retransmitted IKE_SA_INIT gets the same answer (RFC 7296 §2.1).
    if (this.sa !== undefined && bytesEqual(buf, this.sa.initMessageIn)) return [this.sa.initMessageOut];
    const m = decodeMessage(buf);
    const zero = new Uint8Array(8);
    if (this.o.cookie === true) {
      const c = findNotifies(m.payloads, NotifyType.COOKIE)[0];
      if (c === undefined || !bytesEqual(c.data, this.cookieSecret)) return [this.plain(h, zero, [notify(NotifyType.COOKIE, this.cookieSecret)])];
    }
    if (this.o.error?.where === 'init') return [this.plain(h, zero, [notify(this.o.error.notifyType, this.o.error.data)])];
    const saP = findPayload(m.payloads, PayloadType.SA);
    const keP = findPayload(m.payloads, PayloadType.KE);
    const nonceP = findPayload(m.payloads, PayloadType.NONCE);
    if (saP === undefined || keP === undefined || nonceP === undefined) return [this.plain(h, zero, [notify(NotifyType.INVALID_SYNTAX)])];
    const chosen = chooseIke(saP.proposals, keP.group, this.o.groups);
    if (chosen === undefined) return [this.plain(h, zero, [notify(NotifyType.NO_PROPOSAL_CHOSEN)])];
    if (chosen.group !== keP.group) return [this.plain(h, zero, [notify(NotifyType.INVALID_KE_PAYLOAD, Uint8Array.of(chosen.group >>> 8, chosen.group & 0xff))])];
    if (this.sa !== undefined && this.sa.state === 'established') this.retired.push(this.sa); // reauthentication: the old SA lives on until deleted
    const sa = new IkeSa(false, new Uint8Array(randomBytes(8)), this.o.local, from);
    sa.spiI = h.spiI.slice();
    sa.nonceI = nonceP.data.slice();
    sa.nonceR = new Uint8Array(randomBytes(32));
    const ke = createKeyExchange(chosen.group);
    const secret = ke.computeSharedSecret(keP.data);
    sa.deriveKeys(ikeAlgorithms(chosen.proposal), secret);
    this.peerSha = findNotifies(m.payloads, NotifyType.SIGNATURE_HASH_ALGORITHMS).length > 0;
    this.peerFragmentation = this.o.fragmentation !== false && findNotifies(m.payloads, NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).length > 0;
    const out: Payload[] = [
      { type: PayloadType.SA, critical: false, proposals: [chosen.proposal] },
      { type: PayloadType.KE, critical: false, group: chosen.group, data: ke.publicKey },
      { type: PayloadType.NONCE, critical: false, data: sa.nonceR },
      notify(NotifyType.NAT_DETECTION_SOURCE_IP, natdHash(sa.spiI, sa.spiR, this.o.local)),
      notify(NotifyType.NAT_DETECTION_DESTINATION_IP, this.natInitiator ? new Uint8Array(randomBytes(20)) : natdHash(sa.spiI, sa.spiR, from)),
    ];
    if (this.o.fragmentation !== false) out.push(notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
    if (this.o.signatureHashes !== false) out.push(notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, Uint8Array.of(0, 2, 0, 3, 0, 4)));
    const bytes = this.plain(h, sa.spiR, out);
    sa.initMessageIn = buf.slice();
    sa.initMessageOut = bytes;
    sa.nextPeerRequestId = 1;
    this.sa = sa;
    return [bytes];
  }

  private auth(req: readonly Payload[]): Payload[] {
    const r = answerAuth(this.o, this.sa as IkeSa, req, this.peerSha);
    this.initiatorAuthVerified = r.verified;
    this.addChild(r.child);
    return r.payloads;
  }

  private addChild(c: ResponderChild | undefined): void {
    if (c === undefined) return;
    this.children.push(c);
    this.child = c;
  }

  private rekeyAnswer(sa: IkeSa, req: readonly Payload[]): Payload[] {
    if (isIkeRekey(req)) {
      // §2.8.2: an SA we already rekeyed is one we are closing.
      if (sa !== this.sa) return [notify(NotifyType.TEMPORARY_FAILURE)];
      if (this.o.error?.where === 'ike-rekey') return [notify(this.o.error.notifyType)];
      const r = answerIkeRekey(sa, req);
      if (r === undefined) return [notify(NotifyType.INVALID_SYNTAX)];
      this.swapTo = r.sa;
      return r.payloads;
    }
    const where = findNotifies(req, NotifyType.REKEY_SA).length > 0 ? 'rekey' : 'create';
    if (this.o.error?.where === where) return [notify(this.o.error.notifyType)];
    const r = answerRekey(sa, req, this.children, this.o.rekeyNonceFill);
    this.addChild(r.child);
    return r.payloads;
  }

  private informational(sa: IkeSa, req: readonly Payload[]): Payload[] {
    if (findNotifies(req, NotifyType.UPDATE_SA_ADDRESSES).length > 0 && this.lastFrom !== undefined) {
      const from = this.lastFrom;
      sa.remote = from;
      this.pathUpdates.push(from);
      const cookie2 = findNotifies(req, NotifyType.COOKIE2)[0];
      return [
        notify(NotifyType.NAT_DETECTION_SOURCE_IP, natdHash(sa.spiI, sa.spiR, this.o.local)),
        notify(NotifyType.NAT_DETECTION_DESTINATION_IP, this.natInitiator ? new Uint8Array(randomBytes(20)) : natdHash(sa.spiI, sa.spiR, from)),
        ...(cookie2 === undefined || this.o.badCookie2 === true ? [] : [notify(NotifyType.COOKIE2, cookie2.data)]),
      ];
    }
    if (findNotifies(req, NotifyType.NAT_DETECTION_SOURCE_IP).length > 0 && this.lastFrom !== undefined) {
      return [
        notify(NotifyType.NAT_DETECTION_SOURCE_IP, natdHash(sa.spiI, sa.spiR, this.o.local)),
        notify(NotifyType.NAT_DETECTION_DESTINATION_IP, this.natInitiator ? new Uint8Array(randomBytes(20)) : natdHash(sa.spiI, sa.spiR, this.lastFrom)),
      ];
    }
    const deletes = filterPayloads(req, PayloadType.DELETE);
    if (deletes.some((d) => d.protocolId === ProtocolId.IKE)) {
      if (sa === this.sa) this.closed = true;
      else this.retired = this.retired.filter((x) => x !== sa);
      return [];
    }
    const esp = deletes.find((d) => d.protocolId === ProtocolId.ESP);
    if (esp !== undefined) {
      const gone = this.children.filter((c) => esp.spis.some((s) => u32(s) === c.spiI));
      this.children = this.children.filter((c) => !gone.includes(c));
      this.child = this.children.at(-1);
      return [{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: gone.map((c) => spiBytes(c.spiR)) }];
    }
    return [];
  }

  /**
   * Build a request of ours: 'dpd' (empty), 'natd' (strongSwan MOBIKE style), 'delete-ike',
   * 'delete-child' (of `child`, default the latest), 'rekey-child' (of `child`; PFS with `group`).
   */
  request(kind: 'dpd' | 'natd' | 'delete-ike' | 'delete-child' | 'rekey-child' | 'rekey-ike', child = this.child, group?: number, on: IkeSa | undefined = this.sa): Uint8Array[] {
    const sa = on as IkeSa;
    let payloads: Payload[] = [];
    const exchangeType = kind === 'rekey-child' || kind === 'rekey-ike' ? ExchangeType.CREATE_CHILD_SA : ExchangeType.INFORMATIONAL;
    if (kind === 'rekey-ike') {
      const r = ikeRekeyRequest(sa);
      payloads = r.payloads;
      this.pendingIkeRekey = r.pending;
    }
    if (kind === 'rekey-child' && child !== undefined) {
      const r = rekeyRequest(child, group, this.o.rekeyNonceFill);
      payloads = r.payloads;
      this.pendingRekey = r.pending;
    }
    if (kind === 'natd') payloads = [notify(NotifyType.NAT_DETECTION_SOURCE_IP, natdHash(sa.spiI, sa.spiR, sa.local)), notify(NotifyType.NAT_DETECTION_DESTINATION_IP, natdHash(sa.spiI, sa.spiR, sa.remote))];
    if (kind === 'delete-ike') payloads = [{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.IKE, spiSize: 0, spis: [] }];
    if (kind === 'delete-child' && child !== undefined) {
      this.children = this.children.filter((c) => c !== child);
      this.child = this.children.at(-1);
      payloads = [{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: [spiBytes(child.spiR)] }];
    }
    return protect(sa, { exchangeType, response: false, messageId: sa.nextRequestId, payloads });
  }

  /** A request of ours with arbitrary payloads (for malformed-request tests). */
  requestPayloads(exchangeType: number, payloads: readonly Payload[]): Uint8Array[] {
    const sa = this.sa as IkeSa;
    return protect(sa, { exchangeType, response: false, messageId: sa.nextRequestId, payloads });
  }

  /** The header this responder would put on a message (for crafting malformed ones). */
  header(exchangeType: number, response: boolean, messageId: number): IkeHeader {
    return headerFor(this.sa as IkeSa, exchangeType, response, messageId);
  }
}
