/**
 * Bounds-checked byte Reader and growable Writer. Every read checks the remaining length first and
 * throws {@link ParseError} with the absolute offset and the field name; no read ever returns a
 * partial value.
 */
import { ParseError } from '../errors.js';

/** Sequential reader over an untrusted byte buffer. `base` is added to offsets in errors. */
export class Reader {
  readonly buf: Uint8Array;
  private pos: number;
  private readonly end: number;
  private readonly base: number;

  constructor(buf: Uint8Array, base = 0, start = 0, end = buf.length) {
    if (start < 0 || end > buf.length || start > end) throw new RangeError('Reader: bad window');
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  /** Absolute offset (for error reports) of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes left before the end of the window. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws TRUNCATED unless `n` bytes remain. */
  need(n: number, field: string): void {
    if (n < 0 || this.end - this.pos < n) {
      throw new ParseError('TRUNCATED', field, this.offset, `need ${n} bytes, have ${this.end - this.pos}`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++] as number;
  }

  u16(field: string): number {
    this.need(2, field);
    const b = this.buf;
    const v = ((b[this.pos] as number) << 8) | (b[this.pos + 1] as number);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    const v = ((b[p] as number) * 0x1000000 + (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number))) >>> 0;
    this.pos += 4;
    return v;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next `n` bytes, for values kept beyond the input buffer's lifetime. */
  copy(n: number, field: string): Uint8Array {
    return this.bytes(n, field).slice();
  }

  /** All remaining bytes as a view. */
  rest(): Uint8Array {
    const v = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /** A sub-reader over the next `n` bytes; this reader advances past them. */
  sub(n: number, field: string): Reader {
    this.need(n, field);
    const r = new Reader(this.buf, this.base, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}

/** Growable big-endian writer. `finish()` returns a view of exactly the bytes written. */
export class Writer {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Reserve a 16-bit field to fill later with {@link patchU16}; returns its position. */
  reserveU16(): number {
    const at = this.pos;
    this.u16(0);
    return at;
  }

  reserveU32(): number {
    const at = this.pos;
    this.u32(0);
    return at;
  }

  patchU16(at: number, v: number): void {
    this.buf[at] = (v >>> 8) & 0xff;
    this.buf[at + 1] = v & 0xff;
  }

  patchU32(at: number, v: number): void {
    this.buf[at] = (v >>> 24) & 0xff;
    this.buf[at + 1] = (v >>> 16) & 0xff;
    this.buf[at + 2] = (v >>> 8) & 0xff;
    this.buf[at + 3] = v & 0xff;
  }

  patchU8(at: number, v: number): void {
    this.buf[at] = v & 0xff;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Lower-case hex of `b`. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Parse hex (whitespace and an optional `0x` prefix tolerated); throws ParseError on bad input. */
export function fromHex(s: string, field = 'hex'): Uint8Array {
  const clean = s.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new ParseError('BAD_FORMAT', field, 0, 'not an even-length hex string');
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** Concatenate byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte-wise equality; NOT constant time (use ctEqual for secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
