/**
 * The IKE SAs of one connection and their hand-over on an IKE SA rekey (RFC 7296 §2.18): the
 * current SA, the ones being retired (each kept until its Delete is done), our rekey in flight,
 * and the simultaneous-rekey resolution of §2.8.2. When the peer's rekey request arrives while
 * ours is outstanding we answer it (both rekeys produce a new SA); once ours completes, the new SA
 * whose exchange holds the lowest of the four nonces is redundant and is deleted by its creator,
 * the other inherits the CHILD_SAs (they live in the CHILD table, not in an SA). If the peer did not
 * notice the collision (it refuses ours with TEMPORARY_FAILURE, or deletes the old SA under it),
 * its new SA simply takes over and our attempt is forgotten.
 */
import { toHex } from '../util/bytes.js';
import type { IkeHeader } from '../wire/header.js';
import type { Payload } from '../wire/payload.js';
import { refusedTooLong } from './children.js';
import { ikeDeleteExchange, ikeRekeyExchange } from './exchanges.js';
import type { IkeSa } from './ike-sa.js';
import { temporaryFailure } from './peer-requests.js';
import type { SaSlot } from './slot.js';
import { lowestNonce } from './tasks/child-rekey.js';
import { respondIkeRekey } from './tasks/ike-rekey.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import type { IkeEvent, LogLevel } from './types.js';

/** What the SA set needs from the initiator. */
export interface SaSetHost {
  /** A slot (SA + task manager) wired to the initiator. */
  slot(sa: IkeSa): SaSlot;
  log(level: LogLevel, message: string): void;
  event(event: IkeEvent): void;
  /** When the next IKE rekey is due, counted from `now` (`soon`: a retry after TEMPORARY_FAILURE). */
  rekeyTime(now: number, soon?: boolean): number;
  /** Our rekeys kept being refused with TEMPORARY_FAILURE for several minutes: close the IKE SA (RFC 7296 §2.25). */
  outOfSync(what: string, now: number): void;
  /**
   * How long a replaced SA is kept at most: its Delete (ours, with every retransmission, or the
   * peer's) normally ends it sooner; a peer that never sends its Delete must not keep it forever.
   */
  readonly retireWithinMs: number;
}

/** Does the new SA `mine` hold the lowest of the four nonces of two crossing rekeys (§2.8.2)? */
export function holdsLowestNonce(mine: IkeSa, theirs: IkeSa): boolean {
  const lowest = lowestNonce([mine.nonceI, mine.nonceR, theirs.nonceI, theirs.nonceR]);
  return lowest === mine.nonceI || lowest === mine.nonceR;
}

/** The current IKE SA, the retiring ones and the IKE rekey state. */
export class IkeSaSet {
  /** The SA that carries new exchanges. */
  cur: SaSlot;
  /** When our next IKE rekey is due (Infinity: never, or not established yet). */
  rekeyAt = Infinity;
  private readonly retiring: SaSlot[] = [];
  /** When each retiring SA is dropped at the latest. */
  private readonly retireBy = new Map<SaSlot, number>();
  /** Our IKE rekey, from the moment it is queued until it completes or fails. */
  private ours: Exchange | undefined;
  /** The peer's new SA from a rekey that crossed ours, until ours is resolved. */
  private peerNew: SaSlot | undefined;
  /** Set while answering a peer request, applied once the response is out. */
  private pendingSwap: IkeSa | undefined;
  private adoptPeerNew = false;
  /** When the first of our rekeys refused with TEMPORARY_FAILURE in a row was refused. */
  private refusedSince: number | undefined;
  private readonly retireLater: SaSlot[] = [];

  constructor(first: IkeSa, private readonly host: SaSetHost) {
    this.cur = host.slot(first);
  }

  /** Our IKE rekey is queued or in flight. */
  get rekeying(): boolean {
    return this.ours !== undefined;
  }

  /** The slot a message with `header` belongs to (the current SA only once it has keys). */
  find(header: IkeHeader): SaSlot | undefined {
    if (this.cur.sa.keys !== undefined && this.cur.matches(header)) return this.cur;
    return this.others().find((s) => s.matches(header));
  }

  private others(): SaSlot[] {
    return this.peerNew === undefined ? [...this.retiring] : [...this.retiring, this.peerNew];
  }

  /** Run the timers of the SAs other than the current one; drop those kept too long. */
  tickOthers(now: number): void {
    for (const s of this.others()) s.tm.tick(now);
    for (const [s, by] of this.retireBy) {
      if (now < by) continue;
      this.host.log(1, `the replaced IKE SA ${s.sa.describe()} was never deleted; dropping it`);
      this.retire(s);
    }
  }

  /** Earliest deadline of the SAs other than the current one. */
  othersDeadline(): number {
    return Math.min(Infinity, ...this.others().map((s) => s.tm.nextDeadline()), ...this.retireBy.values());
  }

  private keep(slot: SaSlot, now: number): void {
    this.retiring.push(slot);
    this.retireBy.set(slot, now + this.host.retireWithinMs);
  }

  /** Queue our rekey of the current IKE SA (no-op while one is pending). */
  startRekey(now: number): void {
    if (this.ours !== undefined) return;
    const ex: Exchange = ikeRekeyExchange((sa, t) => this.rekeyed(ex, sa, t), (t, temporary) => this.rekeyFailed(ex, t, temporary));
    this.ours = ex;
    this.cur.tm.enqueue(ex, now);
  }

  /** Answer the peer's IKE SA rekey request received on `slot`. */
  answerRekey(slot: SaSlot, ctx: TaskContext, payloads: readonly Payload[], established: boolean): Payload[] {
    // §2.8.2: an SA we already rekeyed (or are handing over) is one we are closing.
    if (slot !== this.cur || !established || this.pendingSwap !== undefined || this.peerNew !== undefined) return [temporaryFailure()];
    const r = respondIkeRekey(ctx, payloads);
    if (r.newSa === undefined) return r.response;
    // Ours still queued (not sent): the peer's rekey replaces it.
    if (this.ours !== undefined && this.cur.tm.cancel(this.ours)) this.ours = undefined;
    if (this.ours !== undefined) {
      this.peerNew = this.host.slot(r.newSa);
      this.host.log(2, `simultaneous IKE SA rekey: the peer's rekey crossed ours (its new SA ${r.newSa.describe()}); resolving by nonce once ours completes`);
    } else {
      this.pendingSwap = r.newSa;
    }
    return r.response;
  }

  /**
   * The peer deleted the IKE SA of `slot`. Returns true when that ends the connection (the current
   * SA, with no rekeyed SA to take over).
   */
  peerDeleted(slot: SaSlot): boolean {
    if (slot === this.cur) {
      if (this.peerNew === undefined) return true;
      // §2.8.2: the peer did not see our rekey; its new SA takes over and ours is forgotten.
      this.adoptPeerNew = true;
      return false;
    }
    this.retireLater.push(slot);
    return false;
  }

  /** After a peer request was answered: apply a hand-over it decided and retire deleted SAs. */
  afterRequest(now: number): void {
    const next = this.pendingSwap;
    this.pendingSwap = undefined;
    if (next !== undefined) this.swapTo(this.host.slot(next), now);
    if (this.adoptPeerNew && this.peerNew !== undefined) {
      const prior = this.cur;
      const peer = this.peerNew;
      this.peerNew = undefined;
      this.ours = undefined;
      this.host.log(2, 'the peer deleted the old IKE SA under our crossing rekey: its new SA takes over');
      this.swapTo(peer, now);
      this.retire(prior);
    }
    this.adoptPeerNew = false;
    for (const s of this.retireLater.splice(0)) this.retire(s);
  }

  /** Drop an IKE SA that was replaced (or is going away with the connection). */
  retire(slot: SaSlot): void {
    slot.tm.abandon(slot.sa.lastInbound);
    slot.sa.state = 'closed';
    slot.sa.wipe();
    const i = this.retiring.indexOf(slot);
    if (i >= 0) this.retiring.splice(i, 1);
    this.retireBy.delete(slot);
    if (this.peerNew === slot) this.peerNew = undefined;
  }

  /** Drop every SA but the current one (the connection ends). */
  retireOthers(): void {
    for (const s of this.others()) this.retire(s);
  }

  private rekeyed(ex: Exchange, mine: IkeSa, now: number): void {
    if (this.ours !== ex) return;
    this.ours = undefined;
    const prior = this.cur;
    const peer = this.peerNew;
    this.peerNew = undefined;
    const slot = this.host.slot(mine);
    if (peer !== undefined && holdsLowestNonce(mine, peer.sa)) {
      this.host.log(2, `simultaneous IKE SA rekey: ours (${mine.describe()}) holds the lowest nonce; deleting it, the peer's ${peer.sa.describe()} takes over`);
      this.swapTo(peer, now); // the old SA stays until the peer, creator of the survivor, deletes it
      this.keep(slot, now);
      slot.tm.enqueue(ikeDeleteExchange(false, () => this.retire(slot)), now);
      return;
    }
    if (peer !== undefined) {
      this.host.log(2, `simultaneous IKE SA rekey: the peer's ${peer.sa.describe()} holds the lowest nonce; it deletes it, ours takes over`);
      this.keep(peer, now);
    }
    this.swapTo(slot, now);
    prior.tm.enqueue(ikeDeleteExchange(false, () => this.retire(prior)), now);
  }

  private rekeyFailed(ex: Exchange, now: number, temporary: boolean): void {
    if (this.ours !== ex) return;
    this.ours = undefined;
    const peer = this.peerNew;
    if (peer === undefined) {
      this.refusedSince = temporary ? this.refusedSince ?? now : undefined;
      this.rekeyAt = this.host.rekeyTime(now, temporary);
      if (this.refusedSince !== undefined && refusedTooLong(this.refusedSince, now)) this.host.outOfSync('IKE SA rekey', now);
      return;
    }
    // §2.8.2: the peer finished its rekey before it saw ours (and refused ours): its SA takes over;
    // the old SA waits for the peer's Delete.
    this.peerNew = undefined;
    this.host.log(2, 'the peer refused our crossing IKE rekey: its new SA takes over');
    this.swapTo(peer, now);
  }

  /** Make `slot` current; the old current SA is kept (retiring) until it is deleted. */
  private swapTo(slot: SaSlot, now: number): void {
    const prior = this.cur;
    this.keep(prior, now);
    this.cur = slot;
    this.refusedSince = undefined;
    // RFC 7296 §2.18: after the rekey the old IKE SA carries only its Delete.
    for (const ex of prior.tm.drainQueue()) slot.tm.enqueue(ex, now);
    this.rekeyAt = this.host.rekeyTime(now);
    const sa = slot.sa;
    this.host.event({ type: 'ikeRekeyed', spiI: toHex(sa.spiI), spiR: toHex(sa.spiR) });
    this.host.log(2, `IKE SA rekeyed: ${prior.sa.describe()} -> ${sa.describe()}`);
  }
}
