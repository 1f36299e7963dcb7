/**
 * IPComp header (RFC 3173 §2.2): `Next Header(1) | Flags(1) | CPI(2)`, then the compressed payload.
 * Flags are reserved (sent as zero, ignored on receipt). CPIs 0..63 are reserved for well-known
 * transforms and 64..255 for local use; negotiated CPIs are >= 256 (RFC 3173 §3.3, RFC 7296 §3.10.1).
 */
import { ParseError } from '../errors.js';

/** IPComp header bytes. */
export const IPCOMP_HEADER_LENGTH = 4;

/** The IPComp header. */
export interface IpcompHeader {
  /** Protocol of the decompressed payload (4, 41, ...). */
  readonly nextHeader: number;
  /** Compression Parameter Index. */
  readonly cpi: number;
}

/** Decode the header at the start of `b`; ParseError TRUNCATED when shorter than 4 bytes. */
export function decodeIpcompHeader(b: Uint8Array, base = 0): IpcompHeader {
  if (b.length < IPCOMP_HEADER_LENGTH) throw new ParseError('TRUNCATED', 'ipcomp.header', base, `need ${IPCOMP_HEADER_LENGTH} bytes, have ${b.length}`);
  return { nextHeader: b[0] as number, cpi: ((b[2] as number) << 8) | (b[3] as number) };
}

/** Write the header at `off` of `out` (flags zero). */
export function encodeIpcompHeader(out: Uint8Array, off: number, nextHeader: number, cpi: number): void {
  out[off] = nextHeader;
  out[off + 1] = 0;
  out[off + 2] = cpi >>> 8;
  out[off + 3] = cpi & 0xff;
}
