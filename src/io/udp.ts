/**
 * IKE's UDP sockets: port 500 (plain IKE) and the NAT-T port 4500 shared with UDP-encapsulated
 * ESP (RFC 3948): on 4500 a datagram starting with the four-octet non-ESP marker is IKE (marker
 * stripped), a single 0xFF octet is a NAT-keepalive, ESP goes to its handler, anything else is
 * counted as garbage (classification by the pure `demux.ts`).
 *
 * NAT-keepalives (RFC 3948 §4) go out on 4500 when nothing else was sent there for an interval
 * (20 s by default), switchable at run time. ESP sends are bounded: {@link IkeSockets.canSendEsp}
 * is false while `maxSendQueue` ESP datagrams are between `send()` and their completion callback
 * (node's own queue, its address lookup tick and libuv's queue all count), so the dataplane drops
 * instead of buffering without limit, even when the caller sends in a synchronous burst. The outer UDP checksum is whatever the kernel writes
 * (node:dgram has no SO_NO_CHECK); inbound, nothing relies on it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { classifyNatT, ikeFromNatT, natKeepalive, NatTKind } from './demux.js';

/** A local or remote UDP endpoint. */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** Callbacks of {@link IkeSockets}. Buffers are views valid only during the call. */
export interface IkeSocketHandlers {
  /** An IKE message (marker stripped) arrived on `local` from `remote`. */
  ike(data: Uint8Array, local: UdpEndpoint, remote: UdpEndpoint): void;
  /** A UDP-encapsulated ESP packet (SPI first) arrived on the NAT-T socket. */
  esp?(data: Uint8Array, local: UdpEndpoint, remote: UdpEndpoint): void;
  /** A socket error. */
  error?(err: Error): void;
}

/** Options of {@link IkeSockets.open}. */
export interface IkeSocketOptions {
  /** Local address to bind (must be the address NAT detection reports). */
  readonly address: string;
  /** IKE port (500; 0 for a random one). */
  readonly ikePort: number;
  /** NAT-T port (4500; 0 for a random one). */
  readonly nattPort: number;
  /** ESP datagrams allowed in flight on the NAT-T socket (default {@link DEFAULT_MAX_SEND_QUEUE}). */
  readonly maxSendQueue?: number;
  /** Clock in ms for keepalive scheduling (default `performance.now`). */
  readonly now?: () => number;
}

/** Default NAT-keepalive interval (RFC 3948 §4 suggests 20 s). */
export const DEFAULT_KEEPALIVE_MS = 20_000;
/** Default bound of the ESP send queue, in datagrams. */
export const DEFAULT_MAX_SEND_QUEUE = 512;

/** Datagram counters of the socket pair. */
export interface UdpStats {
  /** IKE messages received (both ports). */
  ikeIn: number;
  /** ESP packets received. */
  espIn: number;
  /** NAT-keepalives received. */
  keepaliveIn: number;
  /** Datagrams on 4500 that were none of the above. */
  garbageIn: number;
  /** Datagrams sent (keepalives included). */
  sent: number;
  /** NAT-keepalives sent. */
  keepaliveOut: number;
}

const NON_ESP_MARKER = new Uint8Array(4);

function bind(socket: Socket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}

/** The pair of IKE sockets. */
export class IkeSockets {
  /** Counters. */
  readonly stats: UdpStats = { ikeIn: 0, espIn: 0, keepaliveIn: 0, garbageIn: 0, sent: 0, keepaliveOut: 0 };
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private keepaliveTo: UdpEndpoint | undefined;
  private keepaliveMs = 0;
  private lastNattSend: number;
  private readonly now: () => number;
  private readonly maxSendQueue: number;
  private espInFlight = 0;
  /** One completion callback for every ESP send (no closure per packet). */
  private readonly espDone = (): void => {
    this.espInFlight--;
  };

  private constructor(
    private readonly ikeSocket: Socket,
    private readonly nattSocket: Socket,
    /** Bound endpoints. */
    readonly ike: UdpEndpoint,
    readonly natt: UdpEndpoint,
    o: IkeSocketOptions,
  ) {
    this.now = o.now ?? (() => performance.now());
    this.maxSendQueue = o.maxSendQueue ?? DEFAULT_MAX_SEND_QUEUE;
    this.lastNattSend = this.now();
  }

  /** Bind both sockets and start delivering to `handlers`. */
  static async open(o: IkeSocketOptions, handlers: IkeSocketHandlers): Promise<IkeSockets> {
    const type = isIPv6(o.address) ? 'udp6' : 'udp4';
    const a = createSocket({ type });
    const b = createSocket({ type });
    try {
      const ikePort = await bind(a, o.address, o.ikePort);
      const nattPort = await bind(b, o.address, o.nattPort);
      const s = new IkeSockets(a, b, { address: o.address, port: ikePort }, { address: o.address, port: nattPort }, o);
      a.on('message', (msg, rinfo) => {
        s.stats.ikeIn++;
        handlers.ike(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), s.ike, { address: rinfo.address, port: rinfo.port });
      });
      b.on('message', (msg, rinfo) => s.demux(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { address: rinfo.address, port: rinfo.port }, handlers));
      for (const sock of [a, b]) sock.on('error', (e) => handlers.error?.(e));
      return s;
    } catch (e) {
      a.close();
      b.close();
      throw e;
    }
  }

  private demux(data: Uint8Array, remote: UdpEndpoint, h: IkeSocketHandlers): void {
    switch (classifyNatT(data)) {
      case NatTKind.IKE:
        this.stats.ikeIn++;
        return h.ike(ikeFromNatT(data), this.natt, remote);
      case NatTKind.ESP:
        this.stats.espIn++;
        return h.esp?.(data, this.natt, remote);
      case NatTKind.KEEPALIVE:
        this.stats.keepaliveIn++;
        return;
      default:
        this.stats.garbageIn++;
    }
  }

  /** Send from the socket bound to `localPort` (the NAT-T one unless it is the IKE port). */
  send(data: Uint8Array, localPort: number, remote: UdpEndpoint, marker: boolean): void {
    const natt = localPort !== this.ike.port;
    const sock = natt ? this.nattSocket : this.ikeSocket;
    if (natt) this.lastNattSend = this.now();
    this.stats.sent++;
    sock.send(marker ? [NON_ESP_MARKER, data] : [data], remote.port, remote.address);
  }

  /** Is there room for another ESP datagram in the send queue? */
  canSendEsp(): boolean {
    return this.espInFlight < this.maxSendQueue;
  }

  /** ESP datagrams sent but not yet completed. */
  get espQueued(): number {
    return this.espInFlight;
  }

  /** Send an ESP packet (no marker) on the NAT-T socket. */
  sendEsp(data: Uint8Array, remote: UdpEndpoint): void {
    this.lastNattSend = this.now();
    this.stats.sent++;
    this.espInFlight++;
    this.nattSocket.send(data, remote.port, remote.address, this.espDone);
  }

  /**
   * NAT-keepalives to `remote` when the NAT-T socket sent nothing for `intervalMs` (default
   * {@link DEFAULT_KEEPALIVE_MS}); `undefined` switches them off.
   */
  setKeepalive(remote: UdpEndpoint | undefined, intervalMs: number = DEFAULT_KEEPALIVE_MS): void {
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    this.keepaliveTo = remote === undefined ? undefined : { ...remote };
    this.keepaliveMs = remote === undefined || intervalMs <= 0 ? 0 : intervalMs;
    if (this.keepaliveMs === 0) return;
    this.keepaliveTimer = setInterval(() => this.keepalive(), Math.max(1, Math.floor(this.keepaliveMs / 2)));
    this.keepaliveTimer.unref();
  }

  /** The keepalive interval in force (0: off). */
  get keepaliveInterval(): number {
    return this.keepaliveMs;
  }

  private keepalive(): void {
    const to = this.keepaliveTo;
    if (to === undefined || this.now() - this.lastNattSend < this.keepaliveMs) return; // other traffic keeps the mapping
    this.stats.keepaliveOut++;
    this.sendEsp(natKeepalive(), to);
  }

  /** Stop keepalives and close both sockets. */
  close(): void {
    this.setKeepalive(undefined);
    this.ikeSocket.close();
    this.nattSocket.close();
  }
}

/** The local address the kernel would use to reach `remote` (a connected UDP socket, nothing sent). */
export function localAddressFor(remote: string): Promise<string> {
  const s = createSocket(isIPv6(remote) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    s.once('error', (e) => { s.close(); reject(e); });
    s.connect(9, remote, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
}
