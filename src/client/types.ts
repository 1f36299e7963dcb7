/**
 * Types of the client API: options, typed events, connect result and status.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { KiteError } from '../errors.js';
import type { InitiatorOptions } from '../ike/config.js';
import type { InitiatorStatus } from '../ike/initiator.js';
import type { ConfigReply, Endpoint, InstalledChildSa, LogLevel } from '../ike/types.js';
import type { Clock } from '../io/clock.js';
import type { UdpEndpoint } from '../io/udp.js';

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
  /** A CHILD_SA was negotiated: install it in the dataplane. */
  readonly onChildSa?: (child: InstalledChildSa) => void;
  /** A CHILD_SA is gone: remove it. */
  readonly onChildSaRemoved?: (spiIn: number, spiOut: number) => void;
  /** A UDP-encapsulated ESP packet arrived (call `KiteClient.noteInbound` once it authenticated). */
  readonly onEsp?: (packet: Uint8Array, from: UdpEndpoint) => void;
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

/** Client status: the core's view plus datagram counters. */
export interface KiteClientStatus extends InitiatorStatus {
  readonly ikePacketsIn: number;
  readonly ikePacketsOut: number;
}
