import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleFigure, parseFigure } from './rfc-figures.testkit.js';

const rfc = readFileSync(new URL('../../../shared/rfc/rfc5996.txt', import.meta.url), 'utf8');

describe('RFC figure reader (test support)', () => {
  it('reads the IKE header (Figure 4) as 28 octets of named fields', () => {
    const f = parseFigure(rfc, 4);
    expect(f.map((x) => x.name)).toContain('Message ID');
    expect(f.reduce((n, x) => n + (x.bits ?? 0), 0)).toBe(28 * 8);
    expect(f.find((x) => x.name === "IKE SA Initiator's SPI")?.bits).toBe(64);
  });
  it('marks variable fields and fills auto lengths', () => {
    const f = parseFigure(rfc, 15);
    expect(f.at(-1)?.bits).toBeUndefined();
    const b = assembleFigure(f, { 'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'Nonce Data': new Uint8Array([1, 2]) });
    expect([...b]).toEqual([0, 0, 0, 6, 1, 2]);
  });
  it('refuses missing or oversized values', () => {
    const f = parseFigure(rfc, 5);
    expect(() => assembleFigure(f, { 'Next Payload': 0, C: 0 })).toThrow(/Payload Length/);
    expect(() => assembleFigure(f, { 'Next Payload': 256, C: 0, 'Payload Length': 4 })).toThrow(/fit/);
  });
});
