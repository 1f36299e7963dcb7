/**
 * The datapath's counters as `status()` reports them: per CHILD_SA bytes and packets each way,
 * drops by reason, totals.
 */
import type { ChildSa, EspDrop } from '../esp/child-sa.js';
import type { InstalledChildSa } from '../ike/types.js';

/** Inner bytes and packets each way. */
export interface DataCounters {
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
}

/** One live CHILD_SA as the dataplane sees it. */
export interface ChildDataStatus extends DataCounters {
  readonly spiIn: number;
  readonly spiOut: number;
  readonly mode: 'tunnel' | 'transport';
  /** IPComp negotiated, and how many outbound packets went out compressed. */
  readonly ipcomp: boolean;
  readonly compressedOut: number;
  /** A soft limit was reached (a rekey was asked for). */
  readonly rekeyNeeded: boolean;
  /** A hard limit was reached: the SA carries nothing more. */
  readonly expired: boolean;
  /** Where its ESP goes (UDP encapsulation), if anywhere. */
  readonly encapRemote: string | undefined;
  /** Drops counted on this SA, by reason (only non-zero ones). */
  readonly drops: Readonly<Partial<Record<EspDrop, number>>>;
}

/** The datapath's part of `status()`. */
export interface DatapathStatus {
  /** Live CHILD_SAs, newest (the one outbound traffic uses) first. */
  readonly children: readonly ChildDataStatus[];
  /** Since the client started, removed CHILD_SAs included. */
  readonly totals: DataCounters;
  /** Every drop reason with its count (SA drops of live and removed SAs included). */
  readonly drops: Readonly<Record<string, number>>;
}

/** Zeroed counters. */
export function zeroCounters(): DataCounters {
  return { packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0 };
}

/** `base` plus every entry of `more`. */
export function sumCounters(base: DataCounters, more: readonly DataCounters[]): DataCounters {
  const t = { ...base };
  for (const c of more) {
    t.packetsIn += c.packetsIn;
    t.bytesIn += c.bytesIn;
    t.packetsOut += c.packetsOut;
    t.bytesOut += c.bytesOut;
  }
  return t;
}

/** Snapshot of one SA. */
export function childStatus(sa: ChildSa, child: InstalledChildSa): ChildDataStatus {
  const s = sa.stats;
  const drops: Partial<Record<EspDrop, number>> = {};
  for (const [k, n] of Object.entries(s.drops) as [EspDrop, number][]) if (n > 0) drops[k] = n;
  const r = child.encap?.remote;
  return {
    spiIn: sa.params.spiIn,
    spiOut: sa.params.spiOut,
    mode: sa.params.mode,
    ipcomp: sa.params.ipcomp !== undefined,
    packetsIn: s.packetsIn,
    bytesIn: s.bytesIn,
    packetsOut: s.packetsOut,
    bytesOut: s.bytesOut,
    compressedOut: s.compressedOut,
    rekeyNeeded: sa.rekeyNeeded,
    expired: sa.expired,
    encapRemote: r === undefined ? undefined : `${r.address}:${r.port}`,
    drops,
  };
}
