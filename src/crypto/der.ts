/**
 * Minimal DER for the RFC 7427 AlgorithmIdentifier in AUTH payloads: OID encoding, TLV writing
 * and a bounds-checked TLV reader that throws `ParseError` on malformed input.
 */
import { ParseError } from '../errors.js';
import { concat } from '../util/bytes.js';

/** DER tags used here. */
export const DerTag = {
  INTEGER: 0x02,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
  CONTEXT_2: 0xa2,
  CONTEXT_3: 0xa3,
} as const;

/** Encode one TLV with a definite length. */
export function derTlv(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  let len: Uint8Array;
  if (n < 0x80) len = Uint8Array.of(n);
  else if (n < 0x100) len = Uint8Array.of(0x81, n);
  else len = Uint8Array.of(0x82, n >> 8, n & 0xff);
  return concat(Uint8Array.of(tag), len, value);
}

/** Encode a dotted OID ("1.2.840.113549.1.1.11") as a DER OBJECT IDENTIFIER TLV. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const first = (arcs[0] ?? 0) * 40 + (arcs[1] ?? 0);
  const body: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [arc & 0x7f];
    let v = Math.floor(arc / 128);
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    body.push(...chunk);
  }
  return derTlv(DerTag.OID, Uint8Array.from(body));
}

/** Decode the body of an OBJECT IDENTIFIER into dotted form. */
export function oidToString(body: Uint8Array, offset = 0): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (v === 0 && b === 0x80) throw new ParseError('BAD_VALUE', 'OID', offset + i, 'non-minimal arc');
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) throw new ParseError('BAD_VALUE', 'OID', offset + i, 'arc too large');
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    } else if (i === body.length - 1) {
      throw new ParseError('TRUNCATED', 'OID', offset + i, 'unterminated arc');
    }
  }
  if (arcs.length === 0) throw new ParseError('BAD_LENGTH', 'OID', offset, 'empty OID');
  const first = arcs[0]!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** One decoded TLV. */
export interface DerNode {
  /** Tag octet. */
  readonly tag: number;
  /** Value octets. */
  readonly value: Uint8Array;
  /** Offset of the value in the outer buffer. */
  readonly valueOffset: number;
  /** Offset just past this TLV. */
  readonly end: number;
}

/** Read the TLV at `offset` of `buf` (DER: definite, minimal lengths up to 64 KiB). */
export function derRead(buf: Uint8Array, offset: number, field: string): DerNode {
  const tag = buf[offset];
  const l0 = buf[offset + 1];
  if (tag === undefined || l0 === undefined) throw new ParseError('TRUNCATED', field, offset, 'DER header');
  if ((tag & 0x1f) === 0x1f) throw new ParseError('BAD_VALUE', field, offset, 'multi-byte DER tag');
  let len = l0;
  let hdr = 2;
  if (l0 === 0x81) {
    len = buf[offset + 2] ?? -1;
    hdr = 3;
    if (len < 0x80) throw new ParseError('BAD_LENGTH', field, offset, 'non-minimal DER length');
  } else if (l0 === 0x82) {
    const a = buf[offset + 2];
    const b = buf[offset + 3];
    if (a === undefined || b === undefined) throw new ParseError('TRUNCATED', field, offset, 'DER length');
    len = (a << 8) | b;
    hdr = 4;
    if (len < 0x100) throw new ParseError('BAD_LENGTH', field, offset, 'non-minimal DER length');
  } else if (l0 >= 0x80) {
    throw new ParseError('BAD_LENGTH', field, offset, 'unsupported DER length form');
  }
  if (len < 0) throw new ParseError('TRUNCATED', field, offset, 'DER length');
  const start = offset + hdr;
  if (start + len > buf.length) throw new ParseError('TRUNCATED', field, offset, `DER value of ${len} bytes`);
  return { tag, value: buf.subarray(start, start + len), valueOffset: start, end: start + len };
}

/** Read all TLVs that make up `buf` exactly. */
export function derChildren(buf: Uint8Array, field: string, base = 0): readonly DerNode[] {
  const out: DerNode[] = [];
  let off = 0;
  while (off < buf.length) {
    const n = derRead(buf, off, field);
    out.push({ ...n, valueOffset: n.valueOffset + base });
    off = n.end;
  }
  return out;
}
