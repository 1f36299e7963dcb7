/**
 * IPComp with DEFLATE (RFC 3173, RFC 2394): each datagram compressed on its own as a raw DEFLATE
 * stream (RFC 1951: no zlib header, no history between datagrams) through `node:zlib`'s
 * synchronous calls, which do no I/O.
 *
 * Outbound follows RFC 3173 §2.2 and OpenBSD iked: below the threshold, or when the result is not
 * smaller, the datagram goes out uncompressed without an IPComp header. Inbound decompression is
 * bounded: a stream that would expand beyond the SA's limit is refused as a bomb, a stream zlib
 * cannot read is corrupt; both are returned as reasons, never thrown.
 */
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { IpcompTransform } from '../iana/ikev2.js';

/** Largest decompressed datagram (an IP packet cannot be longer). */
export const IPCOMP_MAX_OUTPUT = 65535;
/** Default size below which compression is not tried (the Linux and iked DEFLATE threshold). */
export const IPCOMP_DEFAULT_THRESHOLD = 90;

/** Why a datagram could not be decompressed. */
export const IpcompDrop = {
  /** Output would exceed the SA's limit. */
  BOMB: 'ipcomp-bomb',
  /** Not a complete raw DEFLATE stream. */
  CORRUPT: 'ipcomp-corrupt',
} as const;
/** One of {@link IpcompDrop}. */
export type IpcompDrop = (typeof IpcompDrop)[keyof typeof IpcompDrop];

/** Per-SA compression settings. */
export interface DeflateOptions {
  /** Do not compress datagrams shorter than this (default {@link IPCOMP_DEFAULT_THRESHOLD}). */
  readonly threshold?: number;
  /** zlib level 1..9 (default: zlib's default, 6). */
  readonly level?: number;
  /** Decompressed size limit, at most {@link IPCOMP_MAX_OUTPUT} (default). */
  readonly maxOutput?: number;
}

/**
 * Compress `data`, or return undefined when it should go out uncompressed (below the threshold,
 * or the compressed form is not smaller than `data`).
 */
export function deflateDatagram(data: Uint8Array, opts: DeflateOptions = {}): Uint8Array | undefined {
  if (data.length < (opts.threshold ?? IPCOMP_DEFAULT_THRESHOLD)) return undefined;
  try {
    const out = deflateRawSync(data, { level: opts.level ?? constants.Z_DEFAULT_COMPRESSION, maxOutputLength: data.length + 64 });
    return out.length < data.length ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : undefined;
  } catch {
    return undefined; // grew beyond the bound: incompressible, send it as it is
  }
}

/** Decompress one datagram's raw DEFLATE stream, bounded by `maxOutput`. Never throws. */
export function inflateDatagram(data: Uint8Array, maxOutput: number = IPCOMP_MAX_OUTPUT): Uint8Array | IpcompDrop {
  const limit = Math.min(Math.max(maxOutput, 1), IPCOMP_MAX_OUTPUT);
  try {
    const out = inflateRawSync(data, { maxOutputLength: limit });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    return err instanceof RangeError || (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? IpcompDrop.BOMB : IpcompDrop.CORRUPT;
  }
}

/** A per-SA DEFLATE codec, shaped as esp/'s `IpcompCodec` (pass it as `ChildSaOptions.ipcompCodec`). */
export interface DeflateCodec {
  /** `IpcompTransform.IPCOMP_DEFLATE`. */
  readonly transform: typeof IpcompTransform.IPCOMP_DEFLATE;
  /** {@link deflateDatagram} with this SA's options. */
  compress(data: Uint8Array): Uint8Array | undefined;
  /** {@link inflateDatagram} bounded by this SA's limit. */
  decompress(data: Uint8Array): Uint8Array | IpcompDrop;
}

/** The DEFLATE codec for one SA with `opts` (threshold, level, decompression limit). */
export function deflateCodec(opts: DeflateOptions = {}): DeflateCodec {
  return {
    transform: IpcompTransform.IPCOMP_DEFLATE,
    compress: (data) => deflateDatagram(data, opts),
    decompress: (data) => inflateDatagram(data, opts.maxOutput),
  };
}
