/**
 * Types of the client API: options, typed events, connect result and status.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { KiteError } from '../errors.js';
import type { InitiatorOptions } from '../ike/config.js';
import type { InitiatorStatus } from '../ike/initiator.js';
import type { ConfigReply, Endpoint, InstalledChildSa, LogLevel } from '../ike/types.js';
import type { Clock } from '../io/clock.js';
import type { DatapathOptions, DatapathStatus } from '../datapath/pipeline.js';
import type { UdpEndpoint, UdpStats } from '../io/udp.js';

/** Options of `KiteClient`. */
export interface KiteClientOptions extends Omit<InitiatorOptions, 'local' | 'remote' | 'localNattPort'> {
  /** The gateway (port default 500). */
  readonly remote: { readonly address: string; readonly port?: number };
  /** Local address (default: the one the kernel routes to the gateway from). */
  readonly localAddress?: string;
  /** Local IKE port (default 500; 0 for random). */
  readonly ikePort?: number;
  /** Local NAT-T port (default 4500; 0 for random). */
  readonly nattPort?: number;
  readonly clock?: Clock;
  /** A CHILD_SA was negotiated (observation: the built-in dataplane installs it by itself). */
  readonly onChildSa?: (child: InstalledChildSa) => void;
  /** A CHILD_SA is gone (observation: the built-in dataplane removes it by itself). */
  readonly onChildSaRemoved?: (spiIn: number, spiOut: number) => void;
  /**
   * Raw ESP tap for external dataplanes and judges: when set, ESP arriving on the NAT-T socket
   * goes here instead of the built-in dataplane (call `KiteClient.noteInbound` once it
   * authenticated; send with `KiteClient.sendEsp`).
   */
  readonly onEsp?: (packet: Uint8Array, from: UdpEndpoint) => void;
  /** Dataplane policy: ChildSa options, IPComp settings, and the ESP send-queue bound in datagrams. */
  readonly datapath?: DatapathOptions & { readonly maxSendQueue?: number };
  /**
   * When to send NAT-keepalives (RFC 3948 §4): 'nat' (default: only when we are behind a NAT),
   * 'always' or 'never'. They go out on the NAT-T socket after `keepaliveMs` (default 20 000; 0:
   * never) in which neither IKE nor ESP was sent; the client, not the core, sends them, since
   * only the socket sees the ESP traffic that keeps the NAT mapping alive anyway.
   */
  readonly natKeepalive?: 'nat' | 'always' | 'never';
  /**
   * MOBIKE address-change detection: every `intervalMs`, if our local address is gone from the
   * interfaces, move to the first address of the same family and scope (`interfaces` is injectable).
   */
  readonly watchInterfaces?: { readonly intervalMs: number; readonly interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]> };
  /** After `dead` (once connected), start over after a delay doubling up to the maximum. */
  readonly reconnect?: { readonly initialDelayMs: number; readonly maxDelayMs: number };
}

/** Event signatures of `KiteClient`. */
export interface KiteClientEvents {
  established: [info: { spiI: string; spiR: string; natLocal: boolean; natRemote: boolean }];
  childUp: [child: InstalledChildSa, config: ConfigReply | undefined];
  childDown: [spiIn: number, spiOut: number, byPeer: boolean];
  childRekeyed: [oldSpiIn: number, child: InstalledChildSa];
  ikeRekeyed: [spiI: string, spiR: string];
  pathChanged: [local: Endpoint, remote: Endpoint];
  dead: [reason: string];
  closed: [byPeer: boolean];
  failed: [error: KiteError];
  log: [level: LogLevel, message: string];
  reconnecting: [attempt: number, delayMs: number];
}

/** Result of `KiteClient.connect`. */
export interface ConnectResult {
  readonly child: InstalledChildSa | undefined;
  readonly config: ConfigReply | undefined;
}

/** Client status: the core's view plus datagram and dataplane counters. */
export interface KiteClientStatus extends InitiatorStatus {
  readonly ikePacketsIn: number;
  readonly ikePacketsOut: number;
  /** Per-CHILD_SA bytes / packets in and out, totals, drops by reason. */
  readonly dataplane: DatapathStatus;
  /** Inner packets the `onPacket` sink threw on. */
  readonly sinkErrors: number;
  /** NAT-T socket counters (IKE, ESP, keepalives, garbage). */
  readonly udp: UdpStats | undefined;
  /** NAT-keepalive interval in force, ms (0: off). */
  readonly natKeepaliveMs: number;
}
