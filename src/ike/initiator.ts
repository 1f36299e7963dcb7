/**
 * The IKEv2 initiator core, sans I/O: `start`, `receive`, `tick` and `close` take `now` and return
 * {@link Action}s (datagrams to send, CHILD_SAs to install or remove, events); `nextDeadline` says
 * when `tick` must run next. It composes the task manager (Message IDs, retransmission, response
 * cache, fragments) with the tasks of each exchange; all shared state lives in the {@link IkeSa}.
 * The IKE SAs themselves (current, retiring, rekey and §2.8.2 collisions) are kept by `sa-set.ts`,
 * the CHILD_SAs by `children.ts`, liveness timers in `liveness.ts`.
 */
import type { KiteError } from '../errors.js';
import { ExchangeType } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { decodeHeader } from '../wire/header.js';
import type { Payload } from '../wire/payload.js';
import { ChildTable, TEMPORARY_FAILURE_GIVE_UP_MS, jitteredTime, retryTime } from './children.js';
import { resolveConfig, type InitiatorConfig, type InitiatorOptions } from './config.js';
import { childDeleteExchange, childRecreateExchange, childRekeyExchange, dpdExchange, ikeAuthExchange, ikeDeleteExchange, ikeInitExchange, mobikeExchange, quietIkeDelete } from './exchanges.js';
import { IkeSa } from './ike-sa.js';
import { dpdDue, keepaliveDue, livenessDeadline } from './liveness.js';
import { Outbox } from './outbox.js';
import { handlePeerRequest } from './peer-requests.js';
import { IkeSaSet } from './sa-set.js';
import { SaSlot } from './slot.js';
import { initiatorStatus, type InitiatorStatus } from './status.js';
import { asFailure, retransmitBudgetMs, type TaskManager } from './task-manager.js';
import { isIkeRekeyRequest } from './tasks/ike-rekey.js';
import { IkeFailure, type Exchange, type TaskContext } from './tasks/task.js';
import type { Action, ConfigReply, Endpoint, IkeEvent, InstalledChildSa } from './types.js';

export type { InitiatorStatus } from './status.js';

/** The initiator of one IKE SA. */
export class Initiator {
  readonly config: InitiatorConfig;
  /** The current IKE SA, those being retired after a rekey, and the IKE rekey state. */
  private readonly sas: IkeSaSet;
  private readonly outbox: Outbox;
  private readonly children: ChildTable;
  private configReply: ConfigReply | undefined;
  private closeDeadline = Infinity;
  private peerClosing = false;
  /** Set when our rekeys kept being refused (RFC 7296 §2.25): the IKE SA is closed once the response is handled. */
  private outOfSyncError: IkeFailure | undefined;
  /** Our NAT-T port. */
  readonly nattPort: number;

  constructor(options: InitiatorOptions) {
    this.config = resolveConfig(options);
    this.outbox = new Outbox(this.config);
    this.nattPort = this.config.localNattPort ?? 4500;
    // Talking to a NAT-T port from the start (like charon-cmd): use our NAT-T socket and the marker.
    const local = this.config.remote.port !== 500 ? { ...this.config.local, port: this.nattPort } : { ...this.config.local };
    this.children = new ChildTable(this.config, (a) => this.outbox.push(a), (n) => this.outbox.random(n));
    this.sas = new IkeSaSet(new IkeSa(true, this.outbox.random(8), local, { ...this.config.remote }), {
      slot: (sa) => this.slot(sa),
      log: (level, message) => this.outbox.log(level, message),
      event: (event) => this.outbox.event(event),
      rekeyTime: (now, soon) => (soon === true ? retryTime(now, this.outbox.random(4)) : this.rekeyTime(now, this.config.ikeRekeyMs)),
      retireWithinMs: 2 * retransmitBudgetMs(this.config.retransmit),
      outOfSync: (what) => this.outOfSync(what),
    });
  }

  private slot(sa: IkeSa): SaSlot {
    return new SaSlot(sa, {
      config: this.config,
      nattPort: this.nattPort,
      context: (slot, now) => this.outbox.context(now, slot.sa),
      out: (a) => this.outbox.push(a),
      failed: (slot, ex, err, timeout, now) => this.slotFailed(slot, ex, err, timeout, now),
      respond: (slot, type, payloads, now) => this.respond(slot, type, payloads, now),
    });
  }

  /** The current IKE SA. */
  get sa(): IkeSa {
    return this.sas.cur.sa;
  }

  private get cur(): SaSlot {
    return this.sas.cur;
  }

  private get tm(): TaskManager {
    return this.sas.cur.tm;
  }

  /** Begin: IKE_SA_INIT, then IKE_AUTH with CP and the first CHILD_SA. */
  start(now: number): Action[] {
    if (this.sa.state !== 'created') return this.outbox.flush();
    this.sa.state = 'connecting';
    this.sa.lastInbound = now;
    this.tm.enqueue(ikeInitExchange(this.outbox.context(now, this.sa), (c) => this.afterInit(c)), now);
    return this.outbox.flush();
  }

  private afterInit(ctx: TaskContext): void {
    const sa = this.sa;
    if ((sa.natT || this.config.mobike) && sa.remote.port === 500) {
      sa.local = { ...sa.local, port: this.nattPort };
      sa.remote = { ...sa.remote, port: 4500 };
      sa.peerSeesUs = undefined; // we moved: the next NAT-D answer is the new baseline
      ctx.log(2, `switching to UDP 4500 (${sa.natT ? 'NAT detected' : 'MOBIKE'})`);
    }
    this.tm.enqueue(ikeAuthExchange((c, reply, child) => this.established(c, reply, child)), ctx.now);
  }

  private established(ctx: TaskContext, reply: ConfigReply | undefined, c: InstalledChildSa | undefined): void {
    const sa = this.sa;
    sa.state = 'established';
    this.sas.rekeyAt = this.rekeyTime(ctx.now, this.config.ikeRekeyMs);
    this.configReply = reply;
    this.outbox.event({ type: 'established', spiI: toHex(sa.spiI), spiR: toHex(sa.spiR), natLocal: sa.natLocal, natRemote: sa.natRemote });
    if (c === undefined) return;
    this.children.add(c, ctx.now);
    this.outbox.event({ type: 'childUp', child: c, ...(reply === undefined ? {} : { config: reply }) });
    ctx.log(2, `CHILD_SA ${c.params.spiIn.toString(16)}_i ${c.params.spiOut.toString(16)}_o up`);
  }

  private finish(state: 'closed' | 'failed', event: IkeEvent, byPeer: boolean): void {
    if (this.sa.state === 'closed' || this.sa.state === 'failed') return;
    this.children.clear(byPeer);
    this.sa.state = state;
    this.tm.clear();
    this.closeDeadline = Infinity;
    this.sa.wipe();
    this.sas.retireOthers();
    this.outbox.event(event);
  }

  private slotFailed(slot: SaSlot, exchange: Exchange, error: KiteError, timeout: boolean, now: number): void {
    if (slot === this.cur) return this.failed(exchange, error, timeout, now);
    // A retiring SA: its own Delete retires it when done; one that stopped answering goes now.
    this.outbox.log(1, `${exchange.tasks.map((t) => t.name).join('+')} on the retiring IKE SA ${slot.sa.describe()} failed: ${error.message}`);
    if (timeout) this.sas.retire(slot);
  }

  private failed(exchange: Exchange, error: KiteError, timeout: boolean, _now: number): void {
    const state = this.sa.state;
    if (state === 'deleting') return this.finish('closed', { type: 'closed', byPeer: false }, false);
    if (state === 'established' && timeout) return this.finish('failed', { type: 'dead', reason: error.message }, false);
    if (state === 'established' && !exchange.critical) {
      this.outbox.log(1, `${exchange.tasks.map((t) => t.name).join('+')} failed: ${error.message}`);
      return;
    }
    if (state === 'connecting' && this.sa.authenticated) this.deleteQuietly(exchange);
    this.finish('failed', { type: 'failed', error }, false);
  }

  /**
   * Our `what` kept being refused with TEMPORARY_FAILURE for several minutes: RFC 7296 §2.25 says
   * the state is out of sync and the IKE SA SHOULD be closed. Nothing more is sent on it; the
   * Delete and the `failed` event follow once the current message is handled ({@link giveUpIfOutOfSync}).
   */
  private outOfSync(what: string): void {
    if (this.outOfSyncError !== undefined) return;
    this.tm.clear();
    const minutes = TEMPORARY_FAILURE_GIVE_UP_MS / 60_000;
    this.outOfSyncError = new IkeFailure(
      'OUT_OF_SYNC',
      `the gateway kept refusing our ${what} with TEMPORARY_FAILURE for ${minutes} minutes: its state and ours are out of sync (RFC 7296 §2.25); deleting the IKE SA`,
      'nothing to configure: with a reconnect policy Kite connects afresh (INITIAL_CONTACT clears the gateway\'s stale state); if it recurs, look in the gateway\'s log for the exchange it is stuck on',
    );
  }

  /** Close the IKE SA after {@link outOfSync}: one Delete without waiting, CHILD_SAs down, `failed`. */
  private giveUpIfOutOfSync(): void {
    const error = this.outOfSyncError;
    if (error === undefined) return;
    this.outOfSyncError = undefined;
    if (this.sa.state !== 'established') return;
    this.outbox.log(0, error.message);
    this.deleteQuietly(undefined);
    this.finish('failed', { type: 'failed', error }, false);
  }

  /** The IKE SA is up on the gateway but we give up on it (CHILD_SA refused, or out of sync): one Delete, no wait. */
  private deleteQuietly(exchange: Exchange | undefined): void {
    try {
      this.cur.send(quietIkeDelete(this.sa, exchange, (n) => this.outbox.random(n)), this.sa.lastOutbound);
    } catch (e) {
      this.outbox.log(1, `could not send the Delete: ${asFailure(e).message}`);
    }
  }

  private respond(slot: SaSlot, exchangeType: number, payloads: readonly Payload[], now: number): Payload[] {
    const ctx = this.outbox.context(now, slot.sa);
    if (exchangeType === ExchangeType.CREATE_CHILD_SA && isIkeRekeyRequest(payloads)) {
      return this.sas.answerRekey(slot, ctx, payloads, this.sa.state === 'established');
    }
    const r = handlePeerRequest(ctx, exchangeType, payloads, this.children);
    if (r.deleteIke && this.sas.peerDeleted(slot)) this.peerClosing = true;
    return r.response;
  }

  /** Feed one datagram (without the non-ESP marker) received on `path`. */
  receive(datagram: Uint8Array, path: { local: Endpoint; remote: Endpoint }, now: number): Action[] {
    try {
      this.receiveInner(datagram, now);
    } catch (e) {
      this.outbox.log(1, `dropped a message from ${path.remote.address}:${path.remote.port}: ${asFailure(e).message}`);
    }
    return this.outbox.flush();
  }

  private receiveInner(buf: Uint8Array, now: number): void {
    const sa = this.sa;
    if (sa.state === 'created' || sa.state === 'closed' || sa.state === 'failed') return;
    const header = decodeHeader(buf);
    if (header.majorVersion !== 2) return;
    if (header.exchangeType === ExchangeType.IKE_SA_INIT) return this.cur.receiveInit(buf, header, now);
    const slot = this.sas.find(header);
    if (slot === undefined) return;
    slot.receive(buf, header, now);
    this.sas.afterRequest(now);
    this.giveUpIfOutOfSync();
    if (this.peerClosing) this.finish('closed', { type: 'closed', byPeer: true }, true);
  }

  /** Run timers: retransmission, DPD, NAT-T keepalive, close timeout. */
  tick(now: number): Action[] {
    this.sas.tickOthers(now);
    this.tm.tick(now);
    const sa = this.sa;
    if (now >= this.closeDeadline) this.finish('closed', { type: 'closed', byPeer: false }, false);
    if (sa.state === 'established') {
      if (dpdDue(sa, this.config, this.tm, now)) this.tm.enqueue(this.dpd(), now);
      for (const child of this.children.due(now)) this.startChildRekey(child, now);
      if (now >= this.sas.rekeyAt && !this.sas.rekeying) this.sas.startRekey(now);
      const keepalive = keepaliveDue(sa, this.config, now);
      if (keepalive !== undefined) {
        this.outbox.push(keepalive);
        sa.lastOutbound = now;
      }
    }
    this.giveUpIfOutOfSync();
    return this.outbox.flush();
  }

  /** When `tick` must next run (ms, same clock as `now`; Infinity when nothing is pending). */
  nextDeadline(): number {
    const sa = this.sa;
    let t = Math.min(this.tm.nextDeadline(), this.closeDeadline);
    if (sa.state === 'established') {
      t = Math.min(t, livenessDeadline(sa, this.config, this.tm), this.children.nextRekey(), this.sas.rekeying ? Infinity : this.sas.rekeyAt);
    }
    return Math.min(t, this.sas.othersDeadline());
  }

  /** Delete the IKE SA (and with it its CHILD_SAs); `closed` follows the response or the timeout. */
  close(now: number): Action[] {
    const sa = this.sa;
    if (sa.state === 'established') {
      sa.state = 'deleting';
      this.closeDeadline = now + this.config.closeTimeoutMs;
      this.tm.clear();
      this.tm.enqueue(ikeDeleteExchange(true, () => this.finish('closed', { type: 'closed', byPeer: false }, false)), now);
    } else if (sa.state === 'connecting' || sa.state === 'created') {
      this.finish('closed', { type: 'closed', byPeer: false }, false);
    }
    return this.outbox.flush();
  }

  /** Delete one CHILD_SA (by its inbound SPI). */
  deleteChild(spiIn: number, now: number): Action[] {
    if (this.children.get(spiIn) !== undefined && this.sa.state === 'established') this.queueChildDelete(spiIn, now);
    return this.outbox.flush();
  }

  private queueChildDelete(spiIn: number, now: number): void {
    this.tm.enqueue(childDeleteExchange(spiIn, this.children), now);
  }

  /** Rekey one CHILD_SA now (make-before-break; also runs by itself at the soft lifetime). */
  rekeyChild(spiIn: number, now: number): Action[] {
    const c = this.children.get(spiIn);
    if (c !== undefined && this.sa.state === 'established') this.startChildRekey(c, now);
    return this.outbox.flush();
  }

  private startChildRekey(old: InstalledChildSa, now: number): void {
    this.tm.enqueue(childRekeyExchange(old, this.children, {
      deleteChild: (spi, t) => this.queueChildDelete(spi, t),
      recreate: (lost, t) => {
        this.outbox.log(1, `the gateway no longer has CHILD_SA ${lost.params.spiIn.toString(16)}_i ${lost.params.spiOut.toString(16)}_o (CHILD_SA_NOT_FOUND): creating a fresh one (RFC 7296 §2.25)`);
        this.tm.enqueue(childRecreateExchange(lost, this.children), t);
      },
      outOfSync: (what) => this.outOfSync(what),
    }), now);
  }

  /**
   * Our address changed (MOBIKE, RFC 4555): move the IKE SA to `local` (same port scheme) and send
   * UPDATE_SA_ADDRESSES; `pathChanged` follows the peer's answer, and CHILD_SAs are re-announced
   * with the new UDP encapsulation endpoints. Without MOBIKE on both sides this fails with NO_MOBIKE.
   */
  updateLocalAddress(local: Endpoint, now: number): Action[] {
    const sa = this.sa;
    if (sa.state !== 'established' || !this.config.mobike || !sa.peer.mobike) {
      this.outbox.log(1, 'cannot move the IKE SA: MOBIKE is not negotiated');
      return this.outbox.flush();
    }
    sa.local = { ...local };
    this.tm.enqueue(mobikeExchange(sa, (l, r) => this.pathChanged(l, r)), now);
    return this.outbox.flush();
  }

  /** Rekey the IKE SA now (CHILD_SAs are kept; also runs by itself at `ikeRekeyMs`). */
  rekeyIke(now: number): Action[] {
    if (this.sa.state === 'established') this.sas.startRekey(now);
    return this.outbox.flush();
  }

  private rekeyTime(now: number, after: number): number {
    return jitteredTime(now, after, this.config.rekeyJitterMs, this.outbox.random(4));
  }

  private dpd(): Exchange {
    const mobike = this.config.mobike && this.sa.peer.mobike;
    return dpdExchange(mobike, (now) => {
      this.outbox.log(1, 'the gateway sees us from a new address (NAT mapping changed): updating the path');
      this.tm.enqueue(mobikeExchange(this.sa, (l, r) => this.pathChanged(l, r)), now);
    });
  }

  private pathChanged(l: Endpoint, r: Endpoint): void {
    this.outbox.event({ type: 'pathChanged', local: l, remote: r });
    this.children.moved(this.sa.natT ? { local: l, remote: r } : undefined);
  }

  /** Authenticated traffic from the peer arrived outside IKE (e.g. ESP): it is alive, DPD can wait. */
  noteInbound(now: number): void {
    this.sa.lastInbound = Math.max(this.sa.lastInbound, now);
  }

  /** A liveness check now (also runs by itself after `dpdDelayMs` of silence). */
  checkLiveness(now: number): Action[] {
    if (this.sa.state === 'established') this.tm.enqueue(this.dpd(), now);
    return this.outbox.flush();
  }

  /** Snapshot of the SA. */
  status(): InitiatorStatus {
    return initiatorStatus(this.sa, this.children.list(), this.configReply, { ike: this.sas.rekeying ? Infinity : this.sas.rekeyAt, children: this.children.rekeyTimes() });
  }
}
