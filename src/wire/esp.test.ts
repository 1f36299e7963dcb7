import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { decodeEspHeader, encodeEspHeader, espPadLength, espPayloadEnd, readU32, writeEspPadding, writeU32 } from './esp.js';

describe('ESP framing (RFC 4303 §2)', () => {
  it('header round trip and reserved SPIs', () => {
    const b = new Uint8Array(8);
    encodeEspHeader(b, 0xdea0a6cf, 0xfffffffe);
    expect(Buffer.from(b).toString('hex')).toBe('dea0a6cffffffffe');
    expect(decodeEspHeader(b)).toEqual({ spi: 0xdea0a6cf, seq: 0xfffffffe });
    expect(() => decodeEspHeader(b.subarray(0, 7))).toThrow(ParseError);
    expect(() => decodeEspHeader(Uint8Array.of(0, 0, 0, 255, 0, 0, 0, 1))).toThrow(/reserved/);
  });

  it('u32 helpers agree with DataView', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
      const b = new Uint8Array(6);
      writeU32(b, 1, v);
      return readU32(b, 1) === v && new DataView(b.buffer).getUint32(1) === v;
    }));
  });

  it('padding aligns payload + trailer to the block and to 4', () => {
    for (const block of [4, 8, 16]) {
      for (let n = 0; n < 64; n++) {
        const p = espPadLength(n, block);
        expect((n + p + 2) % block).toBe(0);
        expect(p).toBeLessThan(block);
      }
    }
    expect(espPadLength(5, 1)).toBe(1); // never below 4-byte alignment
  });

  it('payload end: accepts 1, 2, 3, … and refuses anything else', () => {
    const plain = new Uint8Array(10 + 5 + 2);
    writeEspPadding(plain, 10, 5);
    plain[15] = 5;
    plain[16] = 4;
    expect(espPayloadEnd(plain)).toBe(10);
    plain[12] = 9;
    expect(espPayloadEnd(plain)).toBe(-1);
    expect(espPayloadEnd(Uint8Array.of(0, 4))).toBe(0);
    expect(espPayloadEnd(Uint8Array.of(1, 4))).toBe(-1);
    expect(espPayloadEnd(Uint8Array.of(4))).toBe(-1);
  });
});
