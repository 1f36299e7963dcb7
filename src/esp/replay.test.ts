import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayWindow } from './replay.js';

const TWO32 = 0x1_0000_0000;

/** Receive `seq` the way inbound does (check, then commit as if the ICV verified). */
function receive(w: ReplayWindow, seq: number): boolean {
  if (!w.check(seq)) return false;
  w.commit(seq);
  return true;
}

/** The obvious implementation: a set of seen numbers and the highest one. */
class ModelWindow {
  private readonly seen = new Set<number>();
  private top = 0;
  constructor(private readonly size: number) {}
  receive(seq: number): boolean {
    if (seq <= 0 || this.seen.has(seq) || (this.size > 0 && seq + this.size <= this.top)) return false;
    this.seen.add(seq);
    this.top = Math.max(this.top, seq);
    return true;
  }
}

describe('ReplayWindow (32-bit)', () => {
  // A numbered table in the manner of wireguard-go's replay tests: [sequence, accepted].
  const table: readonly (readonly [number, boolean])[] = [
    [0, false], [1, true], [1, false], [3, true], [2, true], [2, false], [130, true], [2, false], [3, false],
    [4, true], [3, false], [131, true], [4, false], [5, true], [1000, true], [871, false], [872, false], [873, true],
    [873, false], [999, true], [1000, false], [1001, true], [5000, true], [4873, true], [4872, false],
  ];
  it('follows the numbered table (window 128)', () => {
    const w = new ReplayWindow(128, false);
    table.forEach(([seq, ok], i) => expect([i, receive(w, seq)]).toEqual([i, ok]));
  });

  it('check does not move the window: only commit does', () => {
    const w = new ReplayWindow(64, false);
    expect(w.check(1000)).toBe(true);
    expect(w.top).toBe(0);
    expect(w.check(5)).toBe(true);
    w.commit(5);
    expect(w.check(5)).toBe(false);
  });

  it('rounds sizes up to 32 and rejects out-of-range sizes', () => {
    expect(new ReplayWindow(100, false).size).toBe(128);
    expect(new ReplayWindow(4096, false).size).toBe(4096);
    expect(() => new ReplayWindow(4097, false)).toThrow(RangeError);
    expect(() => new ReplayWindow(-1, false)).toThrow(RangeError);
  });

  it('window 0 accepts every non-zero number, repeats included', () => {
    const w = new ReplayWindow(0, false);
    expect([receive(w, 5), receive(w, 5), receive(w, 1), receive(w, 0)]).toEqual([true, true, true, false]);
  });

  it.each([32, 64, 128, 1024, 4096])('agrees with the model over random streams (size %i)', (size) => {
    const stream = fc.array(fc.oneof(fc.integer({ min: 0, max: 3 * size }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 300 });
    const local = fc.array(fc.integer({ min: -size - 40, max: 40 }), { maxLength: 400 });
    fc.assert(
      fc.property(stream, local, (a, deltas) => {
        const w = new ReplayWindow(size, false);
        const m = new ModelWindow(size);
        for (const s of a) if (receive(w, s) !== m.receive(s)) return false;
        // Walk near the top to exercise the bitmap edges.
        for (const d of deltas) {
          const s = Math.max(0, Math.min(2 ** 32 - 1, w.top + d));
          if (receive(w, s) !== m.receive(s)) return false;
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });
});

describe('ReplayWindow (ESN, RFC 4303 Appendix A)', () => {
  it('infers the high half across the 2^32 boundary', () => {
    const w = new ReplayWindow(128, true);
    w.commit(TWO32 - 10);
    expect(w.infer(5)).toBe(TWO32 + 5); // ahead of the window: next epoch
    expect(w.infer((TWO32 - 20) >>> 0)).toBe(TWO32 - 20); // inside the window: same epoch
    w.commit(TWO32 + 5);
    expect(w.infer((TWO32 - 20) >>> 0)).toBe(TWO32 - 20); // window straddles the boundary: previous epoch
    expect(w.check(TWO32 - 20)).toBe(true);
    expect(w.check(TWO32 - 10)).toBe(false);
    expect(w.infer(200)).toBe(TWO32 + 200);
  });

  it('refuses sequence number 0 and numbers before the first epoch', () => {
    const w = new ReplayWindow(128, true);
    expect(w.infer(0)).toBe(-1);
    expect(w.infer(0xffffffff)).toBe(-1);
    expect(w.infer(1)).toBe(1);
  });

  it('agrees with the model over random streams that cross 2^32 (low halves on the wire)', () => {
    const size = 128;
    fc.assert(
      fc.property(fc.integer({ min: TWO32 - 3000, max: TWO32 - 1 }), fc.array(fc.integer({ min: -size - 30, max: 60 }), { minLength: 1, maxLength: 300 }), (start, deltas) => {
        const w = new ReplayWindow(size, true);
        const m = new ModelWindow(size);
        w.commit(start);
        m.receive(start);
        for (const d of deltas) {
          const full = Math.max(1, w.top + d);
          const inferred = w.infer(full % TWO32);
          // Within the window and up to 2^31 ahead the high half is recovered exactly.
          if (full + size > w.top && inferred !== full) return false;
          // An old number maps to the next epoch (Appendix A): there the ICV, computed by the
          // sender with the true high half, fails, so the packet is dropped without a commit.
          const ok = inferred === full && w.check(inferred);
          if (ok) w.commit(inferred);
          if (ok !== m.receive(full)) return false;
        }
        return w.top > start || deltas.every((d) => d <= 0);
      }),
      { numRuns: 200 },
    );
  });
});
