/**
 * The IKEv2 initiator core, sans I/O: `start`, `receive`, `tick` and `close` take `now` and return
 * {@link Action}s (datagrams to send, CHILD_SAs to install or remove, events); `nextDeadline` says
 * when `tick` must run next. It composes the task manager (Message IDs, retransmission, response
 * cache, fragments) with the tasks of each exchange; all shared state lives in the {@link IkeSa}.
 */
import { randomBytes } from 'node:crypto';
import { ExchangeType } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { decodeHeader } from '../wire/header.js';
import { decodeMessage } from '../wire/message.js';
import { checkMessageRules } from '../wire/message-rules.js';
import type { Payload } from '../wire/payload.js';
import { bytesEqual } from '../util/bytes.js';
import { resolveConfig, type InitiatorConfig, type InitiatorOptions } from './config.js';
import { IkeSa } from './ike-sa.js';
import { protect, unprotect } from './protect.js';
import { asFailure, TaskManager } from './task-manager.js';
import { ChildCreateTask } from './tasks/child-create.js';
import { IkeAuthTask } from './tasks/ike-auth.js';
import { IkeConfigTask } from './tasks/ike-config.js';
import { IkeInitTask } from './tasks/ike-init.js';
import { ChildDeleteTask, DpdTask, IkeDeleteTask } from './tasks/informational.js';
import { ChildRekeyTask } from './tasks/child-rekey.js';
import { ChildTable } from './children.js';
import { handlePeerRequest } from './peer-requests.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import type { KiteError } from '../errors.js';
import type { Action, ConfigReply, Endpoint, IkeEvent, InstalledChildSa, LogLevel } from './types.js';

/** Snapshot for `status()`. */
export interface InitiatorStatus {
  readonly state: IkeSa['state'];
  readonly spiI: string;
  readonly spiR: string;
  readonly algorithms: IkeSa['algorithms'];
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly natLocal: boolean;
  readonly natRemote: boolean;
  readonly peerFragmentation: boolean;
  readonly peerMobike: boolean;
  readonly children: readonly InstalledChildSa[];
  readonly config: ConfigReply | undefined;
}

/** The initiator of one IKE SA. */
export class Initiator {
  readonly config: InitiatorConfig;
  readonly sa: IkeSa;
  private readonly tm: TaskManager;
  private out: Action[] = [];
  private readonly children: ChildTable;
  private configReply: ConfigReply | undefined;
  private closeDeadline = Infinity;
  private peerClosing = false;
  private readonly nattPort: number;

  constructor(options: InitiatorOptions) {
    this.config = resolveConfig(options);
    this.nattPort = this.config.localNattPort ?? 4500;
    // Talking to a NAT-T port from the start (like charon-cmd): use our NAT-T socket and the marker.
    const local = this.config.remote.port !== 500 ? { ...this.config.local, port: this.nattPort } : { ...this.config.local };
    this.sa = new IkeSa(true, this.random(8), local, { ...this.config.remote });
    this.children = new ChildTable(this.config, (a) => this.out.push(a), (n) => this.random(n));
    this.tm = new TaskManager({
      sa: this.sa,
      retransmit: this.config.retransmit,
      unauthenticatedErrorWaitMs: this.config.unauthenticatedErrorWaitMs,
      fragmentSize: () => (this.sa.peer.fragmentation ? this.config.fragmentSize : undefined),
      context: (now) => this.context(now),
      send: (packets, now) => this.send(packets, now),
      failed: (ex, err, timeout, now) => this.failed(ex, err, timeout, now),
      respond: (type, payloads, now) => this.respond(type, payloads, now),
    });
  }

  private random(n: number): Uint8Array {
    return this.config.random?.(n) ?? new Uint8Array(randomBytes(n));
  }

  private context(now: number): TaskContext {
    return {
      sa: this.sa,
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

  private send(packets: readonly Uint8Array[], now: number): void {
    const sa = this.sa;
    for (const data of packets) this.out.push({ type: 'send', data, local: { ...sa.local }, remote: { ...sa.remote }, marker: sa.local.port === this.nattPort });
    sa.lastOutbound = now;
  }

  /** Begin: IKE_SA_INIT, then IKE_AUTH with CP and the first CHILD_SA. */
  start(now: number): Action[] {
    if (this.sa.state !== 'created') return this.flush();
    this.sa.state = 'connecting';
    this.sa.lastInbound = now;
    const ctx = this.context(now);
    const init: Exchange = { exchangeType: ExchangeType.IKE_SA_INIT, tasks: [IkeInitTask.fromConfig(ctx)], critical: true, onComplete: (c) => this.afterInit(c) };
    this.tm.enqueue(init, now);
    return this.flush();
  }

  private afterInit(ctx: TaskContext): void {
    const sa = this.sa;
    if ((sa.natT || this.config.mobike) && sa.remote.port === 500) {
      sa.local = { ...sa.local, port: this.nattPort };
      sa.remote = { ...sa.remote, port: 4500 };
      ctx.log(2, `switching to UDP 4500 (${sa.natT ? 'NAT detected' : 'MOBIKE'})`);
    }
    const config = new IkeConfigTask();
    const child = new ChildCreateTask();
    const auth: Exchange = {
      exchangeType: ExchangeType.IKE_AUTH,
      tasks: [new IkeAuthTask(), config, child],
      critical: true,
      onComplete: (c) => this.established(c, config, child),
    };
    this.tm.enqueue(auth, ctx.now);
  }

  private established(ctx: TaskContext, config: IkeConfigTask, child: ChildCreateTask): void {
    const sa = this.sa;
    sa.state = 'established';
    this.configReply = config.reply;
    this.event({ type: 'established', spiI: toHex(sa.spiI), spiR: toHex(sa.spiR), natLocal: sa.natLocal, natRemote: sa.natRemote });
    const c = child.child;
    if (c === undefined) return;
    this.children.add(c, ctx.now);
    this.event({ type: 'childUp', child: c, ...(config.reply === undefined ? {} : { config: config.reply }) });
    ctx.log(2, `CHILD_SA ${c.params.spiIn.toString(16)}_i ${c.params.spiOut.toString(16)}_o up`);
  }

  private finish(state: 'closed' | 'failed', event: IkeEvent, byPeer: boolean): void {
    if (this.sa.state === 'closed' || this.sa.state === 'failed') return;
    this.children.clear(byPeer);
    this.sa.state = state;
    this.tm.clear();
    this.closeDeadline = Infinity;
    this.sa.wipe();
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
    const sa = this.sa;
    const messageId = Math.max(sa.nextRequestId, exchange.exchangeType === ExchangeType.IKE_AUTH ? 2 : 0);
    try {
      const packets = protect(sa, { exchangeType: ExchangeType.INFORMATIONAL, response: false, messageId, payloads: new IkeDeleteTask().build(), random: (n) => this.random(n) });
      this.send(packets, sa.lastOutbound);
    } catch (e) {
      this.log(1, `could not send the Delete: ${asFailure(e).message}`);
    }
  }

  private respond(exchangeType: number, payloads: readonly Payload[], now: number): Payload[] {
    const r = handlePeerRequest(this.context(now), exchangeType, payloads, this.children);
    if (r.deleteIke) this.peerClosing = true;
    return r.response;
  }

  /** Feed one datagram (without the non-ESP marker) received on `path`. */
  receive(datagram: Uint8Array, path: { local: Endpoint; remote: Endpoint }, now: number): Action[] {
    try {
      this.receiveInner(datagram, path, now);
    } catch (e) {
      this.log(1, `dropped a message from ${path.remote.address}:${path.remote.port}: ${asFailure(e).message}`);
    }
    return this.flush();
  }

  private receiveInner(buf: Uint8Array, _path: { local: Endpoint; remote: Endpoint }, now: number): void {
    const sa = this.sa;
    if (sa.state === 'created' || sa.state === 'closed' || sa.state === 'failed') return;
    const header = decodeHeader(buf);
    if (header.majorVersion !== 2 || header.initiator || !bytesEqual(header.spiI, sa.spiI)) return;
    if (header.exchangeType === ExchangeType.IKE_SA_INIT) {
      if (!header.response || this.tm.activeMessageId !== header.messageId || sa.keys !== undefined) return;
      const msg = decodeMessage(buf);
      checkMessageRules(header, msg.payloads);
      sa.spiR = header.spiR.slice();
      sa.initMessageIn = buf.slice();
      this.tm.onResponse(header.exchangeType, header.messageId, msg.payloads, now);
      return;
    }
    if (sa.keys === undefined || !bytesEqual(header.spiR, sa.spiR)) return;
    const msg = decodeMessage(buf);
    checkMessageRules(header, msg.payloads);
    if (header.response) {
      if (this.tm.activeMessageId !== header.messageId) return;
      const r = unprotect(sa, buf, this.tm.responseReassembler, now);
      if (r.state !== 'complete') return;
      checkMessageRules(header, msg.payloads, r.payloads);
      sa.lastInbound = now;
      this.tm.onResponse(header.exchangeType, header.messageId, r.payloads, now);
      return;
    }
    this.tm.onRequest(header.exchangeType, header.messageId, () => {
      const r = unprotect(sa, buf, this.tm.requestReassembler(header.messageId), now);
      if (r.state !== 'complete') return undefined;
      checkMessageRules(header, msg.payloads, r.payloads);
      sa.lastInbound = now;
      return r.payloads;
    }, now);
    if (this.peerClosing) this.finish('closed', { type: 'closed', byPeer: true }, true);
  }

  /** Run timers: retransmission, DPD, NAT-T keepalive, close timeout. */
  tick(now: number): Action[] {
    this.tm.tick(now);
    const sa = this.sa;
    if (now >= this.closeDeadline) this.finish('closed', { type: 'closed', byPeer: false }, false);
    if (sa.state === 'established') {
      const c = this.config;
      if (c.dpdDelayMs > 0 && !this.tm.busy && this.tm.queued === 0 && now - sa.lastInbound >= c.dpdDelayMs) {
        this.tm.enqueue({ exchangeType: ExchangeType.INFORMATIONAL, tasks: [new DpdTask()], critical: false }, now);
      }
      for (const child of this.children.due(now)) this.startChildRekey(child, now);
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
      t = Math.min(t, this.children.nextRekey());
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
      this.tm.enqueue({ exchangeType: ExchangeType.INFORMATIONAL, tasks: [new IkeDeleteTask()], critical: true, onComplete: () => this.finish('closed', { type: 'closed', byPeer: false }, false) }, now);
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
    this.tm.enqueue({
      exchangeType: ExchangeType.INFORMATIONAL,
      tasks: [new ChildDeleteTask([spiIn])],
      critical: false,
      onComplete: () => { this.children.remove(spiIn, false); },
    }, now);
  }

  /** Rekey one CHILD_SA now (make-before-break; also runs by itself at the soft lifetime). */
  rekeyChild(spiIn: number, now: number): Action[] {
    const c = this.children.get(spiIn);
    if (c !== undefined && this.sa.state === 'established') this.startChildRekey(c, now);
    return this.flush();
  }

  private startChildRekey(old: InstalledChildSa, now: number): void {
    const task = new ChildRekeyTask(old);
    this.children.rekeyStarted(old.params.spiIn, task);
    this.tm.enqueue({
      exchangeType: ExchangeType.CREATE_CHILD_SA,
      tasks: [task],
      critical: false,
      onComplete: (ctx) => {
        for (const spi of this.children.rekeyDone(task, ctx.now).deleteSpisIn) this.queueChildDelete(spi, ctx.now);
      },
      onFailed: (ctx) => this.children.rekeyAborted(old.params.spiIn, ctx.now),
    }, now);
  }

  /** A liveness check now (also runs by itself after `dpdDelayMs` of silence). */
  checkLiveness(now: number): Action[] {
    if (this.sa.state === 'established') this.tm.enqueue({ exchangeType: ExchangeType.INFORMATIONAL, tasks: [new DpdTask()], critical: false }, now);
    return this.flush();
  }

  /** Snapshot of the SA. */
  status(): InitiatorStatus {
    const sa = this.sa;
    return {
      state: sa.state,
      spiI: toHex(sa.spiI),
      spiR: toHex(sa.spiR),
      algorithms: sa.algorithms,
      local: sa.local,
      remote: sa.remote,
      natLocal: sa.natLocal,
      natRemote: sa.natRemote,
      peerFragmentation: sa.peer.fragmentation,
      peerMobike: sa.peer.mobike,
      children: this.children.list(),
      config: this.configReply,
    };
  }
}
