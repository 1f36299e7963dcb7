// DESIGN.md layering: esp/ and ipcomp/ are pure — bytes and `now` in, bytes or a drop reason out.
// Their library files import no sockets, files, timers, io/ nor each other (the IPComp codec is
// injected into esp/); node:crypto and node:zlib are computation, not I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ALLOWED = /^(\.\/[a-z-]+\.js|\.\.\/(crypto|wire|iana|util)\/[a-z0-9-]+\.js|\.\.\/errors\.js|\.\/cipher(-node|-noble)?\.js|node:crypto|node:zlib|@noble\/(ciphers|hashes)\/[a-z0-9]+\.js)$/;
const FORBIDDEN_CALLS = /\b(setTimeout|setInterval|setImmediate|process\.hrtime|Date\.now|performance\.now)\b/;

describe.each(['esp', 'ipcomp'])('%s/ layering', (folder) => {
  const dir = new URL(`../${folder}/`, import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.testkit.ts'));
  it('has library files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)('%s imports only pure layers and reads no clock', (f) => {
    const text = readFileSync(new URL(f, dir), 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
    expect(specs.filter((s) => !ALLOWED.test(s))).toEqual([]);
    expect(text.replace(/^\s*(\/\/|\*).*$/gm, '').match(FORBIDDEN_CALLS)).toBeNull();
  });
});
