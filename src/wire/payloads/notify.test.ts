import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import { assembleFigure, parseFigure } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const FIG = parseFigure(readFileSync(RFC5996_URL, 'utf8'), 16);

function notify(protocolId: number, spi: Uint8Array, notifyType: number, data: Uint8Array, spiSize = spi.length): Uint8Array {
  return assembleFigure(FIG, {
    'Next Payload': 0, C: 0, 'Payload Length': 'auto', 'Protocol ID': protocolId, 'SPI Size': spiSize,
    'Notify Message Type': notifyType, 'Security Parameter Index (SPI)': spi, 'Notification Data': data,
  });
}

describe('Notify payload (RFC 7296 §3.10)', () => {
  it('decodes a notify with an ESP SPI and data (Figure 16) and re-encodes it', () => {
    const spi = Uint8Array.of(0xca, 0xfe, 0xba, 0xbe);
    const bytes = notify(ProtocolId.ESP, spi, NotifyType.REKEY_SA, new Uint8Array(0));
    const got = decodePayloadChain(PayloadType.NOTIFY, bytes);
    expect(got).toEqual([{ type: PayloadType.NOTIFY, critical: false, protocolId: ProtocolId.ESP, spi, notifyType: NotifyType.REKEY_SA, data: new Uint8Array(0) }]);
    expect(encodePayloadChain(got).bytes).toEqual(bytes);
  });

  it('decodes an SPI-less status notify with data (NAT_DETECTION_SOURCE_IP, 20 octets)', () => {
    const hash = Uint8Array.from({ length: 20 }, (_, i) => i);
    const [n] = decodePayloadChain(PayloadType.NOTIFY, notify(0, new Uint8Array(0), NotifyType.NAT_DETECTION_SOURCE_IP, hash));
    expect(n).toMatchObject({ notifyType: NotifyType.NAT_DETECTION_SOURCE_IP, spi: new Uint8Array(0), data: hash });
  });

  it('rejects an SPI Size larger than the payload', () => {
    const bytes = notify(ProtocolId.ESP, new Uint8Array(2), NotifyType.REKEY_SA, new Uint8Array(0), 4);
    expect(parseErrorOf(() => decodePayloadChain(PayloadType.NOTIFY, bytes))).toMatchObject({ code: 'TRUNCATED', field: 'notify.spi', offset: 8 });
  });
});
