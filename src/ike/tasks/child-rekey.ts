/**
 * CHILD_SA rekeying (RFC 7296 §1.3.3, §2.8): make-before-break in both directions. We initiate
 * with `N(REKEY_SA) SA Ni [KE] TSi TSr`, install the new pair, then delete the old one; the peer's
 * rekey request is answered with `SA Nr [KE] TSi TSr` and its Delete of the old pair follows.
 * Simultaneous rekeys of one CHILD_SA are resolved by nonce (§2.8.1): the SA created by the
 * exchange holding the lowest of the four nonces is redundant and closed by its creator.
 */
import { createKeyExchange } from '../../crypto/ke.js';
import { ExchangeType, NotifyType, PayloadType, ProtocolId, TransformType } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import type { Proposal, Transform } from '../../wire/payloads/sa.js';
import { checkChosen } from '../negotiate.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import { checkResponderTs } from '../ts.js';
import type { InstalledChildSa } from '../types.js';
import { childSaParams, ipcompNotify, negotiatedIpcomp, spiBytes, spiOf } from './child-keys.js';
import type { ChildSaIpcomp } from '../../esp/child-sa.js';

function withIpcomp(ipcomp: ChildSaIpcomp | undefined): { ipcomp?: ChildSaIpcomp } {
  return ipcomp === undefined ? {} : { ipcomp };
}
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

const NONCE_LENGTH = 32;

function notify(notifyType: number, data: Uint8Array = new Uint8Array(0), spi: Uint8Array = new Uint8Array(0), protocolId = 0): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId, spi, notifyType, data };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** The smallest of some nonces (RFC 7296 §2.8.1 compares them as octet strings). */
export function lowestNonce(nonces: readonly Uint8Array[]): Uint8Array | undefined {
  return [...nonces].sort(compareBytes)[0];
}

const same = (a: Transform, b: Transform): boolean => a.type === b.type && a.id === b.id && a.keyLength === b.keyLength;

/**
 * As responder: the first of the peer's proposals we can accept, cut to one transform per type.
 * Every transform type of theirs must be matched by one proposal of ours (a KE transform is
 * accepted when it is the group of their KE payload).
 */
export function selectForPeer(ours: readonly Proposal[], theirs: readonly Proposal[], keGroup: number | undefined): Proposal | undefined {
  for (const p of theirs) {
    for (const q of ours) {
      if (p.protocolId !== q.protocolId) continue;
      const types = [...new Set(p.transforms.map((t) => t.type))];
      const picked = types.map((type) => p.transforms.find((t) => t.type === type && (type === TransformType.KE ? t.id === keGroup : q.transforms.some((o) => same(o, t)))));
      const ourTypes = new Set(q.transforms.map((t) => t.type).filter((t) => t !== TransformType.KE));
      if (picked.every((t) => t !== undefined) && [...ourTypes].every((t) => types.includes(t))) {
        return { ...p, transforms: picked as Transform[] };
      }
    }
  }
  return undefined;
}

/** What the peer's CREATE_CHILD_SA asked and what we did. */
export interface PeerRekeyOutcome {
  readonly response: Payload[];
  /** The old CHILD_SA and its replacement (installed; the old one goes on the peer's Delete). */
  readonly rekeyed?: { readonly old: InstalledChildSa; readonly child: InstalledChildSa; readonly nonces: readonly Uint8Array[] };
}

/**
 * Answer a peer's CREATE_CHILD_SA request: a rekey of one of our ESP CHILD_SAs is done; a request
 * for an additional CHILD_SA (no REKEY_SA) gets NO_ADDITIONAL_SAS (RFC 7296 §3.10.1: we accept no
 * more CHILD_SAs on this IKE SA), a rekey of an SA we do not have CHILD_SA_NOT_FOUND with its
 * protocol and SPI, a request without SA or Nonce INVALID_SYNTAX.
 */
export function respondCreateChild(ctx: TaskContext, req: readonly Payload[], findByOutboundSpi: (spi: number) => InstalledChildSa | undefined): PeerRekeyOutcome {
  const refuse = (type: number, data?: Uint8Array): PeerRekeyOutcome => ({ response: [notify(type, data)] });
  const rekey = findNotifies(req, NotifyType.REKEY_SA)[0];
  const saP = findPayload(req, PayloadType.SA);
  const nonceP = findPayload(req, PayloadType.NONCE);
  if (saP === undefined || nonceP === undefined) return refuse(NotifyType.INVALID_SYNTAX);
  if (rekey === undefined) return refuse(NotifyType.NO_ADDITIONAL_SAS);
  const old = rekey.protocolId === ProtocolId.ESP && rekey.spi.length === 4 ? findByOutboundSpi(spiOf(rekey.spi)) : undefined;
  if (old === undefined) return { response: [notify(NotifyType.CHILD_SA_NOT_FOUND, new Uint8Array(0), rekey.spi, rekey.protocolId)] };
  const keP = findPayload(req, PayloadType.KE);
  const chosen = selectForPeer(ctx.config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP })), saP.proposals, keP?.group);
  if (chosen === undefined || chosen.spi.length !== 4) return refuse(NotifyType.NO_PROPOSAL_CHOSEN);
  const wantsKe = chosen.transforms.find((t) => t.type === TransformType.KE);
  if (wantsKe !== undefined && keP === undefined) return refuse(NotifyType.INVALID_KE_PAYLOAD, Uint8Array.of(wantsKe.id >>> 8, wantsKe.id & 0xff));
  const spiIn = ctx.random(4);
  const nonceR = ctx.random(NONCE_LENGTH);
  const ke = keP === undefined || wantsKe === undefined ? undefined : createKeyExchange(keP.group);
  const secret = ke === undefined || keP === undefined ? undefined : ke.computeSharedSecret(keP.data);
  const params = childSaParams({
    sa: ctx.sa, chosen, spiIn: spiOf(spiIn), spiOut: spiOf(chosen.spi), nonceI: nonceP.data, nonceR,
    ...(secret === undefined ? {} : { sharedSecret: secret }), weInitiated: false, transport: old.params.mode === 'transport',
    ...withIpcomp(negotiatedIpcomp(ctx.config.ipcompCpi, req)),
  });
  secret?.fill(0);
  const child: InstalledChildSa = { ...old, params };
  const ourCpi = ctx.config.ipcompCpi;
  const response: Payload[] = [
    { type: PayloadType.SA, critical: false, proposals: [{ ...chosen, spi: spiIn }] },
    { type: PayloadType.NONCE, critical: false, data: nonceR },
    ...(ke === undefined || keP === undefined ? [] : [{ type: PayloadType.KE, critical: false, group: keP.group, data: ke.publicKey } as const]),
    ...(params.ipcomp === undefined || ourCpi === undefined ? [] : [ipcompNotify(ourCpi)]),
    { type: PayloadType.TSi, critical: false, selectors: old.tsRemote },
    { type: PayloadType.TSr, critical: false, selectors: old.tsLocal },
  ];
  return { response, rekeyed: { old, child, nonces: [nonceP.data, nonceR] } };
}

/** Our rekey of one CHILD_SA. */
export class ChildRekeyTask implements Task {
  readonly name: string = 'CHILD_REKEY';
  private spi: Uint8Array | undefined;
  private nonce: Uint8Array | undefined;
  private ke: ReturnType<typeof createKeyExchange> | undefined;
  /** The replacement, once negotiated. */
  child: InstalledChildSa | undefined;
  /** Our Ni and the peer's Nr, for collision resolution. */
  nonces: Uint8Array[] = [];

  constructor(readonly old: InstalledChildSa) {}

  private pfsGroup(ctx: TaskContext): number | undefined {
    for (const p of ctx.config.espProposals) for (const t of p.transforms) if (t.type === TransformType.KE && t.id !== 0) return t.id;
    return undefined;
  }

  build(ctx: TaskContext): Payload[] {
    this.spi ??= ctx.random(4);
    this.nonce = ctx.random(NONCE_LENGTH);
    const group = this.pfsGroup(ctx);
    this.ke = group === undefined ? undefined : createKeyExchange(group);
    const spi = this.spi;
    return [
      notify(NotifyType.REKEY_SA, new Uint8Array(0), spiBytes(this.old.params.spiIn), ProtocolId.ESP),
      { type: PayloadType.SA, critical: false, proposals: ctx.config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP, spi })) },
      { type: PayloadType.NONCE, critical: false, data: this.nonce },
      ...(this.ke === undefined || group === undefined ? [] : [{ type: PayloadType.KE, critical: false, group, data: this.ke.publicKey } as const]),
      ...(this.old.params.ipcomp === undefined ? [] : [ipcompNotify(this.old.params.ipcomp.cpiIn)]),
      { type: PayloadType.TSi, critical: false, selectors: this.old.tsLocal },
      { type: PayloadType.TSr, critical: false, selectors: this.old.tsRemote },
    ];
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    if (err !== undefined) throw peerFailure(err, { exchange: ExchangeType.CREATE_CHILD_SA, offered: ctx.config.espProposals });
    const saP = findPayload(response, PayloadType.SA);
    const nonceP = findPayload(response, PayloadType.NONCE);
    if (saP === undefined || nonceP === undefined || this.spi === undefined || this.nonce === undefined) throw new IkeFailure('INVALID_SYNTAX', 'CREATE_CHILD_SA response lacks SA or Nonce', 'the gateway is misbehaving; report it with a capture');
    const spi = this.spi;
    const chosen = checkChosen(ctx.config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP, spi })), saP);
    const keP = findPayload(response, PayloadType.KE);
    if ((this.ke === undefined) !== (keP === undefined)) throw new IkeFailure('INVALID_SYNTAX', 'KE payload mismatch in CREATE_CHILD_SA', 'the gateway is misbehaving; report it with a capture');
    const secret = this.ke !== undefined && keP !== undefined ? this.ke.computeSharedSecret(keP.data) : undefined;
    const ts = checkResponderTs({ tsi: this.old.tsLocal, tsr: this.old.tsRemote }, { tsi: findPayload(response, PayloadType.TSi)?.selectors ?? [], tsr: findPayload(response, PayloadType.TSr)?.selectors ?? [] });
    const params = childSaParams({
      sa: ctx.sa, chosen, spiIn: spiOf(spi), spiOut: spiOf(chosen.spi), nonceI: this.nonce, nonceR: nonceP.data,
      ...(secret === undefined ? {} : { sharedSecret: secret }), weInitiated: true, transport: this.old.params.mode === 'transport',
      ...withIpcomp(negotiatedIpcomp(this.old.params.ipcomp?.cpiIn, response)),
    });
    secret?.fill(0);
    this.nonces = [this.nonce, nonceP.data.slice()];
    // Our rekey: the peer installed the new pair before answering, so no outbound wait (`replaces`).
    const { replaces: _peerRekeyOf, ...base } = this.old;
    this.child = { ...base, params, tsLocal: ts.tsi, tsRemote: ts.tsr };
    return 'done';
  }
}

/**
 * A fresh CHILD_SA in place of one the peer no longer has (our rekey of it was answered with
 * CHILD_SA_NOT_FOUND, RFC 7296 §2.25): `SA Ni [KE] TSi TSr` without REKEY_SA (§1.3.1), with the
 * same proposals, IPComp and traffic selectors as the lost SA; keys from this exchange's nonces.
 */
export class ChildRecreateTask extends ChildRekeyTask {
  override readonly name: string = 'CHILD_CREATE';

  override build(ctx: TaskContext): Payload[] {
    const out = super.build(ctx).filter((p) => !('notifyType' in p && p.notifyType === NotifyType.REKEY_SA));
    return this.old.params.mode === 'transport' ? [notify(NotifyType.USE_TRANSPORT_MODE), ...out] : out;
  }

  override process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const r = super.process(ctx, response);
    if (this.child !== undefined) {
      // Not a rekey: nothing is replaced, outbound traffic may use it at once.
      const { replaces: _replaced, ...fresh } = this.child;
      this.child = fresh;
    }
    return r;
  }
}
