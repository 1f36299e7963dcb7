import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayloadType } from '../../iana/ikev2.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { skSplit } from './sk.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

// Figure 21 draws the encrypted contents with partial borders; the generic header (Figure 5)
// is what the codec reads, the rest is the opaque IV | ciphertext | ICV.
const FIG_GENERIC = parseFigure(readFileSync(RFC5996_URL, 'utf8'), 5);
const body = Uint8Array.from({ length: 16 + 32 + 16 }, (_, i) => i);
const sk = (next: number, b: Uint8Array) => {
  const h = assembleFigure(FIG_GENERIC, { 'Next Payload': next, C: 0, 'Payload Length': 4 + b.length });
  const out = new Uint8Array(h.length + b.length);
  out.set(h);
  out.set(b, h.length);
  return out;
};

describe('SK payload (RFC 7296 §3.14)', () => {
  it('keeps Next Payload as the first inner type and the whole body', () => {
    const bytes = sk(PayloadType.IDi, body);
    const got = decodePayloadChain(PayloadType.SK, bytes);
    expect(got).toEqual([{ type: PayloadType.SK, critical: false, innerNextPayload: PayloadType.IDi, body }]);
    expect(encodePayloadChain(got)).toEqual({ firstType: PayloadType.SK, bytes });
  });

  it('splits IV, ciphertext and ICV as views, and refuses a body too short for them', () => {
    const { iv, ciphertext, icv } = skSplit(body, 16, 16);
    expect([iv.length, ciphertext.length, icv.length]).toEqual([16, 32, 16]);
    expect(iv[0]).toBe(0);
    expect(ciphertext[0]).toBe(16);
    expect(icv[15]).toBe(63);
    expect(skSplit(body.subarray(0, 8 + 1 + 16), 8, 16).ciphertext.length).toBe(1);
    expect(parseErrorOf(() => skSplit(body.subarray(0, 24), 8, 16, 32))).toMatchObject({ code: 'TRUNCATED', field: 'sk.body', offset: 32 });
  });

  it('must be the last payload: octets after it are refused', () => {
    const bytes = sk(PayloadType.IDi, body);
    bytes[3] = 40; // the SK payload ends before the buffer does
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SK, bytes))).toMatchObject({ code: 'BAD_LENGTH', field: 'payload.length' });
  });
});

describe('SKF payload (RFC 7383 §2.5)', () => {
  // Generic header, then Fragment Number (2 octets) and Total Fragments (2 octets), then the body.
  const skf = (next: number, num: number, total: number) => sk(next, Uint8Array.of(num >> 8, num & 0xff, total >> 8, total & 0xff, ...body));

  it('decodes fragment number, total and body, and re-encodes them', () => {
    const bytes = skf(PayloadType.IDi, 1, 2);
    const got = decodePayloadChain(PayloadType.SKF, bytes);
    expect(got).toEqual([{ type: PayloadType.SKF, critical: false, innerNextPayload: PayloadType.IDi, fragmentNumber: 1, totalFragments: 2, body }]);
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('refuses fragment 0, total 0 and a number above the total', () => {
    for (const [n, t] of [[0, 2], [1, 0], [3, 2]] as const) {
      expect(parseErrorOf(() => decodePayloadChain(PayloadType.SKF, skf(0, n, t)))).toMatchObject({ code: 'BAD_VALUE', field: 'skf.fragmentNumber', offset: 4 });
    }
  });
});
