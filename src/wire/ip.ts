/**
 * Just enough IPv4 (RFC 791) and IPv6 (RFC 8200) for the dataplane: validate the inner packet a
 * tunnel-mode ESP SA delivers and find its true length (anything after it is TFC padding,
 * RFC 4303 §2.7), and build / read IP+UDP datagrams for probes, tests and benchmarks.
 */
import { ParseError } from '../errors.js';
import { IpProto } from '../iana/ipsec.js';

/** IPv4 header without options. */
export const IPV4_HEADER_LENGTH = 20;
/** IPv6 fixed header. */
export const IPV6_HEADER_LENGTH = 40;
/** UDP header. */
export const UDP_HEADER_LENGTH = 8;

/**
 * Length of the IP packet at the start of `b` as its header declares it, or -1 when the header is
 * not a plausible IPv4 / IPv6 header of protocol `proto` (4 or 41) or declares more bytes than `b`
 * holds. Allocation-free; never throws.
 */
export function innerIpLength(b: Uint8Array, proto: number): number {
  if (b.length < 1) return -1;
  const version = (b[0] as number) >>> 4;
  if (proto === IpProto.IPV4) {
    if (version !== 4 || b.length < IPV4_HEADER_LENGTH) return -1;
    const ihl = ((b[0] as number) & 0x0f) * 4;
    const total = ((b[2] as number) << 8) | (b[3] as number);
    return ihl < IPV4_HEADER_LENGTH || total < ihl || total > b.length ? -1 : total;
  }
  if (proto === IpProto.IPV6) {
    if (version !== 6 || b.length < IPV6_HEADER_LENGTH) return -1;
    const total = IPV6_HEADER_LENGTH + (((b[4] as number) << 8) | (b[5] as number));
    return total > b.length ? -1 : total;
  }
  return -1;
}

/** Internet checksum (RFC 1071) over `parts`, each starting on an even offset of the whole. */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) sum += ((p[i] as number) << 8) | (p[i + 1] as number);
    if (p.length % 2 === 1) sum += (p[p.length - 1] as number) << 8;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A UDP datagram inside IPv4 or IPv6. */
export interface IpUdp {
  /** Source address: 4 bytes (IPv4) or 16 (IPv6). */
  readonly src: Uint8Array;
  /** Destination address, same length as `src`. */
  readonly dst: Uint8Array;
  /** UDP source port. */
  readonly srcPort: number;
  /** UDP destination port. */
  readonly dstPort: number;
  /** UDP payload. */
  readonly payload: Uint8Array;
}

/**
 * Build IPv4 or IPv6 (by address length) + UDP with valid checksums; TTL / hop limit 64. With
 * `zeroUdpChecksum` an IPv4 UDP checksum is sent as zero, as RFC 3948 §2.1 allows for ESP-in-UDP.
 */
export function encodeIpUdp(d: IpUdp, ident = 0, zeroUdpChecksum = false): Uint8Array {
  const v6 = d.src.length === 16;
  if (d.src.length !== d.dst.length || (d.src.length !== 4 && !v6)) throw new RangeError('encodeIpUdp: addresses must both be 4 or 16 bytes');
  const ipLen = v6 ? IPV6_HEADER_LENGTH : IPV4_HEADER_LENGTH;
  const udpLen = UDP_HEADER_LENGTH + d.payload.length;
  const out = new Uint8Array(ipLen + udpLen);
  const dv = new DataView(out.buffer);
  if (v6) {
    out[0] = 0x60;
    dv.setUint16(4, udpLen);
    out[6] = IpProto.UDP;
    out[7] = 64;
    out.set(d.src, 8);
    out.set(d.dst, 24);
  } else {
    out[0] = 0x45;
    dv.setUint16(2, out.length);
    dv.setUint16(4, ident);
    out[8] = 64;
    out[9] = IpProto.UDP;
    out.set(d.src, 12);
    out.set(d.dst, 16);
    dv.setUint16(10, internetChecksum([out.subarray(0, IPV4_HEADER_LENGTH)]));
  }
  dv.setUint16(ipLen, d.srcPort);
  dv.setUint16(ipLen + 2, d.dstPort);
  dv.setUint16(ipLen + 4, udpLen);
  out.set(d.payload, ipLen + UDP_HEADER_LENGTH);
  const pseudo = new Uint8Array(d.src.length * 2 + 8);
  pseudo.set(d.src);
  pseudo.set(d.dst, d.src.length);
  new DataView(pseudo.buffer).setUint32(d.src.length * 2, udpLen);
  pseudo[pseudo.length - 1] = IpProto.UDP;
  const sum = internetChecksum([pseudo, out.subarray(ipLen)]);
  if (!(zeroUdpChecksum && !v6)) dv.setUint16(ipLen + 6, sum === 0 ? 0xffff : sum);
  return out;
}

/** Read an IPv4/IPv6 + UDP datagram (no IPv4 options or IPv6 extension headers); ParseError otherwise. */
export function decodeIpUdp(b: Uint8Array): IpUdp {
  const version = b.length > 0 ? (b[0] as number) >>> 4 : 0;
  const proto = version === 6 ? IpProto.IPV6 : IpProto.IPV4;
  const total = innerIpLength(b, proto);
  if (total < 0) throw new ParseError('BAD_VALUE', 'ip.header', 0, 'not a complete IPv4 or IPv6 packet');
  const ipLen = version === 6 ? IPV6_HEADER_LENGTH : ((b[0] as number) & 0x0f) * 4;
  const next = version === 6 ? b[6] : b[9];
  if (next !== IpProto.UDP) throw new ParseError('BAD_VALUE', 'ip.protocol', version === 6 ? 6 : 9, `protocol ${String(next)} is not UDP`);
  if (total < ipLen + UDP_HEADER_LENGTH) throw new ParseError('TRUNCATED', 'udp.header', ipLen, 'no room for the UDP header');
  const udpLen = ((b[ipLen + 4] as number) << 8) | (b[ipLen + 5] as number);
  if (udpLen < UDP_HEADER_LENGTH || ipLen + udpLen > total) throw new ParseError('BAD_LENGTH', 'udp.length', ipLen + 4, `UDP length ${udpLen}`);
  const a = version === 6 ? 16 : 4;
  const srcOff = version === 6 ? 8 : 12;
  return {
    src: b.slice(srcOff, srcOff + a),
    dst: b.slice(srcOff + a, srcOff + 2 * a),
    srcPort: ((b[ipLen] as number) << 8) | (b[ipLen + 1] as number),
    dstPort: ((b[ipLen + 2] as number) << 8) | (b[ipLen + 3] as number),
    payload: b.slice(ipLen + UDP_HEADER_LENGTH, ipLen + udpLen),
  };
}
