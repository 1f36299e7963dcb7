import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzipRaw, gzipRaw } from './gzip.testkit.js';
import { IPCOMP_MAX_OUTPUT, IpcompDrop, deflateCodec, deflateDatagram, inflateDatagram } from './deflate.js';

const text = new TextEncoder().encode('IPComp: RFC 3173, DEFLATE: RFC 2394. '.repeat(40));

describe('IPComp DEFLATE (RFC 2394)', () => {
  it('is raw DEFLATE: GNU gzip inflates it (CRC-32 checked)', () => {
    for (const level of [1, 6, 9]) {
      const c = deflateDatagram(text, { level });
      if (c === undefined) throw new Error('text should compress');
      expect(gunzipRaw(c, text)).toEqual(text);
    }
  });

  it('inflates what GNU gzip deflates', () => {
    const data = new Uint8Array(Buffer.concat(new Array<Buffer>(8).fill(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))));
    expect(inflateDatagram(gzipRaw(data))).toEqual(data);
    expect(inflateDatagram(gzipRaw(text))).toEqual(text);
  });

  it('does not compress below the threshold or when it does not pay', () => {
    expect(deflateDatagram(text.subarray(0, 89))).toBeUndefined();
    expect(deflateDatagram(text.subarray(0, 89), { threshold: 10 })).toBeDefined();
    expect(deflateDatagram(randomBytes(1400))).toBeUndefined();
  });

  it('refuses bombs and corrupt streams by reason', () => {
    const bomb = deflateDatagram(new Uint8Array(60000), { threshold: 0 });
    if (bomb === undefined) throw new Error('zeros should compress');
    expect(inflateDatagram(bomb, 1000)).toBe(IpcompDrop.BOMB);
    expect(inflateDatagram(bomb, 1e9)).toHaveLength(60000); // capped at 65535, still fits
    const big = deflateDatagram(new Uint8Array(IPCOMP_MAX_OUTPUT + 1), { threshold: 0 });
    expect(inflateDatagram(big ?? new Uint8Array(0), 1e9)).toBe(IpcompDrop.BOMB);
    expect(inflateDatagram(Uint8Array.of(1, 2, 3, 4, 5))).toBe(IpcompDrop.CORRUPT);
    const c = deflateDatagram(text) ?? new Uint8Array(0);
    expect(inflateDatagram(c.subarray(0, c.length - 3))).toBe(IpcompDrop.CORRUPT);
  });

  it('deflateCodec binds the SA options (the shape esp/ takes as ipcompCodec)', () => {
    const codec = deflateCodec({ threshold: 2000, maxOutput: 500 });
    expect(codec.transform).toBe(2);
    expect(codec.compress(text)).toBeUndefined(); // below this SA's threshold
    const c = deflateDatagram(text) ?? new Uint8Array(0);
    expect(codec.decompress(c)).toBe(IpcompDrop.BOMB); // beyond this SA's limit
    expect(deflateCodec().decompress(c)).toEqual(text);
  });

  it('round trips anything and never throws on garbage', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 9 }), (d, level) => {
      const c = deflateDatagram(d, { threshold: 0, level });
      const back = c === undefined ? d : inflateDatagram(c);
      return Buffer.from(back as Uint8Array).equals(Buffer.from(d));
    }), { numRuns: 100 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (g) => {
      const r = inflateDatagram(g, 2000);
      return r instanceof Uint8Array || r === IpcompDrop.BOMB || r === IpcompDrop.CORRUPT;
    }), { numRuns: 1000 });
  });
});
