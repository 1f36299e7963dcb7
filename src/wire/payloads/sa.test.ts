import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EncrId, KeGroup, PayloadType, PrfId, ProtocolId, TransformAttr, TransformType } from '../../iana/ikev2.js';
import { concat } from '../../util/bytes.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { findPayload } from '../payload.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const rfc = readFileSync(RFC5996_URL, 'utf8');
const FIG_SA = parseFigure(rfc, 6);
const FIG_PROPOSAL = parseFigure(rfc, 7);
const FIG_TRANSFORM = parseFigure(rfc, 8);

// RFC 7296 §3.3.5: Key Length is a TV attribute (AF=1) of type 14 with a 2-octet value.
const keyLength = (bits: number) => Uint8Array.of(0x80 | (TransformAttr.KEY_LENGTH >> 8), TransformAttr.KEY_LENGTH & 0xff, bits >> 8, bits & 0xff);

function transform(more: boolean, type: number, id: number, attrs: Uint8Array = new Uint8Array(0)): Uint8Array {
  return assembleFigure(FIG_TRANSFORM, {
    '0 (last) or 3': more ? 3 : 0, 'Transform Length': 'auto', 'Transform Type': type, 'Transform ID': id, 'Transform Attributes': attrs,
  });
}

function proposal(more: boolean, num: number, protocolId: number, spi: Uint8Array, transforms: Uint8Array[], count = transforms.length): Uint8Array {
  return assembleFigure(FIG_PROPOSAL, {
    '0 (last) or 2': more ? 2 : 0, 'Proposal Length': 'auto', 'Proposal Num': num, 'Protocol ID': protocolId,
    'SPI Size': spi.length, 'Num  Transforms': count, 'SPI (variable)': spi, '<Transforms>': concat(...transforms),
  });
}

function sa(proposals: Uint8Array[]): Uint8Array {
  return assembleFigure(FIG_SA, { 'Next Payload': 0, C: 0, 'Payload Length': 'auto', '<Proposals>': concat(...proposals) });
}

const ikeProposal = proposal(true, 1, ProtocolId.IKE, new Uint8Array(0), [
  transform(true, TransformType.ENCR, EncrId.ENCR_AES_CBC, keyLength(256)),
  transform(true, TransformType.PRF, PrfId.PRF_HMAC_SHA2_256),
  transform(false, TransformType.KE, KeGroup.MODP_2048),
]);
const espProposal = proposal(false, 2, ProtocolId.ESP, Uint8Array.of(0xc1, 0x2b, 0x00, 0x07), [
  transform(false, TransformType.ENCR, EncrId.ENCR_AES_GCM_16, keyLength(128)),
]);

describe('SA payload (RFC 7296 §3.3)', () => {
  it('decodes proposals, transforms and Key Length assembled from Figures 6-8', () => {
    const bytes = sa([ikeProposal, espProposal]);
    const [p] = decodePayloadChain(PayloadType.SA, bytes);
    expect(p).toEqual({
      type: PayloadType.SA,
      critical: false,
      proposals: [
        {
          num: 1, protocolId: ProtocolId.IKE, spi: new Uint8Array(0), transforms: [
            { type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, keyLength: 256 },
            { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_256 },
            { type: TransformType.KE, id: KeGroup.MODP_2048 },
          ],
        },
        { num: 2, protocolId: ProtocolId.ESP, spi: Uint8Array.of(0xc1, 0x2b, 0, 7), transforms: [{ type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, keyLength: 128 }] },
      ],
    });
    expect(encodePayloadChain(decodePayloadChain(PayloadType.SA, bytes)).bytes).toEqual(bytes);
  });

  it('keeps other attributes (TV and TLV) after Key Length and re-encodes them', () => {
    const extra = Uint8Array.of(0x80, 0x20, 0x12, 0x34, 0x00, 0x21, 0x00, 0x02, 0xaa, 0xbb);
    const bytes = sa([proposal(false, 1, ProtocolId.ESP, new Uint8Array(4), [transform(false, 1, 12, concat(keyLength(128), extra))])]);
    const p = findPayload(decodePayloadChain(PayloadType.SA, bytes), PayloadType.SA);
    expect(p?.proposals[0]?.transforms[0]).toEqual({
      type: 1, id: 12, keyLength: 128,
      attributes: [{ type: 0x20, tv: true, value: Uint8Array.of(0x12, 0x34) }, { type: 0x21, tv: false, value: Uint8Array.of(0xaa, 0xbb) }],
    });
    expect(encodePayloadChain(decodePayloadChain(PayloadType.SA, bytes)).bytes).toEqual(bytes);
  });

  it('rejects a last transform that announces more', () => {
    const bytes = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(true, 1, 12)])]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, bytes)).code).toBe('TRUNCATED');
  });

  it('rejects a bad "last" marker, a wrong transform count and a repeated Key Length', () => {
    const bad = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(false, 1, 12)])]);
    bad[4] = 5;
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, bad))).toMatchObject({ code: 'BAD_VALUE', field: 'proposal.last', offset: 4 });
    const count = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(false, 1, 12)], 2)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, count))).toMatchObject({ code: 'BAD_VALUE', field: 'proposal.numTransforms' });
    const twice = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(false, 1, 12, concat(keyLength(128), keyLength(256)))])]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, twice)).field).toBe('attribute.keyLength');
  });

  it('rejects substructure lengths below the minimum or past the payload', () => {
    const short = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(false, 1, 12)])]);
    short[4 + 8 + 3] = 7; // SA header, proposal header, then transform length 7 < 8
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, short))).toMatchObject({ code: 'BAD_LENGTH', field: 'transform.length' });
    const long = sa([proposal(false, 1, 1, new Uint8Array(0), [transform(false, 1, 12)])]);
    long[7] = 200; // proposal length past the payload
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, long))).toMatchObject({ code: 'BAD_LENGTH', field: 'proposal.length' });
  });

  it('enforces the transform limit', () => {
    const many = Array.from({ length: 129 }, (_, i) => transform(i < 128, 1, 12));
    const bytes = sa([proposal(false, 1, 1, new Uint8Array(0), many, 129)]);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.SA, bytes)).code).toBe('LIMIT');
  });
});
