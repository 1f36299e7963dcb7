import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/pcap.js';
import { ChildSa } from '../esp/child-sa.js';
import { espEncap } from '../esp/outbound.js';
import { espTestSuite, saPair } from '../esp/suites.testkit.js';
import { encodeIpUdp } from '../wire/ip.js';
import { NatTKind, classifyNatT, ikeFromNatT, natKeepalive, withNonEspMarker } from './demux.js';

describe('classifyNatT', () => {
  it.each([
    ['keepalive', [0xff], NatTKind.KEEPALIVE],
    ['stray byte', [0x00], NatTKind.GARBAGE],
    ['empty', [], NatTKind.GARBAGE],
    ['three bytes', [1, 2, 3], NatTKind.GARBAGE],
    ['marker only', [0, 0, 0, 0], NatTKind.GARBAGE],
    ['marker + short IKE', [0, 0, 0, 0, ...new Array<number>(27).fill(1)], NatTKind.GARBAGE],
    ['marker + IKE header', [0, 0, 0, 0, ...new Array<number>(28).fill(1)], NatTKind.IKE],
    ['reserved SPI 255', [0, 0, 0, 255, 0, 0, 0, 1], NatTKind.GARBAGE],
    ['SPI 256, header', [0, 0, 1, 0, 0, 0, 0, 1], NatTKind.ESP],
    ['SPI without sequence', [0, 0, 1, 0, 0], NatTKind.GARBAGE],
  ] as const)('%s', (_, bytes, kind) => {
    expect(classifyNatT(Uint8Array.from(bytes))).toBe(kind);
  });

  it('agrees with the capture reader on every UDP 4500 datagram of the strongSwan captures', () => {
    for (const suite of ['aes128gcm16-ecp256', 'chacha20poly1305-x25519']) {
      const recs = readCapture(new Uint8Array(readFileSync(new URL(`../../vectors/strongswan/${suite}/capture.pcap`, import.meta.url))));
      const kinds = recs.flatMap((r) => (r.kind === 'udp' && (r.srcPort === 4500 || r.dstPort === 4500) ? [classifyNatT(r.payload)] : []));
      expect(kinds.filter((k) => k === NatTKind.ESP).length).toBe(12);
      expect(kinds.filter((k) => k === NatTKind.IKE).length).toBeGreaterThanOrEqual(14);
      expect(kinds).not.toContain(NatTKind.GARBAGE);
    }
  });

  it('Kite ESP is ESP, marked IKE is IKE and comes back out unchanged', () => {
    const sa = new ChildSa(saPair(espTestSuite('aes128gcm16')).a);
    const pkt = espEncap(sa, encodeIpUdp({ src: Uint8Array.of(10, 0, 0, 1), dst: Uint8Array.of(10, 0, 0, 2), srcPort: 1, dstPort: 2, payload: new Uint8Array(4) }), 0);
    expect(typeof pkt === 'string' ? pkt : classifyNatT(pkt)).toBe(NatTKind.ESP);
    const ike = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
    const marked = withNonEspMarker(ike);
    expect(classifyNatT(marked)).toBe(NatTKind.IKE);
    expect(ikeFromNatT(marked)).toEqual(ike);
    expect(classifyNatT(natKeepalive())).toBe(NatTKind.KEEPALIVE);
  });

  it('never throws and always answers a kind', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => Object.values(NatTKind).includes(classifyNatT(b))), { numRuns: 2000 });
  });
});
