import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayloadType, ProtocolId } from '../../iana/ikev2.js';
import { concat } from '../../util/bytes.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const FIG = parseFigure(readFileSync(RFC5996_URL, 'utf8'), 17);

function del(protocolId: number, spiSize: number, num: number, spis: Uint8Array): Uint8Array {
  return assembleFigure(FIG, {
    'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'Protocol ID': protocolId, 'SPI Size': spiSize,
    'Num of SPIs': num, 'Security Parameter Index(es) (SPI)': spis,
  });
}

describe('Delete payload (RFC 7296 §3.11)', () => {
  it('decodes two ESP SPIs (Figure 17) and re-encodes them', () => {
    const a = Uint8Array.of(1, 2, 3, 4);
    const b = Uint8Array.of(5, 6, 7, 8);
    const bytes = del(ProtocolId.ESP, 4, 2, concat(a, b));
    const got = decodePayloadChain(PayloadType.DELETE, bytes);
    expect(got).toEqual([{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: [a, b] }]);
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('decodes the IKE SA delete (protocol 1, no SPIs)', () => {
    expect(decodePayloadChain(PayloadType.DELETE, del(ProtocolId.IKE, 0, 0, new Uint8Array(0)))).toEqual([
      { type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.IKE, spiSize: 0, spis: [] },
    ]);
  });

  it('rejects a count that disagrees with the payload length, and counts above the limit', () => {
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.DELETE, del(ProtocolId.ESP, 4, 3, new Uint8Array(8))))).toMatchObject({ code: 'BAD_LENGTH', field: 'delete.spis' });
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.DELETE, del(ProtocolId.ESP, 0, 5000, new Uint8Array(0)))).code).toBe('LIMIT');
  });
});
