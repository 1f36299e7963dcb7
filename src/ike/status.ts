/**
 * The initiator's `status()` snapshot: SPIs, algorithms, path and NAT state, peer capabilities,
 * CHILD_SAs and the configuration reply.
 */
import type { ChildSaParams } from '../esp/child-sa.js';
import { toHex } from '../util/bytes.js';
import type { IkeSa } from './ike-sa.js';
import type { ConfigReply, Endpoint, InstalledChildSa } from './types.js';

/** The key fields of a CHILD_SA, which a status snapshot never carries. */
type ChildSaKeyFields = 'encrKeyIn' | 'integKeyIn' | 'encrKeyOut' | 'integKeyOut';

/**
 * A CHILD_SA as `status()` shows it: SPIs, algorithms, mode, selectors and endpoints, but no key
 * material, so a status object can be logged or serialised safely.
 */
export interface ChildSaStatus extends Omit<InstalledChildSa, 'params'> {
  readonly params: Omit<ChildSaParams, ChildSaKeyFields>;
}

function withoutKeys(c: InstalledChildSa): ChildSaStatus {
  const { encrKeyIn: _ei, integKeyIn: _ai, encrKeyOut: _eo, integKeyOut: _ao, ...params } = c.params;
  return { ...c, params };
}

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
  /** Installed CHILD_SAs, without their keys. */
  readonly children: readonly ChildSaStatus[];
  readonly config: ConfigReply | undefined;
  /** When the IKE SA will be rekeyed (same clock as `now`; Infinity: never). */
  readonly nextIkeRekey: number;
  /** When each CHILD_SA (by inbound SPI) will be rekeyed. */
  readonly nextChildRekeys: readonly { readonly spiIn: number; readonly at: number }[];
}

/** Build the snapshot. */
export function initiatorStatus(sa: IkeSa, children: readonly InstalledChildSa[], config: ConfigReply | undefined, rekeys: { ike: number; children: readonly { spiIn: number; at: number }[] }): InitiatorStatus {
  return {
    state: sa.state,
    spiI: toHex(sa.spiI),
    spiR: toHex(sa.spiR),
    algorithms: sa.algorithms,
    local: { ...sa.local },
    remote: { ...sa.remote },
    natLocal: sa.natLocal,
    natRemote: sa.natRemote,
    peerFragmentation: sa.peer.fragmentation,
    peerMobike: sa.peer.mobike,
    children: children.map(withoutKeys),
    config,
    nextIkeRekey: rekeys.ike,
    nextChildRekeys: rekeys.children,
  };
}
