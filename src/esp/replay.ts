/**
 * Anti-replay window (RFC 4303 §3.4.3, Appendix A for ESN), kept as a bitmap ring of 32-bit words
 * in the manner of RFC 6479: one spare word beyond the window so that sliding forward only zeroes
 * whole words, never shifts bits.
 *
 * The split mirrors strongSwan libipsec: {@link ReplayWindow.check} says whether a sequence number
 * may be accepted (and, with ESN, which 64-bit number it stands for); only after the ICV verified
 * does the caller {@link ReplayWindow.commit} it. A forged packet therefore never moves the window.
 *
 * Sequence numbers are JavaScript numbers: exact up to 2^53, which at 10 Mpps lasts 28 years.
 */

/** Default window size in packets. */
export const DEFAULT_REPLAY_WINDOW = 128;
/** Largest window Kite accepts. */
export const MAX_REPLAY_WINDOW = 4096;

const TWO32 = 0x1_0000_0000;

/**
 * Window of `size` packets (rounded up to a multiple of 32; 0 disables the replay check but still
 * tracks the highest number seen so ESN high halves can be inferred).
 */
export class ReplayWindow {
  /** Window size in packets (multiple of 32, or 0). */
  readonly size: number;
  private readonly esn: boolean;
  private readonly bitmap: Uint32Array;
  private readonly mask: number;
  /** Highest sequence number committed (0: none yet). */
  private topSeq = 0;

  /** `size` in 0..{@link MAX_REPLAY_WINDOW}; throws RangeError otherwise (configuration error). */
  constructor(size: number, esn: boolean) {
    if (!Number.isInteger(size) || size < 0 || size > MAX_REPLAY_WINDOW) {
      throw new RangeError(`replay window must be an integer in 0..${MAX_REPLAY_WINDOW}, got ${size}`);
    }
    this.size = Math.ceil(size / 32) * 32;
    this.esn = esn;
    // A power-of-two word count makes the ring index a mask; +1 word so the window never shares
    // a word with the bits being cleared when it slides.
    let words = 1;
    while (words < this.size / 32 + 1) words *= 2;
    this.bitmap = new Uint32Array(words);
    this.mask = words - 1;
  }

  /** The highest sequence number committed so far (0 before the first packet). */
  get top(): number {
    return this.topSeq;
  }

  /**
   * The full sequence number a packet carrying the low 32 bits `seqLo` stands for (RFC 4303
   * Appendix A2.2), or -1 when it cannot be valid: zero, or older than the window. Without ESN the
   * number is `seqLo` itself.
   */
  infer(seqLo: number): number {
    if (!this.esn) return seqLo === 0 ? -1 : seqLo;
    const w = this.size === 0 ? 0x8000_0000 : this.size;
    const top = this.topSeq;
    const tl = top % TWO32;
    const th = (top - tl) / TWO32;
    let sh: number;
    if (tl >= w - 1) {
      sh = seqLo >= tl - w + 1 ? th : th + 1;
    } else {
      sh = seqLo >= ((tl - w + 1) >>> 0) ? th - 1 : th;
    }
    if (sh < 0) return -1;
    const seq = sh * TWO32 + seqLo;
    return seq === 0 ? -1 : seq;
  }

  /** True when full sequence number `seq` (from {@link infer}) is new and inside or ahead of the window. */
  check(seq: number): boolean {
    if (seq <= 0) return false;
    if (this.size === 0 || seq > this.topSeq) return true;
    if (seq + this.size <= this.topSeq) return false;
    const bit = seq % 32;
    const word = Math.floor(seq / 32) & this.mask;
    return ((this.bitmap[word] as number) & (1 << bit)) === 0;
  }

  /** Mark `seq` as received; call only after {@link check} passed and the ICV verified. */
  commit(seq: number): void {
    if (seq > this.topSeq) {
      if (this.size !== 0) {
        const from = Math.floor(this.topSeq / 32);
        const to = Math.floor(seq / 32);
        const n = Math.min(to - from, this.bitmap.length);
        for (let i = 1; i <= n; i++) this.bitmap[(from + i) & this.mask] = 0;
      }
      this.topSeq = seq;
    }
    if (this.size === 0) return;
    const word = Math.floor(seq / 32) & this.mask;
    this.bitmap[word] = (this.bitmap[word] as number) | (1 << (seq % 32));
  }
}
