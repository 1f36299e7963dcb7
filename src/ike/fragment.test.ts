import { describe, expect, it } from 'vitest';
import { KiteError } from '../errors.js';
import { FragmentReassembler } from './fragment.js';

const b = (...v: number[]): Uint8Array => Uint8Array.from(v);

describe('FragmentReassembler (RFC 7383 §2.6)', () => {
  it('reassembles out of order and takes Next Payload from fragment 1', () => {
    const r = new FragmentReassembler();
    expect(r.add(2, 3, 0, b(3, 4), 0)).toEqual({ state: 'incomplete', have: 1, total: 3 });
    expect(r.add(3, 3, 0, b(5), 1)).toEqual({ state: 'incomplete', have: 2, total: 3 });
    const done = r.add(1, 3, 35, b(1, 2), 2);
    expect(done).toEqual({ state: 'complete', innerNextPayload: 35, content: b(1, 2, 3, 4, 5) });
    expect(r.count).toBe(0);
  });

  it('ignores duplicates and stale smaller totals', () => {
    const r = new FragmentReassembler();
    r.add(1, 3, 35, b(1), 0);
    expect(r.add(1, 3, 35, b(9), 0)).toEqual({ state: 'duplicate' });
    expect(r.add(1, 2, 35, b(9), 0)).toEqual({ state: 'duplicate' });
    r.add(2, 3, 0, b(2), 0);
    expect(r.add(3, 3, 0, b(3), 0)).toMatchObject({ state: 'complete', content: b(1, 2, 3) });
  });

  it('restarts on a larger total (re-fragmented retransmission)', () => {
    const r = new FragmentReassembler();
    r.add(1, 2, 35, b(1), 0);
    expect(r.add(1, 3, 35, b(7), 0)).toEqual({ state: 'incomplete', have: 1, total: 3 });
  });

  it('rejects bad numbering and enforces limits', () => {
    const r = new FragmentReassembler({ maxFragments: 4, maxBytes: 4, timeoutMs: 10 });
    expect(() => r.add(0, 2, 0, b(1), 0)).toThrow(KiteError);
    expect(() => r.add(3, 2, 0, b(1), 0)).toThrow(/out of range/);
    expect(() => r.add(1, 5, 0, b(1), 0)).toThrow(/limit is 4/);
    r.add(1, 3, 35, b(1, 2, 3), 0);
    expect(() => r.add(2, 3, 0, b(4, 5), 0)).toThrow(/exceed 4 bytes/);
    expect(r.count).toBe(0);
  });

  it('discards fragments older than the timeout', () => {
    const r = new FragmentReassembler({ maxFragments: 4, maxBytes: 100, timeoutMs: 10 });
    r.add(1, 2, 35, b(1), 0);
    expect(r.add(2, 2, 0, b(2), 11)).toEqual({ state: 'incomplete', have: 1, total: 2 });
  });
});
