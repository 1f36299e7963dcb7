import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayloadType, TsType } from '../../iana/ikev2.js';
import { concat } from '../../util/bytes.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { findPayload } from '../payload.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const rfc = readFileSync(RFC5996_URL, 'utf8');
const FIG_TS = parseFigure(rfc, 19);
const FIG_SELECTOR = parseFigure(rfc, 20);

function selector(tsType: number, proto: number, start: number, end: number, a: Uint8Array, b: Uint8Array, length: number | 'auto' = 'auto'): Uint8Array {
  return assembleFigure(FIG_SELECTOR, {
    'TS Type': tsType, 'IP Protocol ID': proto, 'Selector Length': length, 'Start Port': start, 'End Port': end,
    'Starting Address': a, 'Ending Address': b,
  });
}

function ts(count: number, selectors: Uint8Array[]): Uint8Array {
  return assembleFigure(FIG_TS, { 'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'Number of TSs': count, '<Traffic Selectors>': concat(...selectors) });
}

// Documentation ranges (RFC 5737, RFC 3849).
const v4a = Uint8Array.of(192, 0, 2, 0);
const v4b = Uint8Array.of(192, 0, 2, 255);
const v6a = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Uint8Array(12));
const v6b = Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Uint8Array(12).fill(0xff));

describe('Traffic Selector payloads (RFC 7296 §3.13)', () => {
  it('decodes IPv4 and IPv6 ranges (Figures 19-20) and re-encodes them', () => {
    const bytes = ts(2, [selector(TsType.TS_IPV4_ADDR_RANGE, 17, 500, 4500, v4a, v4b), selector(TsType.TS_IPV6_ADDR_RANGE, 0, 0, 65535, v6a, v6b)]);
    const got = decodePayloadChain(PayloadType.TSr, bytes);
    expect(got).toEqual([{
      type: PayloadType.TSr, critical: false, selectors: [
        { tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: 17, startPort: 500, endPort: 4500, startAddress: v4a, endAddress: v4b },
        { tsType: TsType.TS_IPV6_ADDR_RANGE, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: v6a, endAddress: v6b },
      ],
    }]);
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('keeps a selector of another type opaque and re-encodes it', () => {
    // TS_SECLABEL (RFC 9478): type, flags octet, length, label.
    const label = Uint8Array.of(TsType.TS_SECLABEL, 0x00, 0x00, 0x08, 0x73, 0x79, 0x73, 0x00);
    const bytes = ts(2, [selector(TsType.TS_IPV4_ADDR_RANGE, 0, 0, 65535, v4a, v4b), label]);
    const got = decodePayloadChain(PayloadType.TSi, bytes);
    expect(findPayload(got, PayloadType.TSi)?.selectors[1]).toEqual({ tsType: TsType.TS_SECLABEL, flags: 0, data: Uint8Array.of(0x73, 0x79, 0x73, 0x00) });
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('rejects a selector length that does not match its type, a missing selector and too many', () => {
    const wrong = ts(1, [selector(TsType.TS_IPV4_ADDR_RANGE, 0, 0, 65535, v4a, v4b, 24)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.TSi, wrong))).toMatchObject({ code: 'BAD_LENGTH', field: 'ts.selectorLength' });
    const missing = ts(2, [selector(TsType.TS_IPV4_ADDR_RANGE, 0, 0, 65535, v4a, v4b)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.TSi, missing)).code).toBe('TRUNCATED');
    const extra = ts(0, [selector(TsType.TS_IPV4_ADDR_RANGE, 0, 0, 65535, v4a, v4b)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.TSi, extra)).code).toBe('BAD_LENGTH');
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.TSi, ts(65, []))).code).toBe('LIMIT');
  });
});
