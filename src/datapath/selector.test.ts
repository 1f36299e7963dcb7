import { describe, expect, it } from 'vitest';
import { ipToBytes } from '../ike/addr.js';
import { encodeIpUdp } from '../wire/ip.js';
import type { AnyTrafficSelector, TrafficSelector } from '../wire/payloads/ts.js';
import { matchesSelectors, newInnerView, parseInner } from './selector.js';

const ts = (start: string, end: string, ipProtocol = 0, startPort = 0, endPort = 65535): TrafficSelector =>
  ({ tsType: start.includes(':') ? 8 : 7, ipProtocol, startPort, endPort, startAddress: ipToBytes(start), endAddress: ipToBytes(end) });
const udp = (src: string, dst: string, dstPort = 53): Uint8Array => encodeIpUdp({ src: ipToBytes(src), dst: ipToBytes(dst), srcPort: 1024, dstPort, payload: new Uint8Array(4) });
const ANY4 = [ts('0.0.0.0', '255.255.255.255')];

function match(pkt: Uint8Array, local: readonly AnyTrafficSelector[], remote: readonly AnyTrafficSelector[]): boolean {
  const v = newInnerView();
  return parseInner(pkt, v) && matchesSelectors(pkt, v, local, remote);
}

describe('traffic selector match', () => {
  it.each([
    ['10.99.0.0', true], ['10.99.0.255', true], ['10.98.255.255', false], ['10.99.1.0', false], ['10.99.0.128', true],
  ])('range edges: %s', (dst, want) => {
    expect(match(udp('10.99.1.1', dst), ANY4, [ts('10.99.0.0', '10.99.0.255')])).toBe(want);
  });

  it('protocol and ports narrow; a non-first fragment has no ports and misses a narrowed selector', () => {
    const dns = [ts('10.99.0.53', '10.99.0.53', 17, 53, 53)];
    expect(match(udp('10.99.1.1', '10.99.0.53', 53), ANY4, dns)).toBe(true);
    expect(match(udp('10.99.1.1', '10.99.0.53', 54), ANY4, dns)).toBe(false);
    expect(match(udp('10.99.1.1', '10.99.0.53', 53), ANY4, [ts('10.99.0.53', '10.99.0.53', 6)])).toBe(false);
    const frag = udp('10.99.1.1', '10.99.0.53', 53);
    frag[7] = 8; // fragment offset 64 bytes
    expect(match(frag, ANY4, dns)).toBe(false);
    expect(match(frag, ANY4, [ts('10.99.0.53', '10.99.0.53', 17)])).toBe(true);
  });

  it('IPv6 against IPv6 selectors only; IPv4 never matches IPv6 ranges; opaque selectors never match', () => {
    const v6 = udp('2001:db8:1::1', '2001:db8::ffff');
    expect(match(v6, [ts('2001:db8:1::', '2001:db8:1::ffff')], [ts('2001:db8::', '2001:db8::ffff')])).toBe(true);
    expect(match(v6, ANY4, [ts('2001:db8::', '2001:db8::ffff')])).toBe(false);
    expect(match(udp('10.0.0.1', '10.0.0.2'), [ts('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')], ANY4)).toBe(false);
    expect(match(udp('10.0.0.1', '10.0.0.2'), ANY4, [{ tsType: 10, flags: 0, data: new Uint8Array(4) }])).toBe(false);
  });

  it('refuses what is not a whole IPv4 / IPv6 packet', () => {
    const v = newInnerView();
    const good = udp('10.0.0.1', '10.0.0.2');
    for (const bad of [new Uint8Array(0), good.subarray(0, 19), good.subarray(0, good.length - 1), Uint8Array.of(0x60, 0, 0), Uint8Array.of(0x15)]) {
      expect(parseInner(bad, v)).toBe(false);
    }
  });
});
