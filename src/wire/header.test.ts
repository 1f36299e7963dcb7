import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExchangeType, HeaderFlag, PayloadType } from '../iana/ikev2.js';
import { Writer } from '../util/bytes.js';
import { checkHeaderFrame, decodeHeader, encodeHeader, IKE_HEADER_LENGTH } from './header.js';
import { parseErrorOf, RFC5996_URL } from './payloads/testing.testkit.js';
import { assembleFigure, parseFigure } from './rfc-figures.testkit.js';

const FIG = parseFigure(readFileSync(RFC5996_URL, 'utf8'), 4);
const spiI = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const spiR = Uint8Array.of(0xf8, 0xf7, 0xf6, 0xf5, 0xf4, 0xf3, 0xf2, 0xf1);

function header(flags: number, mj = 2, mn = 0): Uint8Array {
  return assembleFigure(FIG, {
    "IKE SA Initiator's SPI": spiI, "IKE SA Responder's SPI": spiR, 'Next Payload': PayloadType.SK, MjVer: mj, MnVer: mn,
    'Exchange Type': ExchangeType.IKE_AUTH, Flags: flags, 'Message ID': 0xfffffffe, Length: 'auto',
  });
}

describe('IKE header (RFC 7296 §3.1)', () => {
  it('decodes every field of Figure 4', () => {
    const bytes = header(HeaderFlag.RESPONSE);
    expect(bytes.length).toBe(IKE_HEADER_LENGTH);
    expect(decodeHeader(bytes)).toEqual({
      spiI, spiR, nextPayload: PayloadType.SK, majorVersion: 2, minorVersion: 0, exchangeType: ExchangeType.IKE_AUTH,
      flags: HeaderFlag.RESPONSE, initiator: false, response: true, messageId: 0xfffffffe, length: 28,
    });
  });

  it('re-encodes the flags octet exactly, taking I and R from the booleans', () => {
    const bytes = header(HeaderFlag.INITIATOR | HeaderFlag.VERSION | 0x01, 2, 3);
    const h = decodeHeader(bytes);
    expect([h.initiator, h.response, h.minorVersion]).toEqual([true, false, 3]);
    const w = new Writer();
    encodeHeader(w, h);
    expect(w.finish()).toEqual(bytes);
    const w2 = new Writer();
    encodeHeader(w2, { ...h, initiator: false, response: true });
    expect(w2.finish()[19]).toBe(HeaderFlag.RESPONSE | HeaderFlag.VERSION | 0x01);
  });

  it('refuses fewer than 28 octets and reports offsets from base', () => {
    expect(parseErrorOf(() => decodeHeader(header(0).subarray(0, 27), 4))).toMatchObject({ code: 'TRUNCATED', offset: 4 });
  });

  it('checks the version and the length against the datagram', () => {
    expect(parseErrorOf(() => checkHeaderFrame(decodeHeader(header(0, 1)), 28))).toMatchObject({ code: 'BAD_VALUE', field: 'majorVersion' });
    expect(parseErrorOf(() => checkHeaderFrame(decodeHeader(header(0)), 40))).toMatchObject({ code: 'BAD_LENGTH', field: 'length', offset: 24 });
    expect(() => checkHeaderFrame(decodeHeader(header(0)), 28)).not.toThrow();
  });
});
