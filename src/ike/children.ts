/**
 * The CHILD_SAs of one IKE SA: who is installed, when each is due for rekeying (soft lifetime
 * minus jitter), which rekeys are in flight, and the §2.8.1 collision bookkeeping. It turns
 * decisions into actions (install, remove, events) through `emit`; it never sends.
 */
import type { InitiatorConfig } from './config.js';
import { lowestNonce, type ChildRekeyTask } from './tasks/child-rekey.js';
import type { Action, InstalledChildSa } from './types.js';

interface Entry {
  readonly child: InstalledChildSa;
  rekeyAt: number;
  /** Our rekey task of this SA, while in flight. */
  rekeying?: ChildRekeyTask;
  /** When the first of this SA's rekeys refused with TEMPORARY_FAILURE in a row was refused. */
  refusedSince?: number;
  /** Nonces of the peer's rekey of this SA, when it crossed ours. */
  peerNonces?: readonly Uint8Array[];
  /** Replaced by a rekey: kept for inbound traffic until deleted. */
  replaced: boolean;
}

/** `now + after` minus a random share (from the octets of `r`) of `jitter`; Infinity when `after` <= 0. */
export function jitteredTime(now: number, after: number, jitter: number, r: Uint8Array): number {
  if (after <= 0) return Infinity;
  const u = (((r[0] ?? 0) << 16) | ((r[1] ?? 0) << 8) | (r[2] ?? 0)) / 0x1000000;
  return now + after - Math.floor(u * jitter);
}

/**
 * When to retry a rekey the peer refused with TEMPORARY_FAILURE (RFC 7296 §2.25: not at once, a
 * few times over several minutes): 10 to 15 s later (strongSwan's retry interval), until the
 * refusals have gone on for {@link TEMPORARY_FAILURE_GIVE_UP_MS}.
 */
export function retryTime(now: number, r: Uint8Array): number {
  return jitteredTime(now, 15_000, 5_000, r);
}

/**
 * How long rekeys may keep being refused with TEMPORARY_FAILURE in a row before we conclude that
 * our state is out of sync with the peer's and close the IKE SA (RFC 7296 §2.25: "If a peer
 * continues to receive TEMPORARY_FAILURE on the same IKE SA after several minutes, it SHOULD
 * conclude that the state information is out of sync and close the IKE SA").
 */
export const TEMPORARY_FAILURE_GIVE_UP_MS = 300_000;

/**
 * Whether a TEMPORARY_FAILURE refusal at `now`, in a row that began at `since`, means giving up
 * (the refusals span {@link TEMPORARY_FAILURE_GIVE_UP_MS} or more).
 */
export function refusedTooLong(since: number, now: number): boolean {
  return now - since >= TEMPORARY_FAILURE_GIVE_UP_MS;
}

/** What to do after our rekey completed. */
export interface RekeyDecision {
  /** Inbound SPIs of CHILD_SAs we must now delete (the old one, or our redundant new one). */
  readonly deleteSpisIn: readonly number[];
}

/** The CHILD_SA table. */
export class ChildTable {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly config: InitiatorConfig,
    private readonly emit: (a: Action) => void,
    private readonly random: (n: number) => Uint8Array,
  ) {}

  private rekeyTime(now: number): number {
    return jitteredTime(now, this.config.childRekeyMs, this.config.rekeyJitterMs, this.random(4));
  }

  /** Install a new CHILD_SA. */
  add(child: InstalledChildSa, now: number): void {
    this.entries.set(child.params.spiIn, { child, rekeyAt: this.rekeyTime(now), replaced: false });
    this.emit({ type: 'install-child', child });
  }

  /** Install a CHILD_SA created by CREATE_CHILD_SA (not a rekey): like the first one, with `childUp`. */
  created(child: InstalledChildSa, now: number): void {
    this.add(child, now);
    this.emit({ type: 'event', event: { type: 'childUp', child } });
  }

  /**
   * Our rekey of `spiIn` was answered with CHILD_SA_NOT_FOUND (RFC 7296 §2.25): the peer no longer
   * has it. Remove ours silently (no `childDown` yet) and return it when a fresh CHILD_SA should
   * take its place; undefined when it is gone already or the peer's own rekey replaced it.
   */
  lost(spiIn: number): InstalledChildSa | undefined {
    const e = this.entries.get(spiIn);
    if (e === undefined) return undefined;
    const replacedByPeer = e.replaced || e.peerNonces !== undefined;
    e.replaced = true;
    this.remove(spiIn, true);
    return replacedByPeer ? undefined : e.child;
  }

  /** `child`, removed by {@link lost}, could not be recreated: it is down. */
  lostForGood(child: InstalledChildSa): void {
    this.emit({ type: 'event', event: { type: 'childDown', spiIn: child.params.spiIn, spiOut: child.params.spiOut, byPeer: true } });
  }

  /** Live (not replaced) CHILD_SAs. */
  list(): InstalledChildSa[] {
    return [...this.entries.values()].filter((e) => !e.replaced).map((e) => e.child);
  }

  /** By our inbound SPI. */
  get(spiIn: number): InstalledChildSa | undefined {
    return this.entries.get(spiIn)?.child;
  }

  /** By the peer's inbound (our outbound) SPI. */
  findByOutboundSpi(spiOut: number): InstalledChildSa | undefined {
    for (const e of this.entries.values()) if (e.child.params.spiOut === spiOut) return e.child;
    return undefined;
  }

  /** Remove one CHILD_SA; `childDown` is emitted unless it had been replaced by a rekey. */
  remove(spiIn: number, byPeer: boolean): boolean {
    const e = this.entries.get(spiIn);
    if (e === undefined) return false;
    this.entries.delete(spiIn);
    this.emit({ type: 'remove-child', spiIn, spiOut: e.child.params.spiOut });
    if (!e.replaced) this.emit({ type: 'event', event: { type: 'childDown', spiIn, spiOut: e.child.params.spiOut, byPeer } });
    return true;
  }

  /** The path moved (MOBIKE): re-announce every CHILD_SA with its new UDP encapsulation. */
  moved(encap: InstalledChildSa['encap']): void {
    for (const [spiIn, e] of this.entries) {
      const { encap: _old, ...rest } = e.child;
      const child: InstalledChildSa = encap === undefined ? rest : { ...rest, encap: { local: { ...encap.local }, remote: { ...encap.remote } } };
      this.entries.set(spiIn, { ...e, child });
      if (!e.replaced) this.emit({ type: 'install-child', child });
    }
  }

  /** Remove all. */
  clear(byPeer: boolean): void {
    for (const spiIn of [...this.entries.keys()]) this.remove(spiIn, byPeer);
  }

  /** CHILD_SAs due for rekeying at `now` (not already being rekeyed or replaced). */
  due(now: number): InstalledChildSa[] {
    return [...this.entries.values()].filter((e) => !e.replaced && e.rekeying === undefined && now >= e.rekeyAt).map((e) => e.child);
  }

  /** Rekey time of every live CHILD_SA. */
  rekeyTimes(): { spiIn: number; at: number }[] {
    return [...this.entries.values()].filter((e) => !e.replaced).map((e) => ({ spiIn: e.child.params.spiIn, at: e.rekeyAt }));
  }

  /** Earliest rekey time. */
  nextRekey(): number {
    let t = Infinity;
    for (const e of this.entries.values()) if (!e.replaced && e.rekeying === undefined) t = Math.min(t, e.rekeyAt);
    return t;
  }

  /** Our rekey task for `spiIn` started. */
  rekeyStarted(spiIn: number, task: ChildRekeyTask): void {
    const e = this.entries.get(spiIn);
    if (e !== undefined) e.rekeying = task;
  }

  /**
   * Our rekey failed or was dropped: try again at the next rekey time, or soon when the peer only
   * refused it for now (`temporary`, TEMPORARY_FAILURE). Returns true when such refusals have gone
   * on for {@link TEMPORARY_FAILURE_GIVE_UP_MS}: the IKE SA must be closed (RFC 7296 §2.25).
   */
  rekeyAborted(spiIn: number, now: number, temporary = false): boolean {
    const e = this.entries.get(spiIn);
    if (e === undefined) return false;
    delete e.rekeying;
    if (!temporary) {
      delete e.refusedSince;
      e.rekeyAt = this.rekeyTime(now);
      return false;
    }
    e.refusedSince ??= now;
    e.rekeyAt = retryTime(now, this.random(4));
    return refusedTooLong(e.refusedSince, now);
  }

  /** The peer rekeyed `old` into `child` (make-before-break: the old one stays until its Delete). */
  peerRekeyed(old: InstalledChildSa, child: InstalledChildSa, nonces: readonly Uint8Array[], now: number): void {
    const e = this.entries.get(old.params.spiIn);
    if (e !== undefined) {
      e.replaced = e.rekeying === undefined;
      if (e.rekeying !== undefined) e.peerNonces = nonces;
    }
    this.add({ ...child, replaces: old.params.spiIn }, now);
    this.emit({ type: 'event', event: { type: 'childRekeyed', oldSpiIn: old.params.spiIn, child } });
  }

  /**
   * Our rekey of `task.old` completed: install the new pair and decide what to delete. Without a
   * collision, the old SA. With one (§2.8.1): if our exchange holds the lowest of the four nonces
   * our new SA is redundant and we delete it (the peer deletes the old one); else we delete the old.
   */
  rekeyDone(task: ChildRekeyTask, now: number): RekeyDecision {
    const child = task.child;
    const e = this.entries.get(task.old.params.spiIn);
    if (child === undefined) return { deleteSpisIn: [] };
    this.add(child, now);
    const peer = e?.peerNonces;
    if (e !== undefined) {
      delete e.rekeying;
      e.replaced = true;
    }
    if (peer !== undefined) {
      const lowest = lowestNonce([...task.nonces, ...peer]);
      if (lowest !== undefined && task.nonces.includes(lowest)) {
        const ours = this.entries.get(child.params.spiIn);
        if (ours !== undefined) ours.replaced = true;
        return { deleteSpisIn: [child.params.spiIn] };
      }
    }
    this.emit({ type: 'event', event: { type: 'childRekeyed', oldSpiIn: task.old.params.spiIn, child } });
    return { deleteSpisIn: e === undefined ? [] : [task.old.params.spiIn] };
  }
}
