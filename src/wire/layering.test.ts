// DESIGN.md layering: wire/ is a pure codec. Its library files import only wire/ itself, errors,
// iana/ and util/ (never crypto/, node: modules or anything that does I/O).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.testkit.ts'));

const ALLOWED = /^(\.\/|\.\.\/(errors|iana\/|util\/)|\.\.\/\.\.\/(errors|iana\/|util\/)|\.\.\/(?!\.\.)[a-z-]+\.js$)/;

describe('wire/ layering', () => {
  it('has library files to check', () => {
    expect(files.length).toBeGreaterThan(15);
  });
  for (const f of files) {
    it(`${f} imports only wire, errors, iana and util`, () => {
      const text = readFileSync(new URL(f, dir), 'utf8');
      const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
      const depth = f.split('/').length - 1; // payloads/x.ts is one level down
      const bad = specs.filter((s) => {
        if (!ALLOWED.test(s)) return true;
        // `../x.js` from payloads/ is wire itself; from wire/ it would leave the layer.
        return depth === 0 && /^\.\.\/(?!errors|iana\/|util\/)/.test(s);
      });
      expect(bad).toEqual([]);
    });
  }
});
