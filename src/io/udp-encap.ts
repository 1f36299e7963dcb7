/**
 * Thin I/O adapter for the NAT-T path (RFC 3948): one UDP socket carrying IKE (behind the non-ESP
 * marker) and ESP, classified by the pure {@link classifyNatT}, plus NAT-keepalives (one 0xFF byte)
 * sent when nothing else went out for an interval (20 s by default, RFC 3948 §4). All protocol
 * decisions stay in the pure layers; this file only moves datagrams.
 *
 * The outer UDP checksum is whatever the kernel writes: node:dgram exposes no SO_NO_CHECK, so the
 * "zero checksum" RFC 3948 §2.1 allows is not sent; inbound, nothing here relies on it.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { IkePort } from '../iana/ikev2.js';
import { NatTKind, classifyNatT, ikeFromNatT, natKeepalive, withNonEspMarker } from './demux.js';

/** Default NAT-keepalive interval (RFC 3948 §4 suggests 20 s). */
export const DEFAULT_KEEPALIVE_MS = 20_000;

/** Where the socket lives and whom it talks to. */
export interface UdpEncapOptions {
  /** Peer address (the gateway). */
  readonly remoteAddress: string;
  /** Peer port (default 4500). */
  readonly remotePort?: number;
  /** Local address to bind (default: any). */
  readonly localAddress?: string;
  /** Local port (default 0: ephemeral, as behind a NAT). */
  readonly localPort?: number;
  /** `udp4` (default) or `udp6`. */
  readonly family?: 'udp4' | 'udp6';
  /** Send keepalives (default true: switch off when no NAT was detected). */
  readonly keepalive?: boolean;
  /** Keepalive interval in ms (default {@link DEFAULT_KEEPALIVE_MS}). */
  readonly keepaliveMs?: number;
  /** Clock in ms (default `Date.now`). */
  readonly now?: () => number;
}

/** Callbacks for what arrives. Buffers are views valid only during the call. */
export interface UdpEncapHandlers {
  /** An IKE message (marker stripped). */
  onIke(message: Uint8Array, from: RemoteInfo): void;
  /** An ESP packet (SPI first). */
  onEsp(packet: Uint8Array, from: RemoteInfo): void;
}

/** Datagram counters. */
export interface UdpEncapStats {
  /** IKE messages received. */
  ikeIn: number;
  /** ESP packets received. */
  espIn: number;
  /** NAT-keepalives received. */
  keepaliveIn: number;
  /** Datagrams that were none of the above. */
  garbageIn: number;
  /** Datagrams sent (keepalives included). */
  sent: number;
  /** NAT-keepalives sent. */
  keepaliveOut: number;
}

/** One NAT-T socket. Create with {@link UdpEncapSocket.open}; `close()` releases socket and timer. */
export class UdpEncapSocket {
  /** Counters. */
  readonly stats: UdpEncapStats = { ikeIn: 0, espIn: 0, keepaliveIn: 0, garbageIn: 0, sent: 0, keepaliveOut: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSentAt: number;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: UdpEncapOptions,
    private readonly handlers: UdpEncapHandlers,
  ) {
    this.lastSentAt = this.clock();
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    this.setKeepalive(opts.keepalive ?? true, opts.keepaliveMs);
  }

  /** Bind a socket and start receiving. */
  static open(opts: UdpEncapOptions, handlers: UdpEncapHandlers): Promise<UdpEncapSocket> {
    const socket = createSocket(opts.family ?? 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(opts.localPort ?? 0, opts.localAddress, () => {
        socket.off('error', reject);
        resolve(new UdpEncapSocket(socket, opts, handlers));
      });
    });
  }

  /** The bound local port. */
  get localPort(): number {
    return this.socket.address().port;
  }

  /** Send an IKE message (the non-ESP marker is prepended). */
  sendIke(message: Uint8Array): void {
    this.send(withNonEspMarker(message));
  }

  /** Send an ESP packet as it is. */
  sendEsp(packet: Uint8Array): void {
    this.send(packet);
  }

  /** Switch keepalives on or off, optionally with a new interval. */
  setKeepalive(enabled: boolean, intervalMs: number = this.opts.keepaliveMs ?? DEFAULT_KEEPALIVE_MS): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (!enabled) return;
    this.timer = setInterval(() => {
      if (this.clock() - this.lastSentAt < intervalMs) return; // other traffic keeps the mapping alive
      this.stats.keepaliveOut++;
      this.send(natKeepalive());
    }, Math.max(1, Math.floor(intervalMs / 2)));
    this.timer.unref();
  }

  /** Stop the timer and close the socket. */
  close(): Promise<void> {
    this.setKeepalive(false);
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private clock(): number {
    return (this.opts.now ?? Date.now)();
  }

  private send(datagram: Uint8Array): void {
    this.lastSentAt = this.clock();
    this.stats.sent++;
    this.socket.send(datagram, this.opts.remotePort ?? IkePort.NAT_T, this.opts.remoteAddress);
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    const b = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    switch (classifyNatT(b)) {
      case NatTKind.IKE:
        this.stats.ikeIn++;
        this.handlers.onIke(ikeFromNatT(b), rinfo);
        break;
      case NatTKind.ESP:
        this.stats.espIn++;
        this.handlers.onEsp(b, rinfo);
        break;
      case NatTKind.KEEPALIVE:
        this.stats.keepaliveIn++;
        break;
      default:
        this.stats.garbageIn++;
    }
  }
}
