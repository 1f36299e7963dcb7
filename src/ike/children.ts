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
  /** Rekeys of this SA refused with TEMPORARY_FAILURE in a row. */
  refusals: number;
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
 * few times over several minutes): 10 to 15 s later (strongSwan's retry interval), at most
 * {@link TEMPORARY_FAILURE_RETRIES} times in a row, then at the normal rekey time again.
 */
export function retryTime(now: number, r: Uint8Array): number {
  return jitteredTime(now, 15_000, 5_000, r);
}

/** Quick retries after TEMPORARY_FAILURE before falling back to the rekey interval. */
export const TEMPORARY_FAILURE_RETRIES = 10;

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
    this.entries.set(child.params.spiIn, { child, rekeyAt: this.rekeyTime(now), replaced: false, refusals: 0 });
    this.emit({ type: 'install-child', child });
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
   * refused it for now (`temporary`, TEMPORARY_FAILURE).
   */
  rekeyAborted(spiIn: number, now: number, temporary = false): void {
    const e = this.entries.get(spiIn);
    if (e === undefined) return;
    delete e.rekeying;
    e.refusals = temporary ? e.refusals + 1 : 0;
    e.rekeyAt = temporary && e.refusals <= TEMPORARY_FAILURE_RETRIES ? retryTime(now, this.random(4)) : this.rekeyTime(now);
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
