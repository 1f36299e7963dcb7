/**
 * Decode one captured frame down to UDP: link layer (Ethernet with 802.1Q/802.1ad tags, Linux
 * cooked v1 and v2, raw IP, BSD loopback), IPv4 (RFC 791, options skipped, fragments reported and
 * skipped) and IPv6 (RFC 8200, extension headers skipped), then UDP (RFC 768).
 *
 * Never throws: a frame whose headers are damaged becomes a `bad` record carrying the ParseError
 * (offsets are file offsets), so one broken frame does not lose the rest of the file.
 */
import { ParseError } from '../errors.js';
import { EtherType, IpProto, LinkType, LoopbackFamily } from '../iana/ipsec.js';
import { Reader } from '../util/bytes.js';
import { ipv4ToString, ipv6ToString } from '../util/ip-text.js';
import type { RawFrame } from './pcap.js';

/** Fields every record carries. */
export interface FrameInfo {
  /** Frame number, 1-based (tshark's `frame.number`). */
  readonly index: number;
  /** Capture time in seconds since the Unix epoch. */
  readonly timestamp: number;
}

/** A UDP datagram found in a frame. */
export interface UdpRecord extends FrameInfo {
  readonly kind: 'udp';
  /** Source address as text (dotted quad or RFC 5952 IPv6). */
  readonly src: string;
  /** Destination address as text. */
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** UDP payload (a view into the file buffer), trimmed to the UDP length field. */
  readonly payload: Uint8Array;
  /** File offset of `payload[0]`, for errors found later in the payload. */
  readonly payloadOffset: number;
}

/** Why a well-formed frame carries nothing for us. */
export type SkipReason = 'link-type' | 'not-ip' | 'not-udp' | 'ip-fragment';

/** A frame that is fine but holds no (complete) UDP datagram. */
export interface SkippedRecord extends FrameInfo {
  readonly kind: 'skipped';
  readonly reason: SkipReason;
  /** Human detail, e.g. the EtherType or IP protocol met. */
  readonly detail: string;
}

/** A frame whose headers could not be decoded. */
export interface BadRecord extends FrameInfo {
  readonly kind: 'bad';
  readonly error: ParseError;
}

/** Outcome of decoding one frame. */
export type CaptureRecord = UdpRecord | SkippedRecord | BadRecord;

/** Most IPv6 extension headers followed before the frame is judged bad. */
const MAX_IPV6_EXTENSIONS = 16;
const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const SLL_HEADER = 16;
const SLL2_HEADER = 20;
const NULL_HEADER = 4;
/** EtherType values below this are IEEE 802.3 length fields, not types. */
const ETHERTYPE_MIN = 0x0600;

type Inner = { readonly kind: 'skipped'; readonly reason: SkipReason; readonly detail: string } | Omit<UdpRecord, keyof FrameInfo>;

/** Decode one raw frame; never throws. */
export function decodeFrame(frame: RawFrame): CaptureRecord {
  const info: FrameInfo = { index: frame.index, timestamp: frame.timestamp };
  try {
    return { ...info, ...decodeLink(frame) };
  } catch (e) {
    if (e instanceof ParseError) return { ...info, kind: 'bad', error: e };
    throw e;
  }
}

function decodeLink(frame: RawFrame): Inner {
  const r = new Reader(frame.data, frame.fileOffset);
  switch (frame.linkType) {
    case LinkType.ETHERNET: {
      r.skip(ETHERNET_HEADER - 2, 'ethernet.addresses');
      let type = r.u16('ethernet.type');
      for (let tags = 0; type === EtherType.VLAN || type === EtherType.QINQ; tags++) {
        if (tags >= 2) throw new ParseError('BAD_VALUE', 'ethernet.vlan', r.offset, 'more than two VLAN tags');
        r.skip(VLAN_TAG - 2, 'ethernet.vlan.tci');
        type = r.u16('ethernet.vlan.type');
      }
      return byEtherType(type, r);
    }
    case LinkType.LINUX_SLL: {
      r.skip(SLL_HEADER - 2, 'sll.header');
      return byEtherType(r.u16('sll.protocol'), r);
    }
    case LinkType.LINUX_SLL2: {
      const proto = r.u16('sll2.protocol');
      r.skip(SLL2_HEADER - 2, 'sll2.header');
      return byEtherType(proto, r);
    }
    case LinkType.RAW: {
      r.need(1, 'ip.version');
      const v = (frame.data[0] as number) >> 4;
      if (v === 4) return decodeIpv4(r);
      if (v === 6) return decodeIpv6(r);
      throw new ParseError('BAD_VALUE', 'ip.version', r.offset, `IP version ${v}`);
    }
    case LinkType.IPV4:
      return decodeIpv4(r);
    case LinkType.IPV6:
      return decodeIpv6(r);
    case LinkType.NULL: {
      r.need(NULL_HEADER, 'null.family');
      const d = frame.data;
      // Host byte order of the capturing machine: the family fits in one byte, so whichever end
      // holds it tells the order.
      const family = (d[0] as number) === 0 && (d[1] as number) === 0 ? ((d[2] as number) << 8) | (d[3] as number) : ((d[1] as number) << 8) | (d[0] as number);
      r.skip(NULL_HEADER, 'null.family');
      if (family === LoopbackFamily.INET) return decodeIpv4(r);
      if (([LoopbackFamily.INET6_LINUX, LoopbackFamily.INET6_BSD, LoopbackFamily.INET6_FREEBSD, LoopbackFamily.INET6_DARWIN] as number[]).includes(family)) {
        return decodeIpv6(r);
      }
      return { kind: 'skipped', reason: 'not-ip', detail: `address family ${family}` };
    }
    default:
      return { kind: 'skipped', reason: 'link-type', detail: `link type ${frame.linkType}` };
  }
}

function byEtherType(type: number, r: Reader): Inner {
  if (type === EtherType.IPV4) return decodeIpv4(r);
  if (type === EtherType.IPV6) return decodeIpv6(r);
  const detail = type < ETHERTYPE_MIN ? `802.3 length ${type}` : `EtherType 0x${type.toString(16).padStart(4, '0')}`;
  return { kind: 'skipped', reason: 'not-ip', detail };
}

function decodeIpv4(r: Reader): Inner {
  const start = r.offset;
  const vihl = r.u8('ipv4.versionIhl');
  if (vihl >> 4 !== 4) throw new ParseError('BAD_VALUE', 'ipv4.version', start, `version ${vihl >> 4}`);
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) throw new ParseError('BAD_LENGTH', 'ipv4.ihl', start, `header length ${ihl} below 20`);
  r.skip(1, 'ipv4.tos');
  const total = r.u16('ipv4.totalLength');
  if (total < ihl) throw new ParseError('BAD_LENGTH', 'ipv4.totalLength', start + 2, `total length ${total} below header length ${ihl}`);
  r.skip(2, 'ipv4.identification');
  const fragment = r.u16('ipv4.fragment');
  r.skip(1, 'ipv4.ttl');
  const proto = r.u8('ipv4.protocol');
  r.skip(2, 'ipv4.checksum');
  const src = ipv4ToString(r.bytes(4, 'ipv4.src'));
  const dst = ipv4ToString(r.bytes(4, 'ipv4.dst'));
  r.skip(ihl - 20, 'ipv4.options');
  // Total length bounds the payload (Ethernet pads short frames); fewer bytes than it claims
  // means the snap length or the file cut the packet.
  const body = r.sub(total - ihl, 'ipv4.payload');
  if ((fragment & 0x3fff) !== 0) {
    return { kind: 'skipped', reason: 'ip-fragment', detail: `IPv4 fragment offset ${(fragment & 0x1fff) * 8}${fragment & 0x2000 ? ', more fragments' : ''}` };
  }
  return transport(proto, body, src, dst);
}

function decodeIpv6(r: Reader): Inner {
  const start = r.offset;
  const v = r.u8('ipv6.version') >> 4;
  if (v !== 6) throw new ParseError('BAD_VALUE', 'ipv6.version', start, `version ${v}`);
  r.skip(3, 'ipv6.flow');
  const payloadLength = r.u16('ipv6.payloadLength');
  let next = r.u8('ipv6.nextHeader');
  r.skip(1, 'ipv6.hopLimit');
  const src = ipv6ToString(r.bytes(16, 'ipv6.src'));
  const dst = ipv6ToString(r.bytes(16, 'ipv6.dst'));
  if (payloadLength === 0) throw new ParseError('BAD_VALUE', 'ipv6.payloadLength', start + 4, 'jumbograms (payload length 0) are not supported');
  const body = r.sub(payloadLength, 'ipv6.payload');
  for (let n = 0; ; n++) {
    if (n > MAX_IPV6_EXTENSIONS) throw new ParseError('LIMIT', 'ipv6.extension', body.offset, `more than ${MAX_IPV6_EXTENSIONS} extension headers`);
    if (next === IpProto.HOPOPT || next === IpProto.IPV6_ROUTE || next === IpProto.IPV6_OPTS) {
      const nh = body.u8('ipv6.ext.nextHeader');
      const len = (body.u8('ipv6.ext.length') + 1) * 8;
      body.skip(len - 2, 'ipv6.ext.data');
      next = nh;
    } else if (next === IpProto.IPV6_FRAG) {
      const at = body.offset;
      const nh = body.u8('ipv6.frag.nextHeader');
      body.skip(1, 'ipv6.frag.reserved');
      const off = body.u16('ipv6.frag.offset');
      body.skip(4, 'ipv6.frag.identification');
      if (off >> 3 !== 0 || (off & 1) !== 0) {
        return { kind: 'skipped', reason: 'ip-fragment', detail: `IPv6 fragment offset ${(off >> 3) * 8} at ${at}` };
      }
      next = nh; // an atomic fragment (offset 0, no more fragments) is a whole packet
    } else if (next === IpProto.AH) {
      const nh = body.u8('ipv6.ah.nextHeader');
      const len = (body.u8('ipv6.ah.length') + 2) * 4;
      body.skip(len - 2, 'ipv6.ah.data');
      next = nh;
    } else {
      return transport(next, body, src, dst);
    }
  }
}

function transport(proto: number, r: Reader, src: string, dst: string): Inner {
  if (proto !== IpProto.UDP) return { kind: 'skipped', reason: 'not-udp', detail: `IP protocol ${proto}` };
  const start = r.offset;
  const srcPort = r.u16('udp.srcPort');
  const dstPort = r.u16('udp.dstPort');
  const len = r.u16('udp.length');
  r.skip(2, 'udp.checksum');
  if (len < 8) throw new ParseError('BAD_LENGTH', 'udp.length', start + 4, `UDP length ${len} below 8`);
  const payloadOffset = r.offset;
  const payload = r.bytes(len - 8, 'udp.payload');
  return { kind: 'udp', src, dst, srcPort, dstPort, payload, payloadOffset };
}
