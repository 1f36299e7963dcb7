/**
 * Outbound SA selection (RFC 4301 §4.4.1): does an inner IPv4 / IPv6 packet fall inside a CHILD_SA's
 * traffic selectors? Addresses are compared byte by byte straight from the packet against the
 * selector's range, so a lookup allocates nothing. Ports are matched for TCP, UDP, SCTP and
 * UDP-Lite when a selector narrows them; IPv6 extension headers are not walked (a selector that
 * names a protocol then matches the first next header only, as a packet filter without chaining).
 */
import { IpProto } from '../iana/ipsec.js';
import type { AnyTrafficSelector, TrafficSelector } from '../wire/payloads/ts.js';

/** Where the fields of an inner packet sit, as found by {@link parseInner}. */
export interface InnerView {
  /** 4 or 6; 0 when the packet is neither (or truncated). */
  version: number;
  /** Offset of the source address (destination follows it). */
  addrOffset: number;
  /** Address length: 4 or 16. */
  addrLength: number;
  /** Protocol (IPv4) or first next header (IPv6). */
  protocol: number;
  /** Source and destination port, -1 when the protocol has none or the header is cut short. */
  srcPort: number;
  dstPort: number;
}

/** A reusable, zeroed {@link InnerView} (the datapath keeps one and refills it per packet). */
export function newInnerView(): InnerView {
  return { version: 0, addrOffset: 0, addrLength: 0, protocol: 0, srcPort: -1, dstPort: -1 };
}

const PORTED: ReadonlySet<number> = new Set([IpProto.TCP, IpProto.UDP, 132, 136]);

/** Fill `v` from `pkt`; false when `pkt` is not a well-formed IPv4 / IPv6 packet. Never throws. */
export function parseInner(pkt: Uint8Array, v: InnerView): boolean {
  v.version = 0;
  v.srcPort = -1;
  v.dstPort = -1;
  if (pkt.length < 1) return false;
  const version = (pkt[0] as number) >>> 4;
  let l4: number;
  if (version === 4) {
    if (pkt.length < 20) return false;
    const ihl = ((pkt[0] as number) & 0x0f) * 4;
    const total = ((pkt[2] as number) << 8) | (pkt[3] as number);
    if (ihl < 20 || total < ihl || total > pkt.length) return false;
    v.addrOffset = 12;
    v.addrLength = 4;
    v.protocol = pkt[9] as number;
    const fragOffset = (((pkt[6] as number) & 0x1f) << 8) | (pkt[7] as number);
    l4 = fragOffset === 0 ? ihl : -1; // non-first fragments carry no ports
  } else if (version === 6) {
    if (pkt.length < 40) return false;
    v.addrOffset = 8;
    v.addrLength = 16;
    v.protocol = pkt[6] as number;
    l4 = 40;
  } else {
    return false;
  }
  v.version = version;
  if (l4 >= 0 && PORTED.has(v.protocol) && pkt.length >= l4 + 4) {
    v.srcPort = ((pkt[l4] as number) << 8) | (pkt[l4 + 1] as number);
    v.dstPort = ((pkt[l4 + 2] as number) << 8) | (pkt[l4 + 3] as number);
  }
  return true;
}

/** start <= pkt[off .. off+len) <= end, as unsigned big-endian numbers. */
function inRange(pkt: Uint8Array, off: number, start: Uint8Array, end: Uint8Array): boolean {
  const n = start.length;
  let aboveStart = false;
  let belowEnd = false;
  for (let i = 0; i < n && !(aboveStart && belowEnd); i++) {
    const b = pkt[off + i] as number;
    if (!aboveStart) {
      const s = start[i] as number;
      if (b < s) return false;
      if (b > s) aboveStart = true;
    }
    if (!belowEnd) {
      const e = end[i] as number;
      if (b > e) return false;
      if (b < e) belowEnd = true;
    }
  }
  return true;
}

function matchOne(ts: TrafficSelector, pkt: Uint8Array, v: InnerView, addrOff: number, port: number): boolean {
  if (ts.startAddress.length !== v.addrLength) return false;
  if (ts.ipProtocol !== 0 && ts.ipProtocol !== v.protocol) return false;
  if (ts.startPort !== 0 || ts.endPort !== 65535) {
    // RFC 4301 §4.4.1.1 OPAQUE / narrowed ports: a packet without ports does not match a narrowed range
    if (port < 0 || port < ts.startPort || port > ts.endPort) return false;
  }
  return inRange(pkt, addrOff, ts.startAddress, ts.endAddress);
}

/**
 * Does the packet described by `v` match: its source one of `local` (our TSi) and its destination
 * one of `remote` (the peer's TSr)? Opaque selectors never match.
 */
export function matchesSelectors(pkt: Uint8Array, v: InnerView, local: readonly AnyTrafficSelector[], remote: readonly AnyTrafficSelector[]): boolean {
  if (v.version === 0) return false;
  return anyMatch(local, pkt, v, v.addrOffset, v.srcPort) && anyMatch(remote, pkt, v, v.addrOffset + v.addrLength, v.dstPort);
}

function anyMatch(list: readonly AnyTrafficSelector[], pkt: Uint8Array, v: InnerView, off: number, port: number): boolean {
  for (let i = 0; i < list.length; i++) {
    const ts = list[i] as AnyTrafficSelector;
    if (!('data' in ts) && matchOne(ts, pkt, v, off, port)) return true;
  }
  return false;
}
