/**
 * Helpers shared by the payload codecs: the end-of-body check every decoder runs, and the argument
 * checks encoders run so that a bad record is refused instead of being silently truncated.
 */
import { KiteError, ParseError } from '../../errors.js';
import type { Reader } from '../../util/bytes.js';

/** Throws BAD_LENGTH if `r` still holds bytes: a payload body must be consumed exactly. */
export function expectEnd(r: Reader, field: string): void {
  if (r.remaining !== 0) {
    throw new ParseError('BAD_LENGTH', field, r.offset, `${r.remaining} unexpected trailing bytes`);
  }
}

/** Throws LIMIT when `count` exceeds `max`. */
export function checkLimit(count: number, max: number, field: string, offset: number): void {
  if (count > max) throw new ParseError('LIMIT', field, offset, `more than ${max}`);
}

/**
 * Encoder argument check: a record whose field cannot be represented on the wire is an API misuse,
 * reported as `KiteError` code `ENCODE_INVALID` naming the field and the value received.
 */
export function checkField(ok: boolean, field: string, got: unknown): void {
  if (!ok) throw new KiteError('ENCODE_INVALID', `cannot encode ${field}: got ${String(got)}`);
}

/** Encoder check that `v` is an integer in [0, max]. */
export function checkUint(v: number, max: number, field: string): void {
  checkField(Number.isInteger(v) && v >= 0 && v <= max, field, v);
}
