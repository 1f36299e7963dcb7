/**
 * The initiator's `status()` snapshot: SPIs, algorithms, path and NAT state, peer capabilities,
 * CHILD_SAs and the configuration reply.
 */
import { toHex } from '../util/bytes.js';
import type { IkeSa } from './ike-sa.js';
import type { ConfigReply, Endpoint, InstalledChildSa } from './types.js';

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

/** Build the snapshot. */
export function initiatorStatus(sa: IkeSa, children: readonly InstalledChildSa[], config: ConfigReply | undefined): InitiatorStatus {
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
    children,
    config,
  };
}
