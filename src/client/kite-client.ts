/**
 * The composition root: the sans-I/O {@link Initiator} driven by real UDP sockets (500 and 4500)
 * and a monotonic clock, with typed events, `await connect()`, `await close()` and `status()`,
 * and the ESP dataplane: CHILD_SAs the core installs carry inner packets between `sendPacket` /
 * `onPacket` and the NAT-T socket (no TUN needed: embed a userspace TCP/IP stack on top).
 */
import { EventEmitter } from 'node:events';
import { KiteError } from '../errors.js';
import { bytesEqual } from '../util/bytes.js';
import { Initiator } from '../ike/initiator.js';
import type { Action, ConfigReply, InstalledChildSa } from '../ike/types.js';
import { DeadlineTimer, systemClock, type Clock } from '../io/clock.js';
import { DEFAULT_KEEPALIVE_MS, IkeSockets, localAddressFor, type UdpEndpoint } from '../io/udp.js';
import { ClientDataplane, type PacketSink } from './dataplane.js';
import type { ConnectResult, KiteClientEvents, KiteClientOptions, KiteClientStatus } from './types.js';
import { InterfaceWatch } from './watch.js';

export type { ConnectResult, KiteClientEvents, KiteClientOptions, KiteClientStatus } from './types.js';
export type { PacketSink } from './dataplane.js';

/** An IKEv2 client connection. */
export class KiteClient {
  private readonly emitter = new EventEmitter();
  private readonly clock: Clock;
  private sockets: IkeSockets | undefined;
  private core: Initiator | undefined;
  private timer: DeadlineTimer | undefined;
  private packetsIn = 0;
  private packetsOut = 0;
  private remote: UdpEndpoint | undefined;
  private everUp = false;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private watcher: InterfaceWatch | undefined;
  /** The IKE SA being replaced by a reauthentication, with its timer; its events stay internal. */
  private retiring: { readonly core: Initiator; readonly timer: DeadlineTimer } | undefined;
  private reauthing = false;
  private readonly dataplane: ClientDataplane;

  constructor(private readonly options: KiteClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.dataplane = new ClientDataplane(this, options.datapath);
  }

  /** Subscribe to an event. */
  on<K extends keyof KiteClientEvents>(event: K, fn: (...args: KiteClientEvents[K]) => void): this {
    this.emitter.on(event, fn as (...a: unknown[]) => void);
    return this;
  }

  /** Unsubscribe. */
  off<K extends keyof KiteClientEvents>(event: K, fn: (...args: KiteClientEvents[K]) => void): this {
    this.emitter.off(event, fn as (...a: unknown[]) => void);
    return this;
  }

  private emit<K extends keyof KiteClientEvents>(event: K, ...args: KiteClientEvents[K]): void {
    this.emitter.emit(event, ...args);
  }

  /** Open the sockets, run IKE_SA_INIT and IKE_AUTH; resolves when the first CHILD_SA is up. */
  async connect(): Promise<ConnectResult> {
    if (this.core !== undefined) throw new KiteError('IN_USE', 'connect() was already called on this client');
    const o = this.options;
    const remote = { address: o.remote.address, port: o.remote.port ?? 500 };
    const address = o.localAddress ?? (await localAddressFor(remote.address));
    this.sockets = await this.openSockets(address, o.ikePort ?? 500, o.nattPort ?? 4500);
    this.remote = remote;
    const done = new Promise<ConnectResult>((resolve, reject) => {
      const cleanup = (): void => {
        this.off('childUp', up).off('failed', fail).off('dead', dead).off('closed', closed);
      };
      const up = (child: InstalledChildSa, config: ConfigReply | undefined): void => { cleanup(); resolve({ child, config }); };
      const fail = (e: KiteError): void => { cleanup(); this.shutdown(); reject(e); };
      const dead = (reason: string): void => { cleanup(); this.shutdown(); reject(new KiteError('DEAD', reason)); };
      const closed = (): void => { cleanup(); this.shutdown(); reject(new KiteError('CLOSED', 'closed before the CHILD_SA came up')); };
      this.on('childUp', up).on('failed', fail).on('dead', dead).on('closed', closed);
    });
    this.startCore();
    this.watch();
    return done;
  }

  private async openSockets(address: string, ikePort: number, nattPort: number): Promise<IkeSockets> {
    const tap = this.options.onEsp;
    const dp = this.dataplane.datapath;
    const sockets = await IkeSockets.open({ address, ikePort, nattPort, now: () => this.clock.now(), ...(this.options.datapath?.maxSendQueue === undefined ? {} : { maxSendQueue: this.options.datapath.maxSendQueue }) }, {
      ike: (data, local, from) => this.receive(data, local, from),
      esp: tap === undefined ? (data) => dp.inbound(data, this.clock.now()) : (data, _local, from) => tap(data, from),
      error: (e) => this.emit('log', 0, `socket error: ${e.message}`),
    });
    this.dataplane.sockets = sockets;
    return sockets;
  }

  /** NAT-keepalives by policy, to the gateway's current NAT-T endpoint. */
  private keepalive(): void {
    const s = this.core?.status();
    this.dataplane.keepalive(this.options.natKeepalive, this.options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS, s?.natLocal ?? false, s?.remote);
  }

  /**
   * Switch NAT-keepalives on (to the gateway's NAT-T endpoint, every `intervalMs` of silence,
   * default 20 s) or off at run time, overriding the `natKeepalive` policy until the next path change.
   */
  setNatKeepalive(enabled: boolean, intervalMs = this.options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS): void {
    const s = this.core?.status();
    this.dataplane.keepalive(enabled ? 'always' : 'never', intervalMs, s?.natLocal ?? false, s?.remote);
  }

  private watch(): void {
    const w = this.options.watchInterfaces;
    if (w === undefined) return;
    this.watcher = new InterfaceWatch({
      localAddress: () => this.sockets?.ike.address,
      established: () => this.core?.status().state === 'established',
      moveTo: (a) => this.moveTo(a),
      log: (level, m) => this.emit('log', level, m),
    }, w.intervalMs, w.interfaces);
  }

  private startCore(initialContact = this.options.initialContact ?? true): void {
    const sockets = this.sockets;
    const remote = this.remote;
    if (sockets === undefined || remote === undefined) return;
    this.timer?.disarm();
    // keepaliveMs 0: NAT-keepalives come from the socket, which also sees ESP (see `keepalive()`)
    const core = new Initiator({ ...this.options, keepaliveMs: 0, initialContact, local: sockets.ike, remote, localNattPort: sockets.natt.port });
    this.core = core;
    this.timer = new DeadlineTimer(this.clock, () => this.run(core.tick(this.clock.now()), core));
    this.run(core.start(this.clock.now()), core);
  }

  /**
   * Reauthenticate make-before-break (RFC 7296 §2.8.3): a fresh IKE_SA_INIT + IKE_AUTH (without
   * INITIAL_CONTACT) on the same sockets; once its CHILD_SA is up the old IKE SA is deleted. If
   * the new one fails, the old one stays and the error is thrown.
   */
  async reauthenticate(): Promise<ConnectResult> {
    const old = this.core;
    const oldTimer = this.timer;
    if (old === undefined || oldTimer === undefined || old.status().state !== 'established') throw new KiteError('NOT_CONNECTED', 'reauthenticate() needs an established connection');
    this.retiring = { core: old, timer: oldTimer };
    this.timer = undefined;
    this.reauthing = true;
    const up = new Promise<ConnectResult>((resolve, reject) => {
      const done = (): void => { this.off('childUp', ok).off('failed', fail); };
      const ok = (child: InstalledChildSa, config: ConfigReply | undefined): void => { done(); resolve({ child, config }); };
      const fail = (e: KiteError): void => { done(); reject(e); };
      this.on('childUp', ok).on('failed', fail);
    });
    this.startCore(false);
    try {
      const r = await up;
      this.run(old.close(this.clock.now()), old);
      return r;
    } catch (e) {
      this.disarmCurrent();
      this.core = old;
      this.timer = oldTimer;
      this.retiring = undefined;
      throw e;
    } finally {
      this.reauthing = false;
    }
  }

  private disarmCurrent(): void {
    this.timer?.disarm();
  }

  /** After `dead`, or a failed reconnect attempt: try again later, by policy. */
  private maybeReconnect(): void {
    const policy = this.options.reconnect;
    if (policy === undefined || !this.everUp || this.closing || this.reauthing || this.sockets === undefined) return;
    const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** this.attempt);
    this.attempt++;
    this.emit('reconnecting', this.attempt, delay);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.startCore();
    }, delay);
  }

  private receive(data: Uint8Array, local: UdpEndpoint, from: UdpEndpoint): void {
    const old = this.retiring?.core;
    const core = old !== undefined && data.length >= 8 && bytesEqual(data.subarray(0, 8), old.sa.spiI) ? old : this.core;
    if (core === undefined) return;
    this.packetsIn++;
    this.run(core.receive(data, { local, remote: from }, this.clock.now()), core);
  }

  private run(actions: readonly Action[], core = this.core): void {
    const retiring = this.retiring;
    if (retiring !== undefined && core === retiring.core) {
      for (const a of actions) this.performRetiring(a, retiring);
      if (this.retiring === retiring) retiring.timer.arm(core.nextDeadline());
      return;
    }
    for (const a of actions) this.perform(a);
    if (core !== undefined && core === this.core && this.timer !== undefined) this.timer.arm(core.nextDeadline());
  }

  /** Actions of the IKE SA a reauthentication replaces: its datagrams and removals, no user events. */
  private performRetiring(a: Action, r: { readonly core: Initiator; readonly timer: DeadlineTimer }): void {
    if (a.type !== 'event') return this.perform(a);
    const t = a.event.type;
    if (t === 'log') return this.dispatch(a.event);
    if (t === 'closed' || t === 'failed' || t === 'dead') {
      r.timer.disarm();
      if (this.retiring === r) this.retiring = undefined;
    }
  }

  private perform(a: Action): void {
    switch (a.type) {
      case 'send':
        this.packetsOut++;
        this.sockets?.send(a.data, a.local.port, a.remote, a.marker);
        return;
      case 'install-child':
        try {
          this.dataplane.datapath.install(a.child);
        } catch (e) {
          this.emit('log', 0, `CHILD_SA ${a.child.params.spiIn.toString(16)} not installed in the dataplane: ${e instanceof Error ? e.message : String(e)}`);
        }
        this.options.onChildSa?.(a.child);
        return;
      case 'remove-child':
        this.dataplane.datapath.remove(a.spiIn);
        this.options.onChildSaRemoved?.(a.spiIn, a.spiOut);
        return;
      case 'event':
        this.dispatch(a.event);
    }
  }

  private dispatch(e: Extract<Action, { type: 'event' }>['event']): void {
    switch (e.type) {
      case 'established':
        this.keepalive();
        return this.emit('established', { spiI: e.spiI, spiR: e.spiR, natLocal: e.natLocal, natRemote: e.natRemote });
      case 'childUp':
        this.everUp = true;
        this.attempt = 0;
        return this.emit('childUp', e.child, e.config);
      case 'childDown': return this.emit('childDown', e.spiIn, e.spiOut, e.byPeer);
      case 'childRekeyed': return this.emit('childRekeyed', e.oldSpiIn, e.child);
      case 'ikeRekeyed': return this.emit('ikeRekeyed', e.spiI, e.spiR);
      case 'pathChanged':
        this.keepalive();
        return this.emit('pathChanged', e.local, e.remote);
      case 'dead':
        this.dataplane.datapath.clear();
        this.emit('dead', e.reason);
        return this.maybeReconnect();
      case 'closed': return this.emit('closed', e.byPeer);
      case 'failed':
        this.emit('failed', e.error);
        return this.maybeReconnect();
      case 'log': return this.emit('log', e.level, e.message);
    }
  }

  /** The dataplane authenticated a packet from the gateway: postpone the liveness check. */
  noteInbound(): void {
    this.core?.noteInbound(this.clock.now());
  }

  /** Run a liveness check (empty INFORMATIONAL) now; `dead` follows if it times out. */
  checkLiveness(): void {
    const core = this.core;
    if (core !== undefined) this.run(core.checkLiveness(this.clock.now()));
  }

  /** Rekey a CHILD_SA now (make-before-break); `childRekeyed` follows. */
  rekeyChild(spiIn: number): void {
    const core = this.core;
    if (core !== undefined) this.run(core.rekeyChild(spiIn, this.clock.now()));
  }

  /**
   * Our address changed (MOBIKE): bind the IKE sockets on `address` (same ports), move the IKE SA
   * there with UPDATE_SA_ADDRESSES; `pathChanged` follows, and CHILD_SAs are re-announced through
   * `onChildSa` with their new encapsulation endpoints.
   */
  async moveTo(address: string): Promise<void> {
    const core = this.core;
    const old = this.sockets;
    if (core === undefined || old === undefined) throw new KiteError('NOT_CONNECTED', 'moveTo() needs a connected client');
    const sockets = await this.openSockets(address, old.ike.port, old.natt.port);
    this.sockets = sockets;
    old.close();
    this.keepalive();
    this.run(core.updateLocalAddress({ address, port: sockets.natt.port }, this.clock.now()));
  }

  /** Rekey the IKE SA now (CHILD_SAs kept); `ikeRekeyed` follows. */
  rekeyIke(): void {
    const core = this.core;
    if (core !== undefined) this.run(core.rekeyIke(this.clock.now()));
  }

  /**
   * Where decrypted inner IP packets (IPv4 / IPv6, from any CHILD_SA) go; `undefined` stops
   * delivery. Called synchronously per packet; the buffer is the sink's to keep.
   */
  onPacket(sink: PacketSink | undefined): this {
    this.dataplane.sink = sink;
    return this;
  }

  /**
   * Send an inner IPv4 / IPv6 packet through the newest CHILD_SA whose traffic selectors cover it.
   * False when it was dropped (no matching SA, send queue full, …: counted in `status().dataplane.drops`).
   */
  sendPacket(packet: Uint8Array): boolean {
    return this.dataplane.datapath.send(packet, this.clock.now());
  }

  /** Raw ESP out on the NAT-T socket, bypassing the dataplane (for the `onEsp` tap). */
  sendEsp(packet: Uint8Array): void {
    const core = this.core;
    if (core === undefined || this.sockets === undefined) return;
    this.sockets.sendEsp(packet, core.sa.remote);
  }

  /** Delete the IKE SA and close the sockets; resolves when the peer answered or the wait ran out. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.watcher?.stop();
    const core = this.core;
    if (core === undefined) return;
    const st = core.status().state;
    if (st !== 'closed' && st !== 'failed') {
      const closed = new Promise<void>((resolve) => {
        const h = (): void => { this.off('closed', h); resolve(); };
        this.on('closed', h);
      });
      this.run(core.close(this.clock.now()));
      await closed;
    }
    this.shutdown();
  }

  private shutdown(): void {
    this.watcher?.stop();
    this.retiring?.timer.disarm();
    this.retiring = undefined;
    this.timer?.disarm();
    this.timer = undefined;
    this.sockets?.close();
    this.sockets = undefined;
    this.dataplane.sockets = undefined;
    this.dataplane.datapath.clear();
  }

  /** SPIs, algorithms, NAT state, virtual IPs, CHILD_SAs, IKE and dataplane counters. */
  status(): KiteClientStatus | undefined {
    const s = this.core?.status();
    if (s === undefined) return undefined;
    return { ...s, ikePacketsIn: this.packetsIn, ikePacketsOut: this.packetsOut, ...this.dataplane.status() };
  }
}
