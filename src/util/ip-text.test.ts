import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipToString, ipv4ToString, ipv6ToString } from './ip-text.js';

const v6 = (...groups: number[]): Uint8Array => new Uint8Array(groups.flatMap((g) => [g >> 8, g & 0xff]));

describe('ip-text', () => {
  it('formats IPv4', () => {
    expect(ipv4ToString(new Uint8Array([192, 0, 2, 255]))).toBe('192.0.2.255');
  });

  it('follows RFC 5952 for IPv6', () => {
    expect(ipv6ToString(v6(0, 0, 0, 0, 0, 0, 0, 0))).toBe('::');
    expect(ipv6ToString(v6(0, 0, 0, 0, 0, 0, 0, 1))).toBe('::1');
    expect(ipv6ToString(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).toBe('2001:db8::1:0:0:1'); // §4.2.3: first of equal runs
    expect(ipv6ToString(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).toBe('2001:db8:0:1:1:1:1:1'); // §4.2.2: one zero group stays
    expect(ipv6ToString(v6(0x2001, 0xdb8, 0, 0, 0, 0xabcd, 0, 0))).toBe('2001:db8::abcd:0:0');
    expect(ipv6ToString(v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201))).toBe('::ffff:192.0.2.1'); // §5
  });

  it('agrees with the WHATWG URL host serializer (also RFC 5952) on random addresses', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        fc.pre(!(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff));
        const full = groups.map((g) => g.toString(16)).join(':');
        expect(ipv6ToString(v6(...groups))).toBe(new URL(`http://[${full}]/`).hostname.slice(1, -1));
      }),
      { numRuns: 2000 },
    );
  });

  it('falls back to hex for other lengths', () => {
    expect(ipToString(new Uint8Array([1, 2, 3]))).toBe('0x010203');
    expect(() => ipv4ToString(new Uint8Array(5))).toThrow(RangeError);
  });
});
