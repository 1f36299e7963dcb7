/**
 * One line of a Wireshark UAT ("User Accessible Table") file: comma-separated fields, each either
 * bare (hex bytes, numbers) or a double-quoted string in which `\\`, `\"` and `\xNN` are escapes.
 * Shared by the IKEv2 decryption table and the ESP SA table readers.
 */
import { ParseError } from '../errors.js';

/** One field of a UAT line. */
export interface UatField {
  /** The field's text, unescaped if it was quoted, trimmed if it was bare. */
  readonly text: string;
  /** Whether it was written as a quoted string. */
  readonly quoted: boolean;
}

/** Split a UAT line into fields; ParseError (offset = `lineNo`) on an unterminated string or bad escape. */
export function parseUatLine(line: string, lineNo: number, field: string): UatField[] {
  const out: UatField[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new ParseError('BAD_FORMAT', field, lineNo, `line ${lineNo}: unterminated quoted string`);
        i++;
        if (c === '"') break;
        if (c !== '\\') {
          text += c;
          continue;
        }
        const e = line[i];
        if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 1, i + 3))) {
          text += String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16));
          i += 3;
        } else if (e === '\\' || e === '"') {
          text += e;
          i++;
        } else {
          throw new ParseError('BAD_FORMAT', field, lineNo, `line ${lineNo}: bad escape in quoted string`);
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      out.push({ text, quoted: true });
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      out.push({ text: line.slice(i, stop).trim(), quoted: false });
      i = stop;
    }
    if (i >= line.length) return out;
    if (line[i] !== ',') throw new ParseError('BAD_FORMAT', field, lineNo, `line ${lineNo}: expected ',' after field ${out.length}`);
    i++;
  }
}

/** Quote `s` for a UAT file (escaping `"` and `\` and non-printable characters as `\xNN`). */
export function quoteUat(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += ch === '"' || ch === '\\' || c < 0x20 || c > 0x7e ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return `${out}"`;
}
