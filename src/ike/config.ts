/**
 * Configuration of the IKEv2 initiator core. Proposals arrive as wire records (build them with
 * `ike/proposal.ts` from strongSwan-style strings); certificates as DER; peer trust as a narrow
 * interface so that the PKI code (`pki/`) or a test double can stand behind it.
 */
import type { KeyObject } from 'node:crypto';
import type { Proposal } from '../wire/payloads/sa.js';
import type { TrafficSelector } from '../wire/payloads/ts.js';
import type { Endpoint } from './types.js';

/** An identity as carried in IDi/IDr (RFC 7296 §3.5). */
export interface IkeIdentity {
  /** ID Type (`IdType`). */
  readonly idType: number;
  /** Identification Data. */
  readonly data: Uint8Array;
}

/** How the core checks the responder's certificates and identity. */
export interface PeerTrust {
  /** CERTREQ Certification Authority data: concatenated SHA-1 hashes of trusted CAs' public keys. */
  readonly certreqData: Uint8Array;
  /**
   * Verify the peer's certificates (end entity first, DER) to a trusted CA and its identity against
   * IDr; return the end entity's public key. Throw a `KiteError` naming what failed. Validity
   * dates are judged at `now`, the config's `wallClock` (the core's own clock is monotonic).
   */
  verifyPeer(certs: readonly Uint8Array[], idr: IkeIdentity, now: number): KeyObject;
}

/** Retransmission schedule (strongSwan defaults: 4 s × 1.8^n, 5 retries). */
export interface RetransmitConfig {
  readonly timeoutMs: number;
  readonly base: number;
  readonly tries: number;
}

/** Virtual IP request (CP CFG_REQUEST). */
export interface VirtualIpConfig {
  /** Ask for INTERNAL_IP4_ADDRESS and INTERNAL_IP4_DNS. */
  readonly ip4: boolean;
  /** Ask for INTERNAL_IP6_ADDRESS and INTERNAL_IP6_DNS. */
  readonly ip6: boolean;
  /** Ask for this IPv4 address explicitly. */
  readonly requestIp4?: string;
  /** If assigned among several, use this one. */
  readonly preferredIp4?: string;
}

/** Everything the initiator needs. */
export interface InitiatorConfig {
  /** Our address and IKE port (500 normally; 4500 to start on NAT-T directly). */
  readonly local: Endpoint;
  /** Our NAT-T port, used after moving off port 500 (default 4500). */
  readonly localNattPort?: number;
  /** The responder. */
  readonly remote: Endpoint;
  /** IKE proposals, in preference order; KE in the first proposal's first group is sent. */
  readonly ikeProposals: readonly Proposal[];
  /** ESP proposals (SPI is filled in per CHILD_SA). */
  readonly espProposals: readonly Proposal[];
  /** IDi. */
  readonly localId: IkeIdentity;
  /** IDr to send (optional) and the identity the peer must prove. */
  readonly remoteId?: IkeIdentity;
  /** Our private key. */
  readonly privateKey: KeyObject;
  /** Our certificate first, then optionally its chain (DER). */
  readonly certificates: readonly Uint8Array[];
  /** Peer verification. */
  readonly trust: PeerTrust;
  /** TSi and TSr to propose. */
  readonly tsLocal: readonly TrafficSelector[];
  readonly tsRemote: readonly TrafficSelector[];
  /** Virtual IP request; omit for none. */
  readonly virtualIp?: VirtualIpConfig;
  /** Send IKEV2_FRAGMENTATION_SUPPORTED and fragment above `fragmentSize` when the peer agrees. */
  readonly fragmentation: boolean;
  /** Largest IKE message (without non-ESP marker) sent unfragmented. */
  readonly fragmentSize: number;
  readonly retransmit: RetransmitConfig;
  /** Send a NAT_DETECTION_SOURCE_IP that cannot match, so the peer encapsulates ESP in UDP. */
  readonly fakeNat: boolean;
  /** Offer MOBIKE (also moves IKE to 4500 after IKE_SA_INIT). */
  readonly mobike: boolean;
  /** Offer IPComp with this CPI (IPCOMP_SUPPORTED, DEFLATE). */
  readonly ipcompCpi?: number;
  /** Send INITIAL_CONTACT in IKE_AUTH. */
  readonly initialContact: boolean;
  /** Liveness check after this much inbound silence (0: off). */
  readonly dpdDelayMs: number;
  /** NAT-T keepalive interval when behind NAT (0: off). */
  readonly keepaliveMs: number;
  /** Rekey CHILD_SAs this long after creation (0: never), minus up to `rekeyJitterMs`. */
  readonly childRekeyMs: number;
  /** Rekey the IKE SA this long after establishment (0: never), minus up to `rekeyJitterMs`. */
  readonly ikeRekeyMs: number;
  readonly rekeyJitterMs: number;
  /** How long `close()` waits for the Delete response. */
  readonly closeTimeoutMs: number;
  /** How long an unauthenticated error notify (IKE_SA_INIT) may stand before it ends the attempt. */
  readonly unauthenticatedErrorWaitMs: number;
  /** Wall clock (ms since the epoch) for certificate validity. */
  readonly wallClock: () => number;
  /** Random source (tests inject a seeded one). */
  readonly random?: (n: number) => Uint8Array;
}

/** Defaults for the optional knobs. */
export const INITIATOR_DEFAULTS = {
  fragmentation: true,
  fragmentSize: 1280 - 40 - 8 - 4,
  retransmit: { timeoutMs: 4000, base: 1.8, tries: 5 },
  fakeNat: false,
  mobike: true,
  initialContact: true,
  dpdDelayMs: 30_000,
  keepaliveMs: 20_000,
  closeTimeoutMs: 5000,
  childRekeyMs: 3_600_000,
  ikeRekeyMs: 14_400_000,
  rekeyJitterMs: 360_000,
  unauthenticatedErrorWaitMs: 5000,
  wallClock: Date.now,
} as const;

/** The config fields that have defaults. */
export type DefaultedKeys = keyof typeof INITIATOR_DEFAULTS;

/** Input accepted by `createInitiator`: like {@link InitiatorConfig} with defaulted fields optional. */
export type InitiatorOptions = Omit<InitiatorConfig, DefaultedKeys> & Partial<Pick<InitiatorConfig, DefaultedKeys>>;

/** Fill in defaults. */
export function resolveConfig(o: InitiatorOptions): InitiatorConfig {
  return { ...INITIATOR_DEFAULTS, ...o } as InitiatorConfig;
}
