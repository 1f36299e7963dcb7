/**
 * Hex text input for `kite decode`: one IKE message per paragraph, paragraphs separated by blank
 * lines. Whitespace, `0x` prefixes, colons and `#` comments (to the end of the line) are ignored,
 * so output of `xxd -p`, Wireshark's "Copy as Hex Stream" and strongSwan-style `aa:bb:..` dumps
 * all paste in. Errors are ParseError with `offset` = 1-based line number.
 */
import { ParseError } from '../errors.js';

/** Most messages read from one text (each paragraph is one). */
export const MAX_HEX_MESSAGES = 100_000;

const HEX_PREFIX = /(^|[\s:,])0x/gi;
const SEPARATORS = /[\s:]/g;
const HEX = /^[0-9a-fA-F]*$/;

/** Decode every hex paragraph of `text` into bytes (empty paragraphs are skipped). */
export function readHexMessages(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const lines = text.split(/\r?\n/);
  let digits = '';
  let firstLine = 0;
  const flush = (): void => {
    if (digits.length === 0) return;
    if (digits.length % 2 !== 0) {
      throw new ParseError('BAD_FORMAT', 'hex', firstLine, `paragraph starting on line ${firstLine} has an odd number (${digits.length}) of hex digits`);
    }
    if (out.length >= MAX_HEX_MESSAGES) throw new ParseError('LIMIT', 'hex', firstLine, `more than ${MAX_HEX_MESSAGES} messages`);
    out.push(new Uint8Array(Buffer.from(digits, 'hex')));
    digits = '';
  };
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.trim() === '') {
      flush();
      return;
    }
    const hash = raw.indexOf('#');
    const code = (hash >= 0 ? raw.slice(0, hash) : raw).replace(HEX_PREFIX, '$1').replace(SEPARATORS, '');
    if (!HEX.test(code)) {
      const bad = code.match(/[^0-9a-fA-F]/)?.[0] ?? '?';
      throw new ParseError('BAD_FORMAT', 'hex', lineNo, `line ${lineNo}: '${bad}' is not a hex digit`);
    }
    if (code.length > 0 && digits.length === 0) firstLine = lineNo;
    digits += code;
  });
  flush();
  return out;
}
