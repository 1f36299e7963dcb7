/**
 * ESP packet framing (RFC 4303 §2): `SPI(4) | Sequence Number(4) | IV | payload | padding |
 * Pad Length(1) | Next Header(1) | ICV`. The codec here only reads the cleartext header and the
 * trailer layout; protection lives in `esp/`. Helpers are allocation-free so the dataplane's hot
 * path can use them.
 */
import { ParseError } from '../errors.js';

/** SPI + sequence number. */
export const ESP_HEADER_LENGTH = 8;
/** Pad Length + Next Header. */
export const ESP_TRAILER_LENGTH = 2;
/** SPIs 1..255 are reserved by IANA (RFC 4303 §2.1); 0 is the non-ESP marker on UDP 4500. */
export const ESP_MIN_SPI = 256;

/** The cleartext ESP header. */
export interface EspHeader {
  /** Security Parameters Index. */
  readonly spi: number;
  /** Low 32 bits of the sequence number. */
  readonly seq: number;
}

/** Big-endian uint32 at `off` (caller guarantees `off + 4 <= b.length`). */
export function readU32(b: Uint8Array, off: number): number {
  return (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
}

/** Write big-endian uint32 `v` at `off` (caller guarantees room). */
export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}

/** Decode the ESP header; ParseError TRUNCATED below 8 bytes, BAD_VALUE for a reserved SPI. */
export function decodeEspHeader(pkt: Uint8Array, base = 0): EspHeader {
  if (pkt.length < ESP_HEADER_LENGTH) throw new ParseError('TRUNCATED', 'esp.header', base, `need ${ESP_HEADER_LENGTH} bytes, have ${pkt.length}`);
  const spi = readU32(pkt, 0);
  if (spi < ESP_MIN_SPI) throw new ParseError('BAD_VALUE', 'esp.spi', base, `SPI ${spi} is reserved`);
  return { spi, seq: readU32(pkt, 4) };
}

/** Write SPI and sequence number at the start of `out`. */
export function encodeEspHeader(out: Uint8Array, spi: number, seqLo: number): void {
  writeU32(out, 0, spi);
  writeU32(out, 4, seqLo);
}

/**
 * Padding for `payloadLength` plaintext bytes so that payload + pad + trailer is a multiple of
 * `blockSize` (RFC 4303 §2.4; 4 at least so the ICV is 4-byte aligned).
 */
export function espPadLength(payloadLength: number, blockSize: number): number {
  const align = Math.max(blockSize, 4);
  return (align - ((payloadLength + ESP_TRAILER_LENGTH) % align)) % align;
}

/** Fill `padLength` bytes at `off` with the default pattern 1, 2, 3, … (RFC 4303 §2.4). */
export function writeEspPadding(out: Uint8Array, off: number, padLength: number): void {
  for (let i = 0; i < padLength; i++) out[off + i] = i + 1;
}

/**
 * Where the payload of decrypted `plaintext` (payload | pad | pad length | next header) ends, or
 * -1 when the pad length exceeds the plaintext or the pad bytes are not 1, 2, 3, ….
 */
export function espPayloadEnd(plaintext: Uint8Array): number {
  const n = plaintext.length;
  if (n < ESP_TRAILER_LENGTH) return -1;
  const padLength = plaintext[n - 2] as number;
  const end = n - ESP_TRAILER_LENGTH - padLength;
  if (end < 0) return -1;
  let bad = 0;
  for (let i = 0; i < padLength; i++) bad |= (plaintext[end + i] as number) ^ ((i + 1) & 0xff);
  return bad === 0 ? end : -1;
}
