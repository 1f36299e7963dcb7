import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CfgAttr, CfgType, PayloadType } from '../../iana/ikev2.js';
import { concat } from '../../util/bytes.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const rfc = readFileSync(RFC5996_URL, 'utf8');
const FIG_CP = parseFigure(rfc, 22);
const FIG_ATTR = parseFigure(rfc, 23);

const attr = (type: number, value: Uint8Array, r = 0, length: number = value.length) =>
  assembleFigure(FIG_ATTR, { R: r, 'Attribute Type': type, Length: length, Value: value });
const cp = (cfgType: number, attrs: Uint8Array[]) =>
  assembleFigure(FIG_CP, { 'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'CFG Type': cfgType, 'Configuration Attributes': concat(...attrs) });

describe('Configuration payload (RFC 7296 §3.15)', () => {
  it('keeps zero-length request attributes (Figures 22-23) and re-encodes them', () => {
    const bytes = cp(CfgType.CFG_REQUEST, [attr(CfgAttr.INTERNAL_IP4_ADDRESS, new Uint8Array(0)), attr(CfgAttr.INTERNAL_IP4_DNS, new Uint8Array(0)), attr(CfgAttr.INTERNAL_DNS_DOMAIN, new Uint8Array(0))]);
    const got = decodePayloadChain(PayloadType.CP, bytes);
    expect(got).toEqual([{
      type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REQUEST, attributes: [
        { type: CfgAttr.INTERNAL_IP4_ADDRESS, value: new Uint8Array(0) },
        { type: CfgAttr.INTERNAL_IP4_DNS, value: new Uint8Array(0) },
        { type: CfgAttr.INTERNAL_DNS_DOMAIN, value: new Uint8Array(0) },
      ],
    }]);
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('decodes a reply with values and ignores the reserved R bit', () => {
    const addr = Uint8Array.of(198, 51, 100, 7);
    const domain = new TextEncoder().encode('example.net');
    const [p] = decodePayloadChain(PayloadType.CP, cp(CfgType.CFG_REPLY, [attr(CfgAttr.INTERNAL_IP4_ADDRESS, addr, 1), attr(CfgAttr.INTERNAL_DNS_DOMAIN, domain)]));
    expect(p).toMatchObject({ cfgType: CfgType.CFG_REPLY, attributes: [{ type: CfgAttr.INTERNAL_IP4_ADDRESS, value: addr }, { type: CfgAttr.INTERNAL_DNS_DOMAIN, value: domain }] });
  });

  it('rejects an attribute length past the payload and more attributes than the limit', () => {
    const bad = cp(CfgType.CFG_REPLY, [attr(CfgAttr.INTERNAL_IP4_ADDRESS, new Uint8Array(4), 0, 8)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.CP, bad))).toMatchObject({ code: 'TRUNCATED', field: 'cp.attribute.value', offset: 12 });
    const many = cp(CfgType.CFG_REQUEST, Array.from({ length: 129 }, () => attr(CfgAttr.INTERNAL_IP4_DNS, new Uint8Array(0))));
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.CP, many)).code).toBe('LIMIT');
  });
});
