/**
 * Outbound ESP processing (RFC 4303 §3.3): take an inner packet, optionally IPComp it (RFC 3173,
 * as OpenBSD iked does: `ESP | IPComp | inner IP`, next header 108), add TFC padding, padding and
 * the trailer, take the next sequence number (never wrapping) and protect. Returns the ESP packet
 * (the UDP payload on the NAT-T socket, RFC 3948 §2.1) or a drop reason. Never throws per packet.
 */
import { IpProto } from '../iana/ipsec.js';
import { ESP_HEADER_LENGTH, ESP_TRAILER_LENGTH, encodeEspHeader, espPadLength, writeEspPadding } from '../wire/esp.js';
import { IPCOMP_HEADER_LENGTH, encodeIpcompHeader } from '../wire/ipcomp.js';
import { EspDrop, MAX_UDP_PAYLOAD, type ChildSa } from './child-sa.js';

/** Next header for an inner IP packet: 4 or 41 by its version nibble, 0 when it is neither. */
function ipNextHeader(inner: Uint8Array): number {
  const v = inner.length > 0 ? (inner[0] as number) >>> 4 : 0;
  return v === 4 ? IpProto.IPV4 : v === 6 ? IpProto.IPV6 : 0;
}

/**
 * The output buffer: a slice of node's pooled allocator (an order of magnitude cheaper than a
 * fresh zeroed ArrayBuffer per packet). It is NOT zeroed: `espEncap` writes every byte of it
 * (header, IV, IPComp header, payload, TFC zeros, padding, trailer, ICV), so no stale pool bytes
 * leave the host. The view keeps its 8 KiB pool slab alive while the caller holds it.
 */
function allocPacket(length: number): Uint8Array {
  const b = Buffer.allocUnsafe(length);
  return new Uint8Array(b.buffer, b.byteOffset, length);
}

/**
 * Protect `payload` on `sa`. In tunnel mode (and whenever `nextHeader` is omitted) `payload` must
 * be an IPv4 or IPv6 packet; in transport mode `nextHeader` may name another protocol (GRE 47, …).
 * `now` (ms, caller's clock) is recorded for keepalive scheduling.
 *
 * Returns the ESP packet or an {@link EspDrop} reason (counted on `sa`). The packet is written
 * into `out` when given (a preallocated send buffer: the result is a view of its start, valid
 * until the caller reuses `out`; too small a buffer is an `oversize` drop), else into a fresh
 * buffer the caller owns.
 */
export function espEncap(sa: ChildSa, payload: Uint8Array, now: number, nextHeader?: number, out?: Uint8Array): Uint8Array | EspDrop {
  if (sa.expired) return sa.drop(EspDrop.EXPIRED);
  const nh = nextHeader ?? ipNextHeader(payload);
  const ip = nh === IpProto.IPV4 || nh === IpProto.IPV6;
  if (nh === 0 || (sa.params.mode === 'tunnel' && !ip && nh !== IpProto.NO_NEXT_HEADER)) return sa.drop(EspDrop.BAD_INNER_HEADER);
  if (sa.seqOut >= sa.seqHard) {
    sa.expired = true;
    return sa.drop(EspDrop.SEQ_EXHAUSTED);
  }
  const compressed = compress(sa, payload, nh);
  const body = compressed ?? payload;
  const head = compressed === undefined ? 0 : IPCOMP_HEADER_LENGTH;
  const tfc = compressed === undefined && sa.options.tfcPadTo !== undefined ? Math.max(0, sa.options.tfcPadTo - body.length) : 0;
  const c = sa.outCipher;
  const plainLength = head + body.length + tfc;
  const padLength = espPadLength(plainLength, c.blockSize);
  const dataOff = ESP_HEADER_LENGTH + c.ivLength;
  const total = dataOff + plainLength + padLength + ESP_TRAILER_LENGTH + c.icvLength;
  if (total > (sa.options.maxPacket ?? MAX_UDP_PAYLOAD) || (out !== undefined && out.length < total)) return sa.drop(EspDrop.OVERSIZE);
  const seq = ++sa.seqOut;
  if (seq >= sa.seqSoft) sa.rekeyNeeded = true;
  const pkt = out === undefined ? allocPacket(total) : out.subarray(0, total);
  encodeEspHeader(pkt, sa.params.spiOut, seq >>> 0);
  if (compressed !== undefined) encodeIpcompHeader(pkt, dataOff, nh, sa.params.ipcomp?.cpiOut ?? 0);
  pkt.set(body, dataOff + head);
  if (tfc > 0) pkt.fill(0, dataOff + head + body.length, dataOff + plainLength);
  writeTrailer(pkt, dataOff + plainLength, padLength, compressed === undefined ? nh : IpProto.IPCOMP);
  c.seal(pkt, seq);
  if (compressed !== undefined) sa.stats.compressedOut++;
  sa.account('out', payload.length);
  sa.lastOutboundAt = now;
  return pkt;
}

/** The compressed form of `payload` when the SA has IPComp and compressing pays (never for dummies). */
function compress(sa: ChildSa, payload: Uint8Array, nh: number): Uint8Array | undefined {
  if (sa.params.ipcomp === undefined || nh === IpProto.NO_NEXT_HEADER) return undefined;
  return sa.options.ipcompCodec?.compress(payload);
}

/** Padding 1, 2, 3, …, Pad Length and Next Header at `at`. */
function writeTrailer(pkt: Uint8Array, at: number, padLength: number, nh: number): void {
  writeEspPadding(pkt, at, padLength);
  pkt[at + padLength] = padLength;
  pkt[at + padLength + 1] = nh;
}

/**
 * A dummy packet (next header 59, RFC 4303 §2.6) of `length` zero bytes (encrypted on the wire) for
 * traffic flow confidentiality; the peer drops it silently.
 */
export function espDummy(sa: ChildSa, length: number, now: number): Uint8Array | EspDrop {
  return espEncap(sa, new Uint8Array(length), now, IpProto.NO_NEXT_HEADER);
}
