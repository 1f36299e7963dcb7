import { describe, expect, it } from 'vitest';
import { toHex } from '../util/bytes.js';
import { Harness } from './testing/harness.testkit.js';

describe('status()', () => {
  it('shows the CHILD_SA (SPIs, algorithms, selectors) but none of its keys', () => {
    const h = new Harness().start();
    const child = h.installed.at(-1);
    if (child === undefined) throw new Error('no CHILD_SA installed');
    const status = h.initiator.status();
    expect(status.children.map((c) => c.params.spiIn)).toEqual([child.params.spiIn]);
    expect(status.children[0]?.params.encrId).toBe(child.params.encrId);
    const text = JSON.stringify(status, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v));
    for (const key of [child.params.encrKeyIn, child.params.encrKeyOut, child.params.integKeyIn, child.params.integKeyOut]) {
      if (key !== undefined && key.length > 0) expect(text).not.toContain(toHex(key));
    }
    expect(text).not.toMatch(/encrKey|integKey/);
  });
});
