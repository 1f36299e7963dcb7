/**
 * The vocabulary of the sans-I/O IKE core: endpoints, the actions it returns (send a datagram,
 * install or remove a CHILD_SA, emit an event) and the events a caller observes. Nothing here does
 * I/O; `client/` turns actions into socket writes and dataplane calls.
 */
import type { ChildSaParams } from '../esp/child-sa.js';
import type { TrafficSelector } from '../wire/payloads/ts.js';
import type { CfgAttribute } from '../wire/payloads/cp.js';
import type { KiteError } from '../errors.js';

/** A UDP endpoint (IPv4 dotted quad or IPv6 text). */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** Send one datagram. `marker`: prefix the 4-octet non-ESP marker (RFC 3948 §2.2, port 4500). */
export interface SendAction {
  readonly type: 'send';
  readonly data: Uint8Array;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly marker: boolean;
}

/** A negotiated CHILD_SA with what the dataplane and the user need beyond the keys. */
export interface InstalledChildSa {
  /** Keys, SPIs and algorithms (the ESP issue's record). */
  readonly params: ChildSaParams;
  /** Traffic selectors as agreed: ours (TSi) and the peer's (TSr). */
  readonly tsLocal: readonly TrafficSelector[];
  readonly tsRemote: readonly TrafficSelector[];
  /** UDP encapsulation endpoints (RFC 3948) when NAT-T is in use, else undefined. */
  readonly encap?: { readonly local: Endpoint; readonly remote: Endpoint };
  /**
   * Set when the PEER rekeyed: the inbound SPI of the CHILD_SA this one replaces. We answered the
   * CREATE_CHILD_SA, but the peer installs the new SAs only when our response arrives, so the
   * dataplane keeps sending on the old SA until the new one carries inbound traffic or the old
   * one is deleted (RFC 7296 §2.8; strongSwan's responders do the same) — else the first packets
   * on the new SA can reach the peer before its inbound SA exists and are lost.
   */
  readonly replaces?: number;
}

/** Install a CHILD_SA pair in the dataplane. */
export interface InstallChildAction {
  readonly type: 'install-child';
  readonly child: InstalledChildSa;
}

/** Remove the CHILD_SA pair with these SPIs. */
export interface RemoveChildAction {
  readonly type: 'remove-child';
  readonly spiIn: number;
  readonly spiOut: number;
}

/** Attributes of the CFG_REPLY, all kept, plus the decoded addresses. */
export interface ConfigReply {
  /** Every attribute as received. */
  readonly attributes: readonly CfgAttribute[];
  /** All INTERNAL_IP4_ADDRESS values (older iked sends two). */
  readonly ip4Addresses: readonly string[];
  /** All INTERNAL_IP6_ADDRESS values (address/prefix length). */
  readonly ip6Addresses: readonly string[];
  /** The address the client uses: the configured preferred one if assigned, else the first. */
  readonly preferredIp4?: string;
  readonly ip4Dns: readonly string[];
  readonly ip6Dns: readonly string[];
  readonly ip4Netmask?: string;
  readonly ip4Subnets: readonly string[];
}

/** Events emitted by the core. */
export type IkeEvent =
  | { readonly type: 'established'; readonly spiI: string; readonly spiR: string; readonly natLocal: boolean; readonly natRemote: boolean }
  | { readonly type: 'childUp'; readonly child: InstalledChildSa; readonly config?: ConfigReply }
  | { readonly type: 'childDown'; readonly spiIn: number; readonly spiOut: number; readonly byPeer: boolean }
  | { readonly type: 'childRekeyed'; readonly oldSpiIn: number; readonly child: InstalledChildSa }
  | { readonly type: 'ikeRekeyed'; readonly spiI: string; readonly spiR: string }
  | { readonly type: 'pathChanged'; readonly local: Endpoint; readonly remote: Endpoint }
  | { readonly type: 'failed'; readonly error: KiteError }
  | { readonly type: 'dead'; readonly reason: string }
  | { readonly type: 'closed'; readonly byPeer: boolean }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string };

/** Log verbosity: 0 errors .. 4 secrets (keys only ever at 4). */
export type LogLevel = 0 | 1 | 2 | 3 | 4;

/** Emit an event. */
export interface EventAction {
  readonly type: 'event';
  readonly event: IkeEvent;
}

/** What the core asks its caller to do. */
export type Action = SendAction | InstallChildAction | RemoveChildAction | EventAction;
