import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { parseErrorOf } from '../util/testing.testkit.js';
import { readHexMessages } from './hex.js';

const err = (text: string): ParseError => parseErrorOf(() => readHexMessages(text));

describe('readHexMessages', () => {
  it('splits paragraphs on blank lines and ignores whitespace, 0x, colons and comments', () => {
    const text = [
      '# IKE_SA_INIT request',
      '0011 2233',
      '  44:55:66   # trailing comment',
      '',
      '   ',
      '0xAB 0xcd, # commas only inside comments are fine',
      '0Xef',
      '',
      '# a paragraph of only comments is no message',
      '',
    ].join('\r\n');
    const msgs = readHexMessages(text.replace(', #', ' #'));
    expect(msgs.map((m) => Buffer.from(m).toString('hex'))).toEqual(['00112233445566', 'abcdef']);
  });

  it('returns nothing for empty input', () => {
    expect(readHexMessages('')).toEqual([]);
    expect(readHexMessages('\n\n# just a note\n')).toEqual([]);
  });

  it('names the line of a bad digit', () => {
    const e = err('0011\n22zz\n');
    expect([e.code, e.offset]).toEqual(['BAD_FORMAT', 2]);
    expect(e.message).toContain("'z'");
  });

  it('names the first line of a paragraph with an odd digit count', () => {
    const e = err('00\n\n# c\n012\n34\n');
    expect([e.code, e.offset]).toEqual(['BAD_FORMAT', 4]);
  });

  it('does not treat 0x inside a hex run as a prefix', () => {
    expect(err('a0x12').offset).toBe(1);
    expect(Buffer.from(readHexMessages('a0 0x12')[0] ?? []).toString('hex')).toBe('a012');
  });
});
