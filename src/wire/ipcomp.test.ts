import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { decodeIpcompHeader, encodeIpcompHeader } from './ipcomp.js';

describe('IPComp header (RFC 3173 §2.2)', () => {
  it('round trip, flags ignored, truncation refused', () => {
    const b = new Uint8Array(6);
    encodeIpcompHeader(b, 1, 4, 0xabcd);
    expect([...b]).toEqual([0, 4, 0, 0xab, 0xcd, 0]);
    expect(decodeIpcompHeader(b.subarray(1))).toEqual({ nextHeader: 4, cpi: 0xabcd });
    expect(decodeIpcompHeader(Uint8Array.of(41, 0xff, 0, 2))).toEqual({ nextHeader: 41, cpi: 2 });
    expect(() => decodeIpcompHeader(Uint8Array.of(4, 0, 1))).toThrow(ParseError);
  });
});
