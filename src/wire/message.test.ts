import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KiteError } from '../errors.js';
import { ExchangeType, HeaderFlag, KeGroup, NotifyType, PayloadType } from '../iana/ikev2.js';
import { concat } from '../util/bytes.js';
import type { IkeHeader } from './header.js';
import { decodeMessage, decodePayloadChain, encodeMessage, encodePayloadChain, findSkPayloadOffset, type IkeMessage } from './message.js';
import type { Payload } from './payload.js';
import { parseErrorOf, RFC5996_URL } from './payloads/testing.testkit.js';
import { assembleFigure, parseFigure } from './rfc-figures.testkit.js';

const rfc = readFileSync(RFC5996_URL, 'utf8');
const FIG_HEADER = parseFigure(rfc, 4);
const FIG_NONCE = parseFigure(rfc, 15);
const FIG_NOTIFY = parseFigure(rfc, 16);
const FIG_GENERIC = parseFigure(rfc, 5);

const spiI = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const zero8 = new Uint8Array(8);
const nonce = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);

function header(next: number, exchange: number, length: number | 'auto', flags = HeaderFlag.INITIATOR, mj = 2): Uint8Array {
  return assembleFigure(FIG_HEADER, {
    "IKE SA Initiator's SPI": spiI, "IKE SA Responder's SPI": zero8, 'Next Payload': next, MjVer: mj, MnVer: 0,
    'Exchange Type': exchange, Flags: flags, 'Message ID': 0, Length: length,
  });
}

/** Header, then a Nonce payload, then a NAT_DETECTION_SOURCE_IP notify, assembled from Figures 4, 15, 16. */
function knownMessage(): Uint8Array {
  const notifyData = Uint8Array.from({ length: 20 }, (_, i) => i);
  const n = assembleFigure(FIG_NONCE, { 'Next Payload': PayloadType.NOTIFY, C: 0, 'Payload Length': 'auto', 'Nonce Data': nonce });
  const no = assembleFigure(FIG_NOTIFY, {
    'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'Protocol ID': 0, 'SPI Size': 0, 'Notify Message Type': NotifyType.NAT_DETECTION_SOURCE_IP,
    'Security Parameter Index (SPI)': new Uint8Array(0), 'Notification Data': notifyData,
  });
  return concat(header(PayloadType.NONCE, ExchangeType.IKE_SA_INIT, 28 + n.length + no.length), n, no);
}

function generic(next: number, critical: number, body: Uint8Array, length: number = 4 + body.length): Uint8Array {
  return concat(assembleFigure(FIG_GENERIC, { 'Next Payload': next, C: critical, 'Payload Length': length }), body);
}

const baseHeader: IkeHeader = {
  spiI, spiR: zero8, nextPayload: 0, majorVersion: 2, minorVersion: 0, exchangeType: ExchangeType.IKE_AUTH,
  flags: HeaderFlag.INITIATOR, initiator: true, response: false, messageId: 1, length: 0,
};

describe('IKE message codec', () => {
  it('decodes a message assembled from Figures 4, 15 and 16 and re-encodes it exactly', () => {
    const bytes = knownMessage();
    const m = decodeMessage(bytes);
    expect(m.header).toMatchObject({ exchangeType: ExchangeType.IKE_SA_INIT, nextPayload: PayloadType.NONCE, length: bytes.length, initiator: true });
    expect(m.payloads.map((p) => p.type)).toEqual([PayloadType.NONCE, PayloadType.NOTIFY]);
    expect(m.payloads[0]).toEqual({ type: PayloadType.NONCE, critical: false, data: nonce });
    expect(m.skOffset).toBeUndefined();
    expect(encodeMessage(m)).toEqual(bytes);
  });

  it('recomputes length and next-payload chaining on encode', () => {
    const payloads: Payload[] = [
      { type: PayloadType.KE, critical: false, group: KeGroup.CURVE25519, data: new Uint8Array(32) },
      { type: PayloadType.NONCE, critical: false, data: nonce },
    ];
    const bytes = encodeMessage({ header: { ...baseHeader, nextPayload: 99, length: 5 }, payloads });
    const m = decodeMessage(bytes);
    expect(m.header.nextPayload).toBe(PayloadType.KE);
    expect(m.header.length).toBe(bytes.length);
    expect(m.payloads).toEqual(payloads);
    const chain = encodePayloadChain(payloads);
    expect(chain.firstType).toBe(PayloadType.KE);
    expect(decodePayloadChain(chain.firstType, chain.bytes)).toEqual(payloads);
  });

  it('keeps an unknown non-critical payload so that re-encoding is exact', () => {
    const body = concat(generic(PayloadType.NONCE, 0, Uint8Array.of(9, 9, 9)), generic(0, 0, nonce));
    const bytes = concat(header(200, ExchangeType.INFORMATIONAL, 28 + body.length), body);
    const m = decodeMessage(bytes);
    expect(m.payloads[0]).toEqual({ type: 200, critical: false, unknown: true, data: Uint8Array.of(9, 9, 9) });
    expect(encodeMessage(m)).toEqual(bytes);
  });

  it('refuses an unknown critical payload with UNSUPPORTED_CRITICAL_PAYLOAD naming its type', () => {
    const body = generic(0, 1, Uint8Array.of(1));
    const e = parseErrorOf(() => decodeMessage(concat(header(201, ExchangeType.INFORMATIONAL, 28 + body.length), body)));
    expect(e).toMatchObject({ code: 'UNSUPPORTED_CRITICAL_PAYLOAD', payloadType: 201, offset: 28 });
  });

  it('refuses bad framing: header length, version, payload length, broken chain, trailing octets', () => {
    const ok = knownMessage();
    expect(parseErrorOf(() => decodeMessage(concat(ok, Uint8Array.of(0))))).toMatchObject({ code: 'BAD_LENGTH', field: 'length' });
    const v1 = ok.slice();
    v1[17] = 0x10;
    expect(parseErrorOf(() => decodeMessage(v1))).toMatchObject({ code: 'BAD_VALUE', field: 'majorVersion' });
    const tiny = concat(header(PayloadType.NONCE, 34, 32), generic(0, 0, new Uint8Array(0), 3));
    expect(parseErrorOf(() => decodeMessage(tiny))).toMatchObject({ code: 'BAD_LENGTH', field: 'payload.length', offset: 30 });
    const broken = concat(header(PayloadType.NONCE, 34, 36), generic(PayloadType.NONCE, 0, Uint8Array.of(1, 2, 3, 4)));
    expect(parseErrorOf(() => decodeMessage(broken))).toMatchObject({ code: 'TRUNCATED', field: 'payload', offset: 36 });
    const trailing = concat(header(PayloadType.NONCE, 34, 38), generic(0, 0, Uint8Array.of(1, 2, 3, 4)), Uint8Array.of(0, 0));
    expect(parseErrorOf(() => decodeMessage(trailing))).toMatchObject({ code: 'BAD_LENGTH', field: 'payloads', offset: 36 });
  });

  it('enforces the payload count and message size limits', () => {
    const vids: Payload[] = Array.from({ length: 129 }, () => ({ type: PayloadType.VENDOR_ID, critical: false, data: new Uint8Array(0) }));
    const w = encodePayloadChain(vids.slice(0, 128));
    const extra = concat(w.bytes.subarray(0, w.bytes.length - 4), generic(PayloadType.VENDOR_ID, 0, new Uint8Array(0)), generic(0, 0, new Uint8Array(0)));
    extra[w.bytes.length - 4] = PayloadType.VENDOR_ID;
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.VENDOR_ID, extra)).code).toBe('LIMIT');
    expect(() => encodeMessage({ header: baseHeader, payloads: vids })).toThrow(KiteError);
    expect(parseErrorOf(() => decodeMessage(new Uint8Array(65_536))).code).toBe('LIMIT');
  });

  it('locates the SK payload for AAD/ICV and requires it to be last', () => {
    const sk: Payload = { type: PayloadType.SK, critical: false, innerNextPayload: PayloadType.IDi, body: new Uint8Array(48).fill(7) };
    const v: Payload = { type: PayloadType.VENDOR_ID, critical: false, data: Uint8Array.of(1, 2) };
    const bytes = encodeMessage({ header: baseHeader, payloads: [v, sk] });
    const m = decodeMessage(bytes);
    expect(m.skOffset).toBe(28 + 6);
    expect(findSkPayloadOffset(bytes)).toEqual({ type: PayloadType.SK, offset: 34, bodyOffset: 38 });
    expect(bytes[34]).toBe(PayloadType.IDi);
    expect(() => encodeMessage({ header: baseHeader, payloads: [sk, v] })).toThrow(/last/);
    const skf: Payload = { type: PayloadType.SKF, critical: false, innerNextPayload: 0, fragmentNumber: 2, totalFragments: 2, body: new Uint8Array(40) };
    const f = encodeMessage({ header: baseHeader, payloads: [skf] });
    expect(findSkPayloadOffset(f)).toEqual({ type: PayloadType.SKF, offset: 28, bodyOffset: 36 });
    expect(decodeMessage(f)).toEqual({ header: { ...baseHeader, nextPayload: PayloadType.SKF, length: f.length }, payloads: [skf], skOffset: 28 });
    expect(findSkPayloadOffset(knownMessage())).toBeUndefined();
  });

  it('refuses records that cannot be represented instead of truncating them', () => {
    const bad: IkeMessage = { header: baseHeader, payloads: [{ type: PayloadType.NOTIFY, critical: false, protocolId: 3, spi: new Uint8Array(256), notifyType: 1, data: new Uint8Array(0) }] };
    expect(() => encodeMessage(bad)).toThrow(/notify.spi length/);
    const big: IkeMessage = { header: baseHeader, payloads: [{ type: PayloadType.CERT, critical: false, encoding: 4, data: new Uint8Array(70_000) }] };
    expect(() => encodeMessage(big)).toThrow(KiteError);
    // An uninterpreted record must not carry a type the decoder would interpret (or NONE).
    for (const type of [0, PayloadType.SA]) {
      expect(() => encodeMessage({ header: baseHeader, payloads: [{ type, critical: false, unknown: true, data: new Uint8Array(0) }] })).toThrow(/unknown payload type/);
    }
  });
});
