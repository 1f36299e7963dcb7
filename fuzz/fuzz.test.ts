import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzTarget, type FuzzTarget } from './harness.js';

// Short version of `npm run fuzz`: every target, a fixed seed, 20 000 inputs each.
const dir = new URL('./targets/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('fuzz (short run)', () => {
  it('has targets', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const f of files) {
    it(`${f}: only records or ParseError`, async () => {
      const mod = (await import(new URL(f, dir).href)) as { target: FuzzTarget };
      const r = fuzzTarget(mod.target, 20_000, 7);
      expect(r.unexpected.slice(0, 3)).toEqual([]);
      expect(r.accepted + r.parseErrors).toBe(20_000);
    });
  }
});
