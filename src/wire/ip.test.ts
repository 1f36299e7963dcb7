import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/pcap.js';
import { IpProto } from '../iana/ipsec.js';
import { decodeIpUdp, encodeIpUdp, innerIpLength, internetChecksum } from './ip.js';

describe('IP + UDP', () => {
  // The capture was taken on a veth with checksum offload: its UDP checksums are partial sums, so
  // they are left out here; tshark validates Kite's UDP checksums in interop/esp/tshark-esp.test.ts.
  it('re-encodes the captured strongSwan datagrams byte for byte (IPv4 header checksum included)', () => {
    const buf = new Uint8Array(readFileSync(new URL('../../vectors/strongswan/aes128gcm16-ecp256/capture.pcap', import.meta.url)));
    const recs = readCapture(buf);
    let n = 0;
    for (const r of recs) {
      if (r.kind !== 'udp') continue;
      // Ethernet header is 14 bytes; the IP packet runs to the end of the UDP payload.
      const ip = buf.subarray(r.payloadOffset - 28, r.payloadOffset + r.payload.length);
      const d = decodeIpUdp(ip);
      const ident = (ip[4] as number) * 256 + (ip[5] as number);
      const again = encodeIpUdp(d, ident);
      again[6] = ip[6] as number; // DF flag as captured
      again[10] = 0;
      again[11] = 0;
      const sum = internetChecksum([again.subarray(0, 20)]);
      again[10] = sum >> 8;
      again[11] = sum & 0xff;
      again.set(ip.subarray(26, 28), 26); // UDP checksum as captured
      expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(ip).toString('hex'));
      n++;
    }
    expect(n).toBeGreaterThan(20);
  });

  it('IPv6 round trip and zero outer checksum only on IPv4', () => {
    const v6 = { src: new Uint8Array(16).fill(1), dst: new Uint8Array(16).fill(2), srcPort: 5, dstPort: 6, payload: Uint8Array.of(1, 2, 3) };
    expect(decodeIpUdp(encodeIpUdp(v6))).toEqual(v6);
    expect(encodeIpUdp(v6, 0, true).subarray(46, 48)).not.toEqual(Uint8Array.of(0, 0));
    const v4 = encodeIpUdp({ src: Uint8Array.of(192, 0, 2, 1), dst: Uint8Array.of(192, 0, 2, 2), srcPort: 4500, dstPort: 4500, payload: Uint8Array.of(0xff) }, 0, true);
    expect([...v4.subarray(26, 28)]).toEqual([0, 0]);
  });

  it('innerIpLength validates version, header and total length', () => {
    const p = encodeIpUdp({ src: Uint8Array.of(10, 0, 0, 1), dst: Uint8Array.of(10, 0, 0, 2), srcPort: 1, dstPort: 2, payload: new Uint8Array(10) });
    const padded = new Uint8Array(p.length + 7);
    padded.set(p);
    expect(innerIpLength(padded, IpProto.IPV4)).toBe(p.length);
    expect(innerIpLength(p, IpProto.IPV6)).toBe(-1);
    expect(innerIpLength(p.subarray(0, p.length - 1), IpProto.IPV4)).toBe(-1);
    const badIhl = p.slice();
    badIhl[0] = 0x44;
    expect(innerIpLength(badIhl, IpProto.IPV4)).toBe(-1);
    expect(innerIpLength(new Uint8Array(0), IpProto.IPV4)).toBe(-1);
    expect(() => decodeIpUdp(Uint8Array.of(0x45))).toThrow();
  });
});
