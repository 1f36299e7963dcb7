/**
 * The clock the protocol core is driven by: monotonic milliseconds, plus one re-armable timer.
 * The only place (with `udp.ts`) where Kite touches Node's timers.
 */

/** Monotonic time source. */
export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
}

/** `performance.now()`-based clock. */
export const systemClock: Clock = { now: () => performance.now() };

/** A single timer that fires `fn` at an absolute time on `clock` (re-arming replaces it). */
export class DeadlineTimer {
  private handle: NodeJS.Timeout | undefined;
  private at = Infinity;

  constructor(private readonly clock: Clock, private readonly fn: () => void) {}

  /** Fire at `at` (Infinity disarms). */
  arm(at: number): void {
    if (at === this.at && this.handle !== undefined) return;
    this.disarm();
    this.at = at;
    if (!Number.isFinite(at)) return;
    const delay = Math.max(0, Math.ceil(at - this.clock.now()));
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.at = Infinity;
      this.fn();
    }, Math.min(delay, 0x7fffffff));
  }

  /** Cancel. */
  disarm(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.at = Infinity;
  }
}
