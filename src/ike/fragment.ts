/**
 * IKE fragment reassembly (RFC 7383 §2.6). Holds the decrypted contents of SKF fragments of one
 * message until all have arrived, with explicit limits on count, total size and age. Pure: the
 * caller passes `now` (ms) and receives a result; no timers.
 */
import { KiteError } from '../errors.js';

/** Limits that bound memory held for one message's fragments. */
export interface ReassemblyLimits {
  /** Most fragments a message may have (RFC 7383 puts no bound; strongSwan uses 255 / 64 KiB). */
  readonly maxFragments: number;
  /** Most bytes of decrypted content a reassembled message may have. */
  readonly maxBytes: number;
  /** Fragments older than this (ms since the first) are discarded. */
  readonly timeoutMs: number;
}

/** Defaults, in line with strongSwan's `max_fragments`/`max_packet`. */
export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxFragments: 64, maxBytes: 65_535, timeoutMs: 30_000 } as const;

/** Outcome of adding one fragment. */
export type ReassemblyResult =
  | { readonly state: 'incomplete'; readonly have: number; readonly total: number }
  | { readonly state: 'complete'; readonly innerNextPayload: number; readonly content: Uint8Array }
  | { readonly state: 'duplicate' };

/**
 * Reassembler for the fragments of one message (one message ID, one direction). RFC 7383 §2.6: the
 * first fragment's Next Payload names the first inner payload; others carry zero; Total Fragments
 * must agree, and a larger Total Fragments from a retransmission restarts the collection.
 */
export class FragmentReassembler {
  private readonly parts = new Map<number, Uint8Array>();
  private total = 0;
  private bytes = 0;
  private innerNextPayload = 0;
  private startedAt = 0;

  constructor(private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {}

  /** Number of fragments held. */
  get count(): number {
    return this.parts.size;
  }

  /**
   * Add a decrypted fragment. Throws KiteError `FRAGMENT_INVALID` for numbering that RFC 7383 rules
   * out, `FRAGMENT_LIMIT` when a limit is exceeded (the partial message is dropped).
   */
  add(fragmentNumber: number, totalFragments: number, innerNextPayload: number, content: Uint8Array, now: number): ReassemblyResult {
    if (this.parts.size > 0 && now - this.startedAt > this.limits.timeoutMs) this.reset();
    if (totalFragments < 1 || fragmentNumber < 1 || fragmentNumber > totalFragments) {
      throw new KiteError('FRAGMENT_INVALID', `fragment ${fragmentNumber} of ${totalFragments} is out of range`);
    }
    if (totalFragments > this.limits.maxFragments) {
      throw new KiteError('FRAGMENT_LIMIT', `message announced ${totalFragments} fragments, limit is ${this.limits.maxFragments}`);
    }
    if (this.parts.size > 0 && totalFragments !== this.total) {
      // RFC 7383 §2.6.1: a different total means the sender re-fragmented; keep the newer set only
      // if it is larger, else ignore the stale fragment.
      if (totalFragments < this.total) return { state: 'duplicate' };
      this.reset();
    }
    if (this.parts.size === 0) {
      this.total = totalFragments;
      this.startedAt = now;
    }
    if (this.parts.has(fragmentNumber)) return { state: 'duplicate' };
    if (fragmentNumber === 1) this.innerNextPayload = innerNextPayload;
    if (this.bytes + content.length > this.limits.maxBytes) {
      this.reset();
      throw new KiteError('FRAGMENT_LIMIT', `reassembled message would exceed ${this.limits.maxBytes} bytes`);
    }
    this.parts.set(fragmentNumber, content.slice());
    this.bytes += content.length;
    if (this.parts.size < this.total) return { state: 'incomplete', have: this.parts.size, total: this.total };
    const out = new Uint8Array(this.bytes);
    let o = 0;
    for (let i = 1; i <= this.total; i++) {
      const p = this.parts.get(i) as Uint8Array;
      out.set(p, o);
      o += p.length;
    }
    const first = this.innerNextPayload;
    this.reset();
    return { state: 'complete', innerNextPayload: first, content: out };
  }

  /** Drop everything held. */
  reset(): void {
    this.parts.clear();
    this.total = 0;
    this.bytes = 0;
    this.innerNextPayload = 0;
  }
}
