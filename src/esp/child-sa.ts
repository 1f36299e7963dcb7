/**
 * The CHILD_SA record (RFC 7296 §2.17, RFC 4301 §4.4.2): what the IKE side hands the dataplane once
 * a CREATE_CHILD_SA or IKE_AUTH exchange has negotiated an ESP SA pair. Plain data: no methods, no
 * crypto objects, so `ike/` can build it without depending on `esp/` internals. The live state
 * built from it, {@link ChildSa}, follows.
 */
import { KiteError } from '../errors.js';
import type { Backend } from '../crypto/backend.js';
import { IpcompTransform } from '../iana/ikev2.js';
import { createEspCipher, espCipherSpec, type EspCipher } from './cipher.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';

/** Byte and packet lifetimes (RFC 4301 §4.4.2.1). Soft limits ask for a rekey; hard limits stop the SA. */
export interface ChildSaLifetime {
  /** Bytes of inner payload (each direction counted on its own) after which a rekey is requested. */
  readonly softBytes?: number;
  /** Bytes after which the SA refuses to process more packets. */
  readonly hardBytes?: number;
  /** Packets after which a rekey is requested. */
  readonly softPackets?: number;
  /** Packets after which the SA refuses to process more packets. */
  readonly hardPackets?: number;
}

/** IPComp negotiated with IPCOMP_SUPPORTED (RFC 7296 §3.10.1, RFC 3173). */
export interface ChildSaIpcomp {
  /** CPI we announced (the peer sends it to us). */
  readonly cpiIn: number;
  /** CPI the peer announced (we put it in outbound IPComp headers). */
  readonly cpiOut: number;
  /** IPComp Transform ID (`IpcompTransform.IPCOMP_DEFLATE`). */
  readonly transform: number;
}

/**
 * Everything needed to install one ESP SA pair. Keys come from CHILD_SA KEYMAT (RFC 7296 §2.17):
 * `encrKey*` of AEAD suites include the 4-byte salt at their end (RFC 4106 §8.1, RFC 7634 §2).
 */
export interface ChildSaParams {
  /** SPI of inbound packets (the one we chose). */
  readonly spiIn: number;
  /** SPI of outbound packets (the one the peer chose). */
  readonly spiOut: number;
  /** ENCR Transform ID (`EncrId`). */
  readonly encrId: number;
  /** Key length in bits (without the salt). */
  readonly keyLengthBits: number;
  /** INTEG Transform ID (`IntegId`); 0 (NONE) for AEAD suites. */
  readonly integId: number;
  /** Extended Sequence Numbers negotiated (RFC 4303 §2.2.1). */
  readonly esn: boolean;
  /** Inbound encryption key (+ salt for AEAD). */
  readonly encrKeyIn: Uint8Array;
  /** Inbound integrity key (non-AEAD suites). */
  readonly integKeyIn?: Uint8Array;
  /** Outbound encryption key (+ salt for AEAD). */
  readonly encrKeyOut: Uint8Array;
  /** Outbound integrity key (non-AEAD suites). */
  readonly integKeyOut?: Uint8Array;
  /** Tunnel mode (inner IP packet) or transport mode (here: IPComp payload, next header 108). */
  readonly mode: 'tunnel' | 'transport';
  /** IPComp, when negotiated. */
  readonly ipcomp?: ChildSaIpcomp;
  /** Anti-replay window in packets (default 128, at most 4096; 0 disables anti-replay). */
  readonly replayWindow?: number;
  /** Lifetimes. */
  readonly lifetime?: ChildSaLifetime;
}

// ---- state ------------------------------------------------------------------------------------

/** Why the dataplane refused a packet. Every drop is counted under its reason. */
export const EspDrop = {
  /** No inbound SA has this SPI. */
  UNKNOWN_SPI: 'unknown-spi',
  /** Shorter than header + IV + trailer + ICV. */
  TRUNCATED: 'truncated',
  /** Ciphertext not a whole number of cipher blocks. */
  BAD_LENGTH: 'bad-length',
  /** Sequence number seen before or left of the window. */
  REPLAY: 'replay',
  /** ICV did not verify. */
  ICV: 'icv',
  /** Pad bytes not 1, 2, 3, … or pad length beyond the payload. */
  BAD_PADDING: 'bad-padding',
  /** Next header the SA does not carry. */
  BAD_NEXT_HEADER: 'bad-next-header',
  /** Inner IPv4 / IPv6 / IPComp header malformed or inconsistent. */
  BAD_INNER_HEADER: 'bad-inner-header',
  /** Dummy packet (next header 59, RFC 4303 §2.6): dropped silently, counted here. */
  DUMMY: 'dummy',
  /** Outbound packet would exceed the largest datagram. */
  OVERSIZE: 'oversize',
  /** Hard byte or packet lifetime reached. */
  EXPIRED: 'expired',
  /** Outbound sequence numbers exhausted (the SA must be rekeyed; never wraps). */
  SEQ_EXHAUSTED: 'seq-exhausted',
  /** IPComp payload would decompress beyond the SA's limit. */
  IPCOMP_BOMB: 'ipcomp-bomb',
  /** IPComp payload is not a valid DEFLATE stream. */
  IPCOMP_CORRUPT: 'ipcomp-corrupt',
} as const;
/** One of {@link EspDrop}. */
export type EspDrop = (typeof EspDrop)[keyof typeof EspDrop];

/** Every drop reason, in a stable order (for counters and reports). */
export function espDropReasons(): readonly EspDrop[] {
  return Object.values(EspDrop);
}

/** Dataplane counters of one SA. */
export interface EspStats {
  /** Inbound packets delivered. */
  packetsIn: number;
  /** Inner payload bytes delivered. */
  bytesIn: number;
  /** Outbound packets protected. */
  packetsOut: number;
  /** Inner payload bytes protected. */
  bytesOut: number;
  /** Outbound datagrams that went out IPComp-compressed. */
  compressedOut: number;
  /** Drops per reason. */
  readonly drops: Record<EspDrop, number>;
}

/** A zeroed counter set. */
export function newEspStats(): EspStats {
  const drops = {} as Record<EspDrop, number>;
  for (const r of espDropReasons()) drops[r] = 0;
  return { packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0, compressedOut: 0, drops };
}

/** A per-datagram IPComp codec (RFC 3173) for one SA; `ipcomp/deflate.ts` provides DEFLATE. */
export interface IpcompCodec {
  /** IPComp Transform ID it implements (`IpcompTransform`). */
  readonly transform: number;
  /** The compressed form, or undefined to send the datagram uncompressed (below threshold, not smaller). */
  compress(data: Uint8Array): Uint8Array | undefined;
  /** The decompressed datagram, or why not (bounded output; never throws). */
  decompress(data: Uint8Array): Uint8Array | typeof EspDrop.IPCOMP_BOMB | typeof EspDrop.IPCOMP_CORRUPT;
}

/** Dataplane options that are not negotiated (local policy, tests, benchmarks). */
export interface ChildSaOptions {
  /** Crypto backend (default `node`: measured faster, bench/suites/esp.ts). */
  readonly backend?: Backend;
  /** Outbound packets left before the hard sequence limit at which a rekey is requested (default 2^22). */
  readonly seqSoftMargin?: number;
  /** Last outbound sequence number already used (default 0). For tests of the limits and ESN. */
  readonly initialSeqOut?: number;
  /** TFC padding (RFC 4303 §2.7): pad uncompressed tunnel-mode payloads up to this many bytes. */
  readonly tfcPadTo?: number;
  /**
   * The IPComp codec, required when the SA negotiated IPComp. Injected (the composition root
   * passes `deflateCodec()` from ipcomp/deflate.ts) so esp/ does not depend on ipcomp/.
   */
  readonly ipcompCodec?: IpcompCodec;
  /** Largest ESP packet produced (default 65507, the largest UDP/IPv4 payload). */
  readonly maxPacket?: number;
}

/** Largest UDP payload over IPv4. */
export const MAX_UDP_PAYLOAD = 65507;
const TWO32 = 0x1_0000_0000;

/**
 * Live state of one installed CHILD_SA pair: ciphers with keys bound, replay window, sequence
 * counter, lifetimes and counters. Built once per SA; the per-packet functions are
 * `espEncap` (outbound.ts) and `espDecap` (inbound.ts).
 */
export class ChildSa {
  /** The negotiated parameters. */
  readonly params: ChildSaParams;
  /** Local options. */
  readonly options: ChildSaOptions;
  /** Inbound protection. */
  readonly inCipher: EspCipher;
  /** Outbound protection. */
  readonly outCipher: EspCipher;
  /** Anti-replay window of the inbound SA. */
  readonly replay: ReplayWindow;
  /** Highest usable outbound sequence number. */
  readonly seqHard: number;
  /** Outbound sequence number from which a rekey is requested. */
  readonly seqSoft: number;
  /** Counters. */
  readonly stats: EspStats = newEspStats();
  /** Last outbound sequence number used. */
  seqOut: number;
  /** A soft limit (sequence, bytes, packets) was reached: the IKE side should rekey. */
  rekeyNeeded = false;
  /** A hard limit was reached: the SA drops everything. */
  expired = false;
  /** Next header of the payload the last successful `espDecap` returned (4, 41, or another in transport mode). */
  lastNextHeader = 0;
  /** `now` of the last packet that verified inbound (for idle / DPD decisions), -1 before any. */
  lastInboundAt = -1;
  /** `now` of the last packet sent (for NAT keepalive scheduling), -1 before any. */
  lastOutboundAt = -1;

  /** Throws KiteError on unsupported transforms or wrong key lengths (configuration errors). */
  constructor(params: ChildSaParams, options: ChildSaOptions = {}) {
    this.params = params;
    this.options = options;
    const { encrId, keyLengthBits, integId, esn } = params;
    this.inCipher = createEspCipher(espCipherSpec(encrId, keyLengthBits, integId, params.encrKeyIn, params.integKeyIn, esn), options.backend);
    this.outCipher = createEspCipher(espCipherSpec(encrId, keyLengthBits, integId, params.encrKeyOut, params.integKeyOut, esn), options.backend);
    this.replay = new ReplayWindow(params.replayWindow ?? DEFAULT_REPLAY_WINDOW, esn);
    this.seqHard = esn ? Number.MAX_SAFE_INTEGER : TWO32 - 1;
    this.seqSoft = this.seqHard - Math.min(options.seqSoftMargin ?? 2 ** 22, this.seqHard);
    this.seqOut = options.initialSeqOut ?? 0;
    if (params.ipcomp !== undefined) {
      const codec = options.ipcompCodec;
      if (codec === undefined) throw new KiteError('IPCOMP_CODEC_MISSING', 'the SA negotiated IPComp: pass options.ipcompCodec (deflateCodec() from ipcomp/deflate.ts)');
      if (codec.transform !== params.ipcomp.transform) {
        throw new KiteError('UNSUPPORTED_ALGORITHM', `IPComp transform ${params.ipcomp.transform} negotiated, codec implements ${codec.transform}`);
      }
    }
  }

  /** Count `bytes` of payload in a direction and apply the lifetimes. */
  account(direction: 'in' | 'out', bytes: number): void {
    const s = this.stats;
    if (direction === 'in') {
      s.packetsIn++;
      s.bytesIn += bytes;
    } else {
      s.packetsOut++;
      s.bytesOut += bytes;
    }
    const lt = this.params.lifetime;
    if (lt === undefined) return;
    // Each direction is its own SA (RFC 4301 §4.4.2.1): limits apply per direction.
    const packets = direction === 'in' ? s.packetsIn : s.packetsOut;
    const total = direction === 'in' ? s.bytesIn : s.bytesOut;
    if ((lt.softBytes !== undefined && total >= lt.softBytes) || (lt.softPackets !== undefined && packets >= lt.softPackets)) this.rekeyNeeded = true;
    if ((lt.hardBytes !== undefined && total >= lt.hardBytes) || (lt.hardPackets !== undefined && packets >= lt.hardPackets)) this.expired = true;
  }

  /** Count a drop and return its reason (so callers can `return sa.drop(...)`). */
  drop(reason: EspDrop): EspDrop {
    this.stats.drops[reason]++;
    return reason;
  }
}
