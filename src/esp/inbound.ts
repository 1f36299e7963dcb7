/**
 * Inbound ESP processing (RFC 4303 §3.4): replay check, ICV verification in constant time, only
 * then the replay commit (so forgeries never move the window), padding check, next header
 * dispatch (59 dropped silently, 108 decompressed, 4 / 41 validated and cut to the inner packet's
 * own length, which discards TFC padding). Every failure is a counted {@link EspDrop}; nothing is
 * thrown per packet.
 */
import { IpProto } from '../iana/ipsec.js';
import { ESP_HEADER_LENGTH, ESP_TRAILER_LENGTH, espPayloadEnd, readU32 } from '../wire/esp.js';
import { innerIpLength } from '../wire/ip.js';
import { IPCOMP_HEADER_LENGTH } from '../wire/ipcomp.js';
import { EspDrop, type ChildSa } from './child-sa.js';

const TWO32 = 0x1_0000_0000;

/**
 * Process ESP packet `pkt` (the UDP payload, from the SPI on) on `sa`. Returns the inner packet
 * (a view into a buffer the call allocated; `sa.lastNextHeader` says what it is) or a drop reason.
 */
export function espDecap(sa: ChildSa, pkt: Uint8Array, now: number): Uint8Array | EspDrop {
  const c = sa.inCipher;
  const dataOff = ESP_HEADER_LENGTH + c.ivLength;
  if (pkt.length < dataOff + ESP_TRAILER_LENGTH + c.icvLength) return sa.drop(EspDrop.TRUNCATED);
  if ((pkt.length - dataOff - c.icvLength) % c.blockSize !== 0) return sa.drop(EspDrop.BAD_LENGTH);
  if (readU32(pkt, 0) !== sa.params.spiIn) return sa.drop(EspDrop.UNKNOWN_SPI);
  if (sa.expired) return sa.drop(EspDrop.EXPIRED);
  const seq = sa.replay.infer(readU32(pkt, 4));
  if (!sa.replay.check(seq)) return sa.drop(EspDrop.REPLAY);
  const plain = c.open(pkt, Math.floor(seq / TWO32));
  if (plain === undefined) return sa.drop(EspDrop.ICV);
  sa.replay.commit(seq);
  sa.lastInboundAt = now;
  const end = espPayloadEnd(plain);
  if (end < 0) return sa.drop(EspDrop.BAD_PADDING);
  const nh = plain[plain.length - 1] as number;
  if (nh === IpProto.NO_NEXT_HEADER) return sa.drop(EspDrop.DUMMY);
  const inner = deliver(sa, plain.subarray(0, end), nh);
  if (typeof inner !== 'string') sa.account('in', end);
  return inner;
}

/** Dispatch on the next header: IPComp, inner IP, or (transport mode) any other protocol. */
function deliver(sa: ChildSa, payload: Uint8Array, nh: number): Uint8Array | EspDrop {
  let body = payload;
  let proto = nh;
  if (nh === IpProto.IPCOMP) {
    const ipcomp = sa.params.ipcomp;
    if (ipcomp === undefined) return sa.drop(EspDrop.BAD_NEXT_HEADER);
    if (payload.length < IPCOMP_HEADER_LENGTH) return sa.drop(EspDrop.BAD_INNER_HEADER);
    const cpi = ((payload[2] as number) << 8) | (payload[3] as number);
    if (cpi !== ipcomp.cpiIn) return sa.drop(EspDrop.BAD_INNER_HEADER);
    proto = payload[0] as number;
    const codec = sa.options.ipcompCodec;
    if (codec === undefined) return sa.drop(EspDrop.BAD_NEXT_HEADER); // unreachable: checked at construction
    const out = codec.decompress(payload.subarray(IPCOMP_HEADER_LENGTH));
    if (typeof out === 'string') return sa.drop(out);
    body = out;
  }
  if (proto === IpProto.IPV4 || proto === IpProto.IPV6) {
    const len = innerIpLength(body, proto);
    if (len < 0) return sa.drop(EspDrop.BAD_INNER_HEADER);
    sa.lastNextHeader = proto;
    return body.subarray(0, len);
  }
  if (sa.params.mode === 'tunnel' || proto === IpProto.IPCOMP) return sa.drop(EspDrop.BAD_NEXT_HEADER);
  sa.lastNextHeader = proto;
  return body;
}

/**
 * Inbound SAs by SPI: the receive side of the SAD (RFC 4301 §4.4.2). Packets for SPIs not in the
 * table are counted as `unknown-spi` here, since there is no SA to count them on.
 */
export class EspSaTable {
  private readonly bySpi = new Map<number, ChildSa>();
  /** Packets whose SPI matched no SA, or that were too short to carry one. */
  unknownSpi = 0;

  /** Install `sa` under its inbound SPI (replacing any SA with the same SPI). */
  add(sa: ChildSa): void {
    this.bySpi.set(sa.params.spiIn, sa);
  }

  /** Remove the SA with inbound SPI `spi`; true if there was one. */
  remove(spi: number): boolean {
    return this.bySpi.delete(spi);
  }

  /** The SA for inbound SPI `spi`. */
  get(spi: number): ChildSa | undefined {
    return this.bySpi.get(spi);
  }

  /** Look up the SA by SPI and decapsulate. */
  decap(pkt: Uint8Array, now: number): Uint8Array | EspDrop {
    const sa = pkt.length >= ESP_HEADER_LENGTH ? this.bySpi.get(readU32(pkt, 0)) : undefined;
    if (sa === undefined) {
      this.unknownSpi++;
      return EspDrop.UNKNOWN_SPI;
    }
    return espDecap(sa, pkt, now);
  }
}
