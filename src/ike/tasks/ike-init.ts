/**
 * IKE_SA_INIT (RFC 7296 §1.2): SA, KE for the first offered group, Nonce, NAT detection,
 * IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383), SIGNATURE_HASH_ALGORITHMS (RFC 7427); COOKIE echo
 * (§2.6) and one INVALID_KE_PAYLOAD retry with a group we offered (§1.2). The response's error
 * notifies are unauthenticated (§2.21) and reported as such.
 */
import { createKeyExchange, type KeyExchange } from '../../crypto/ke.js';
import { KiteError } from '../../errors.js';
import { ExchangeType, HashAlgorithm, NotifyType, PayloadType, keGroupNames } from '../../iana/ikev2.js';
import { nameOf } from '../../iana/names.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import { checkChosen, ikeAlgorithms, offeredGroups } from '../negotiate.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import { checkNatd, natdNotifies } from './ike-natd.js';
import { IkeFailure, UnauthenticatedError, type Task, type TaskContext, type TaskResult } from './task.js';

const NONCE_LENGTH = 32;
const MAX_COOKIE_ROUNDS = 3;

function notify(type: number, data: Uint8Array = new Uint8Array(0)): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: type, data };
}

/** Data of our SIGNATURE_HASH_ALGORITHMS: SHA2-256, SHA2-384, SHA2-512. */
export const OUR_SIGNATURE_HASHES = [HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512] as const;

function u16list(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => { out[2 * i] = v >>> 8; out[2 * i + 1] = v & 0xff; });
  return out;
}

/** The IKE_SA_INIT task. */
export class IkeInitTask implements Task {
  readonly name = 'IKE_SA_INIT';
  private ke: KeyExchange | undefined;
  private nonce: Uint8Array | undefined;
  private cookie: Uint8Array | undefined;
  private cookieRounds = 0;
  private keRetried = false;
  private group: number;

  constructor(private readonly offered: readonly number[]) {
    const first = offered[0];
    if (first === undefined) throw new IkeFailure('CONFIG', 'no KE group in the IKE proposals', 'add a key exchange group to the IKE proposal');
    this.group = first;
  }

  /** Create from the configured proposals. */
  static fromConfig(ctx: TaskContext): IkeInitTask {
    return new IkeInitTask(offeredGroups(ctx.config.ikeProposals));
  }

  build(ctx: TaskContext): Payload[] {
    const { sa, config } = ctx;
    this.ke ??= createKeyExchange(this.group);
    this.nonce ??= ctx.random(NONCE_LENGTH);
    sa.nonceI = this.nonce;
    const out: Payload[] = [];
    if (this.cookie !== undefined) out.push(notify(NotifyType.COOKIE, this.cookie));
    out.push({ type: PayloadType.SA, critical: false, proposals: config.ikeProposals });
    out.push({ type: PayloadType.KE, critical: false, group: this.group, data: this.ke.publicKey });
    out.push({ type: PayloadType.NONCE, critical: false, data: this.nonce });
    out.push(...natdNotifies(sa, config.fakeNat, ctx.random));
    if (config.fragmentation) out.push(notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
    out.push(notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, u16list(OUR_SIGNATURE_HASHES)));
    return out;
  }

  private retryable(ctx: TaskContext, response: readonly Payload[]): TaskResult | undefined {
    const cookie = findNotifies(response, NotifyType.COOKIE)[0];
    if (cookie !== undefined) {
      if (++this.cookieRounds > MAX_COOKIE_ROUNDS) throw new UnauthenticatedError(new IkeFailure('COOKIE_LOOP', 'the peer keeps asking for a COOKIE', 'the gateway is under load or misconfigured; retry later'));
      this.cookie = cookie.data.slice();
      ctx.sa.spiR = new Uint8Array(8);
      ctx.log(2, 'peer asked for a COOKIE, retrying IKE_SA_INIT');
      return 'retry';
    }
    const invalidKe = findNotifies(response, NotifyType.INVALID_KE_PAYLOAD)[0];
    if (invalidKe === undefined) return undefined;
    const asked = invalidKe.data.length === 2 ? ((invalidKe.data[0] as number) << 8) | (invalidKe.data[1] as number) : -1;
    if (this.keRetried || !this.offered.includes(asked) || asked === this.group) {
      throw new UnauthenticatedError(new IkeFailure('INVALID_KE_PAYLOAD', `the peer wants KE group ${nameOf(keGroupNames, asked)}, which we ${this.offered.includes(asked) ? 'already tried' : 'did not offer'}`, 'offer a key exchange group the gateway accepts', NotifyType.INVALID_KE_PAYLOAD));
    }
    this.keRetried = true;
    this.group = asked;
    this.ke = undefined;
    ctx.sa.spiR = new Uint8Array(8);
    ctx.log(2, `peer asked for KE group ${nameOf(keGroupNames, asked)}, retrying IKE_SA_INIT`);
    return 'retry';
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    try {
      return this.processUnauthenticated(ctx, response);
    } catch (e) {
      // Nothing in an IKE_SA_INIT response is authenticated (RFC 7296 §2.21): a bad choice, a bad
      // KE value or a bad nonce may be forged, so none of it ends the attempt by itself.
      if (e instanceof KiteError && !(e instanceof UnauthenticatedError)) throw new UnauthenticatedError(e);
      throw e;
    }
  }

  private processUnauthenticated(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const retry = this.retryable(ctx, response);
    if (retry !== undefined) return retry;
    const err = findErrorNotify(response);
    if (err !== undefined) throw new UnauthenticatedError(peerFailure(err, { exchange: ExchangeType.IKE_SA_INIT, offered: ctx.config.ikeProposals }));
    const { sa, config } = ctx;
    const saP = findPayload(response, PayloadType.SA);
    const keP = findPayload(response, PayloadType.KE);
    const nonceP = findPayload(response, PayloadType.NONCE);
    if (saP === undefined || keP === undefined || nonceP === undefined) throw new UnauthenticatedError(new IkeFailure('INVALID_SYNTAX', 'IKE_SA_INIT response lacks SA, KE or Nonce', 'the gateway is misbehaving; report it with a capture'));
    const chosen = checkChosen(config.ikeProposals, saP);
    const alg = ikeAlgorithms(chosen);
    if (alg.group !== this.group || keP.group !== this.group) throw new UnauthenticatedError(new IkeFailure('INVALID_CHOICE', `peer chose KE group ${alg.group} but we sent ${this.group}`, 'the gateway is misbehaving; report it with a capture'));
    if (nonceP.data.length < 16 || nonceP.data.length > 256) throw new UnauthenticatedError(new IkeFailure('INVALID_SYNTAX', `Nonce of ${nonceP.data.length} octets`, 'the gateway is misbehaving; report it with a capture'));
    const ke = this.ke;
    if (ke === undefined) throw new IkeFailure('INTERNAL', 'no KE state', '');
    const secret = ke.computeSharedSecret(keP.data);
    sa.nonceR = nonceP.data.slice();
    sa.deriveKeys(alg, secret);
    secret.fill(0);
    this.capabilities(ctx, response);
    return 'done';
  }

  private capabilities(ctx: TaskContext, response: readonly Payload[]): void {
    const { sa, config } = ctx;
    sa.peer.fragmentation = config.fragmentation && findNotifies(response, NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).length > 0;
    const sha = findNotifies(response, NotifyType.SIGNATURE_HASH_ALGORITHMS)[0];
    if (sha !== undefined) {
      for (let i = 0; i + 1 < sha.data.length; i += 2) sa.peer.signatureHashes.push(((sha.data[i] as number) << 8) | (sha.data[i + 1] as number));
    }
    sa.peerSeesUs = findNotifies(response, NotifyType.NAT_DETECTION_DESTINATION_IP)[0]?.data.slice();
    const natd = checkNatd(sa, response);
    if (natd !== undefined) {
      sa.natLocal = natd.natLocal || config.fakeNat;
      sa.natRemote = natd.natRemote;
    }
    ctx.log(2, `IKE_SA_INIT done: ${sa.describe()} nat local=${sa.natLocal} remote=${sa.natRemote} frag=${sa.peer.fragmentation}`);
  }
}
