/**
 * The IKEv2 initiator core, sans I/O: `start`, `receive`, `tick` and `close` take `now` and return
 * {@link Action}s (datagrams to send, CHILD_SAs to install or remove, events); `nextDeadline` says
 * when `tick` must run next. It composes the task manager (Message IDs, retransmission, response
 * cache, fragments) with the tasks of each exchange; all shared state lives in the {@link IkeSa}.
 */
import { randomBytes } from 'node:crypto';
import type { KiteError } from '../errors.js';
import { ExchangeType } from '../iana/ikev2.js';
import { bytesEqual, toHex } from '../util/bytes.js';
import { decodeHeader } from '../wire/header.js';
import { decodeMessage } from '../wire/message.js';
import { checkMessageRules } from '../wire/message-rules.js';
import type { Payload } from '../wire/payload.js';
import { ChildTable, jitteredTime } from './children.js';
import { resolveConfig, type InitiatorConfig, type InitiatorOptions } from './config.js';
import { childDeleteExchange, childRekeyExchange, dpdExchange, ikeAuthExchange, ikeDeleteExchange, ikeInitExchange, ikeRekeyExchange, mobikeExchange, quietIkeDelete } from './exchanges.js';
import { IkeSa } from './ike-sa.js';
import { handlePeerRequest, temporaryFailure } from './peer-requests.js';
import { SaSlot } from './slot.js';
import { initiatorStatus, type InitiatorStatus } from './status.js';
import { asFailure, type TaskManager } from './task-manager.js';
import { isIkeRekeyRequest, respondIkeRekey } from './tasks/ike-rekey.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import type { Action, ConfigReply, Endpoint, IkeEvent, InstalledChildSa, LogLevel } from './types.js';

export type { InitiatorStatus } from './status.js';

/** The initiator of one IKE SA. */
export class Initiator {
  readonly config: InitiatorConfig;
  /** The current IKE SA and, during an IKE rekey hand-over, the one being retired. */
  private cur: SaSlot;
  private old: SaSlot | undefined;
  private out: Action[] = [];
  private ikeRekeyAt = Infinity;
  private ikeRekeying = false;
  private pendingSwap: IkeSa | undefined;
  private retireLater: SaSlot | undefined;
  private readonly children: ChildTable;
  private configReply: ConfigReply | undefined;
  private closeDeadline = Infinity;
  private peerClosing = false;
  /** Our NAT-T port. */
  readonly nattPort: number;

  constructor(options: InitiatorOptions) {
    this.config = resolveConfig(options);
    this.nattPort = this.config.localNattPort ?? 4500;
    // Talking to a NAT-T port from the start (like charon-cmd): use our NAT-T socket and the marker.
    const local = this.config.remote.port !== 500 ? { ...this.config.local, port: this.nattPort } : { ...this.config.local };
    this.children = new ChildTable(this.config, (a) => this.out.push(a), (n) => this.random(n));
    this.cur = this.slot(new IkeSa(true, this.random(8), local, { ...this.config.remote }));
  }

  private slot(sa: IkeSa): SaSlot {
    return new SaSlot(sa, {
      config: this.config,
      nattPort: this.nattPort,
      context: (slot, now) => this.context(now, slot.sa),
      out: (a) => this.out.push(a),
      failed: (slot, ex, err, timeout, now) => (slot === this.cur ? this.failed(ex, err, timeout, now) : this.retire(slot)),
      respond: (slot, type, payloads, now) => this.respond(slot, type, payloads, now),
    });
  }

  /** The current IKE SA. */
  get sa(): IkeSa {
    return this.cur.sa;
  }

  private get tm(): TaskManager {
    return this.cur.tm;
  }

  private random(n: number): Uint8Array {
    return this.config.random?.(n) ?? new Uint8Array(randomBytes(n));
  }

  private context(now: number, sa: IkeSa = this.sa): TaskContext {
    return {
      sa,
      config: this.config,
      now,
      emit: (a) => this.out.push(a),
      log: (level, message) => this.log(level, message),
      random: (n) => this.random(n),
    };
  }

  private log(level: LogLevel, message: string): void {
    this.out.push({ type: 'event', event: { type: 'log', level, message } });
  }

  private event(event: IkeEvent): void {
    this.out.push({ type: 'event', event });
  }

  private flush(): Action[] {
    const a = this.out;
    this.out = [];
    return a;
  }

  /** Begin: IKE_SA_INIT, then IKE_AUTH with CP and the first CHILD_SA. */
  start(now: number): Action[] {
    if (this.sa.state !== 'created') return this.flush();
    this.sa.state = 'connecting';
    this.sa.lastInbound = now;
    this.tm.enqueue(ikeInitExchange(this.context(now), (c) => this.afterInit(c)), now);
    return this.flush();
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
    this.ikeRekeyAt = this.rekeyTime(ctx.now, this.config.ikeRekeyMs);
    this.configReply = reply;
    this.event({ type: 'established', spiI: toHex(sa.spiI), spiR: toHex(sa.spiR), natLocal: sa.natLocal, natRemote: sa.natRemote });
    if (c === undefined) return;
    this.children.add(c, ctx.now);
    this.event({ type: 'childUp', child: c, ...(reply === undefined ? {} : { config: reply }) });
    ctx.log(2, `CHILD_SA ${c.params.spiIn.toString(16)}_i ${c.params.spiOut.toString(16)}_o up`);
  }

  private finish(state: 'closed' | 'failed', event: IkeEvent, byPeer: boolean): void {
    if (this.sa.state === 'closed' || this.sa.state === 'failed') return;
    this.children.clear(byPeer);
    this.sa.state = state;
    this.tm.clear();
    this.closeDeadline = Infinity;
    this.sa.wipe();
    if (this.old !== undefined) this.retire(this.old);
    this.event(event);
  }

  private failed(exchange: Exchange, error: KiteError, timeout: boolean, _now: number): void {
    const state = this.sa.state;
    if (state === 'deleting') return this.finish('closed', { type: 'closed', byPeer: false }, false);
    if (state === 'established' && timeout) return this.finish('failed', { type: 'dead', reason: error.message }, false);
    if (state === 'established' && !exchange.critical) {
      this.log(1, `${exchange.tasks.map((t) => t.name).join('+')} failed: ${error.message}`);
      return;
    }
    if (state === 'connecting' && this.sa.authenticated) this.deleteQuietly(exchange);
    this.finish('failed', { type: 'failed', error }, false);
  }

  /** The IKE SA is up on the gateway but we give up on it (CHILD_SA refused): one Delete, no wait. */
  private deleteQuietly(exchange: Exchange): void {
    try {
      this.cur.send(quietIkeDelete(this.sa, exchange, (n) => this.random(n)), this.sa.lastOutbound);
    } catch (e) {
      this.log(1, `could not send the Delete: ${asFailure(e).message}`);
    }
  }

  private respond(slot: SaSlot, exchangeType: number, payloads: readonly Payload[], now: number): Payload[] {
    const ctx = this.context(now, slot.sa);
    if (exchangeType === ExchangeType.CREATE_CHILD_SA && isIkeRekeyRequest(payloads)) {
      if (slot !== this.cur || this.ikeRekeying || this.sa.state !== 'established') return [temporaryFailure()];
      const r = respondIkeRekey(ctx, payloads);
      this.pendingSwap = r.newSa;
      return r.response;
    }
    const r = handlePeerRequest(ctx, exchangeType, payloads, this.children);
    if (r.deleteIke && slot === this.cur) this.peerClosing = true;
    if (r.deleteIke && slot !== this.cur) this.retireLater = slot;
    return r.response;
  }

  /** Drop an IKE SA that was replaced by a rekey. */
  private retire(slot: SaSlot): void {
    slot.tm.abandon(slot.sa.lastInbound);
    slot.sa.state = 'closed';
    slot.sa.wipe();
    if (this.old === slot) this.old = undefined;
  }

  /** Make `sa` (from an IKE rekey) current; the old one is kept until its Delete is done. */
  private swapTo(sa: IkeSa, now: number): void {
    const prior = this.cur;
    this.old = prior;
    this.cur = this.slot(sa);
    // RFC 7296 §2.18: after the rekey the old IKE SA carries only its Delete.
    for (const ex of prior.tm.drainQueue()) this.cur.tm.enqueue(ex, now);
    this.ikeRekeying = false;
    this.ikeRekeyAt = this.rekeyTime(now, this.config.ikeRekeyMs);
    this.event({ type: 'ikeRekeyed', spiI: toHex(sa.spiI), spiR: toHex(sa.spiR) });
    this.log(2, `IKE SA rekeyed: ${prior.sa.describe()} -> ${sa.describe()}`);
  }

  /** Feed one datagram (without the non-ESP marker) received on `path`. */
  receive(datagram: Uint8Array, path: { local: Endpoint; remote: Endpoint }, now: number): Action[] {
    try {
      this.receiveInner(datagram, now);
    } catch (e) {
      this.log(1, `dropped a message from ${path.remote.address}:${path.remote.port}: ${asFailure(e).message}`);
    }
    return this.flush();
  }

  private receiveInner(buf: Uint8Array, now: number): void {
    const sa = this.sa;
    if (sa.state === 'created' || sa.state === 'closed' || sa.state === 'failed') return;
    const header = decodeHeader(buf);
    if (header.majorVersion !== 2) return;
    if (header.exchangeType === ExchangeType.IKE_SA_INIT) {
      if (header.initiator || !header.response || !bytesEqual(header.spiI, sa.spiI) || this.tm.activeMessageId !== header.messageId || sa.keys !== undefined) return;
      const msg = decodeMessage(buf);
      checkMessageRules(header, msg.payloads);
      sa.spiR = header.spiR.slice();
      sa.initMessageIn = buf.slice();
      this.tm.onResponse(header.exchangeType, header.messageId, msg.payloads, now);
      return;
    }
    const slot = sa.keys !== undefined && this.cur.matches(header) ? this.cur : this.old?.matches(header) === true ? this.old : undefined;
    if (slot === undefined) return;
    slot.receive(buf, header, now);
    this.afterRequest(now);
  }

  private afterRequest(now: number): void {
    const next = this.pendingSwap;
    this.pendingSwap = undefined;
    if (next !== undefined) this.swapTo(next, now);
    const done = this.retireLater;
    this.retireLater = undefined;
    if (done !== undefined) this.retire(done);
    if (this.peerClosing) this.finish('closed', { type: 'closed', byPeer: true }, true);
  }

  /** Run timers: retransmission, DPD, NAT-T keepalive, close timeout. */
  tick(now: number): Action[] {
    this.old?.tm.tick(now);
    this.tm.tick(now);
    const sa = this.sa;
    if (now >= this.closeDeadline) this.finish('closed', { type: 'closed', byPeer: false }, false);
    if (sa.state === 'established') {
      const c = this.config;
      if (c.dpdDelayMs > 0 && !this.tm.busy && this.tm.queued === 0 && now - sa.lastInbound >= c.dpdDelayMs) {
        this.tm.enqueue(this.dpd(), now);
      }
      for (const child of this.children.due(now)) this.startChildRekey(child, now);
      if (now >= this.ikeRekeyAt && !this.ikeRekeying) this.startIkeRekey(now);
      if (sa.natLocal && c.keepaliveMs > 0 && now - sa.lastOutbound >= c.keepaliveMs) {
        this.out.push({ type: 'send', data: Uint8Array.of(0xff), local: { ...sa.local }, remote: { ...sa.remote }, marker: false });
        sa.lastOutbound = now;
      }
    }
    return this.flush();
  }

  /** When `tick` must next run (ms, same clock as `now`; Infinity when nothing is pending). */
  nextDeadline(): number {
    const sa = this.sa;
    let t = Math.min(this.tm.nextDeadline(), this.closeDeadline);
    if (sa.state === 'established') {
      if (this.config.dpdDelayMs > 0 && !this.tm.busy) t = Math.min(t, sa.lastInbound + this.config.dpdDelayMs);
      if (sa.natLocal && this.config.keepaliveMs > 0) t = Math.min(t, sa.lastOutbound + this.config.keepaliveMs);
      t = Math.min(t, this.children.nextRekey(), this.ikeRekeying ? Infinity : this.ikeRekeyAt);
    }
    if (this.old !== undefined) {
      t = Math.min(t, this.old.tm.nextDeadline());
    }
    return t;
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
    return this.flush();
  }

  /** Delete one CHILD_SA (by its inbound SPI). */
  deleteChild(spiIn: number, now: number): Action[] {
    if (this.children.get(spiIn) !== undefined && this.sa.state === 'established') this.queueChildDelete(spiIn, now);
    return this.flush();
  }

  private queueChildDelete(spiIn: number, now: number): void {
    this.tm.enqueue(childDeleteExchange(spiIn, this.children), now);
  }

  /** Rekey one CHILD_SA now (make-before-break; also runs by itself at the soft lifetime). */
  rekeyChild(spiIn: number, now: number): Action[] {
    const c = this.children.get(spiIn);
    if (c !== undefined && this.sa.state === 'established') this.startChildRekey(c, now);
    return this.flush();
  }

  private startChildRekey(old: InstalledChildSa, now: number): void {
    this.tm.enqueue(childRekeyExchange(old, this.children, (spi, t) => this.queueChildDelete(spi, t)), now);
  }

  /**
   * Our address changed (MOBIKE, RFC 4555): move the IKE SA to `local` (same port scheme) and send
   * UPDATE_SA_ADDRESSES; `pathChanged` follows the peer's answer, and CHILD_SAs are re-announced
   * with the new UDP encapsulation endpoints. Without MOBIKE on both sides this fails with NO_MOBIKE.
   */
  updateLocalAddress(local: Endpoint, now: number): Action[] {
    const sa = this.sa;
    if (sa.state !== 'established' || !this.config.mobike || !sa.peer.mobike) {
      this.log(1, 'cannot move the IKE SA: MOBIKE is not negotiated');
      return this.flush();
    }
    sa.local = { ...local };
    this.tm.enqueue(mobikeExchange(sa, (l, r) => this.pathChanged(l, r)), now);
    return this.flush();
  }

  /** Rekey the IKE SA now (CHILD_SAs are kept; also runs by itself at `ikeRekeyMs`). */
  rekeyIke(now: number): Action[] {
    if (this.sa.state === 'established' && !this.ikeRekeying) this.startIkeRekey(now);
    return this.flush();
  }

  private startIkeRekey(now: number): void {
    this.ikeRekeying = true;
    this.tm.enqueue(ikeRekeyExchange((sa, t) => {
      const prior = this.cur;
      this.swapTo(sa, t);
      prior.tm.enqueue(ikeDeleteExchange(false, () => this.retire(prior)), t);
    }, (t) => {
      this.ikeRekeying = false;
      this.ikeRekeyAt = this.rekeyTime(t, this.config.ikeRekeyMs);
    }), now);
  }

  private rekeyTime(now: number, after: number): number {
    return jitteredTime(now, after, this.config.rekeyJitterMs, this.random(4));
  }

  private dpd(): Exchange {
    const mobike = this.config.mobike && this.sa.peer.mobike;
    return dpdExchange(mobike, (now) => {
      this.log(1, 'the gateway sees us from a new address (NAT mapping changed): updating the path');
      this.tm.enqueue(mobikeExchange(this.sa, (l, r) => this.pathChanged(l, r)), now);
    });
  }

  private pathChanged(l: Endpoint, r: Endpoint): void {
    this.event({ type: 'pathChanged', local: l, remote: r });
    this.children.moved(this.sa.natT ? { local: l, remote: r } : undefined);
  }

  /** Authenticated traffic from the peer arrived outside IKE (e.g. ESP): it is alive, DPD can wait. */
  noteInbound(now: number): void {
    this.sa.lastInbound = Math.max(this.sa.lastInbound, now);
  }

  /** A liveness check now (also runs by itself after `dpdDelayMs` of silence). */
  checkLiveness(now: number): Action[] {
    if (this.sa.state === 'established') this.tm.enqueue(this.dpd(), now);
    return this.flush();
  }

  /** Snapshot of the SA. */
  status(): InitiatorStatus {
    return initiatorStatus(this.sa, this.children.list(), this.configReply, { ike: this.ikeRekeying ? Infinity : this.ikeRekeyAt, children: this.children.rekeyTimes() });
  }
}
