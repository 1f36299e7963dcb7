// Real bytes: every IKE message of the strongSwan captures in vectors/strongswan/<suite>/ decodes,
// matches tshark's dissection recorded in meta.json (header fields, outer payload types), passes
// the outer message rules and re-encodes to the identical octets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIkeDatagrams, type IkeDatagram } from '../capture/ike-datagrams.js';
import { readCapture } from '../capture/pcap.js';
import { EncrId, ExchangeType, PayloadType, TransformType } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { checkMessageRules } from './message-rules.js';
import { decodeMessage, encodeMessage, findSkPayloadOffset } from './message.js';
import { filterPayloads, findPayload } from './payload.js';

interface FrameMeta {
  readonly frame: number;
  readonly exchangeType: number;
  readonly messageId: number;
  readonly initiator: boolean;
  readonly response: boolean;
  readonly spiI: string;
  readonly spiR: string;
  readonly payloads: string;
}
interface Meta {
  readonly ike: { readonly encr: number; readonly keyLength?: number; readonly integ?: number; readonly prf: number; readonly ke: number };
  readonly ikeFrames: readonly FrameMeta[];
  readonly exchanges: readonly { readonly requestFrames: readonly number[]; readonly responseFrames: readonly number[] }[];
}

const root = new URL('../../vectors/strongswan/', import.meta.url);
const suites = existsSync(root) ? readdirSync(root).filter((d) => existsSync(new URL(`${d}/capture.pcap`, root)) && existsSync(new URL(`${d}/meta.json`, root))) : [];

/** Outer payload types of tshark's summary: "33 34 40" or "46[41 33]" (inner part dropped). */
function outerTypes(s: string): number[] {
  return s.replace(/\[[^\]]*\]/g, '').trim().split(/\s+/).filter((x) => x !== '').map(Number);
}

function load(suite: string): { meta: Meta; ike: IkeDatagram[] } {
  const meta = JSON.parse(readFileSync(new URL(`${suite}/meta.json`, root), 'utf8')) as Meta;
  const records = readCapture(new Uint8Array(readFileSync(new URL(`${suite}/capture.pcap`, root))));
  const ike = extractIkeDatagrams(records).filter((d): d is IkeDatagram => d.kind === 'ike');
  return { meta, ike };
}

describe('strongSwan captures', () => {
  it('are present (three suites)', () => {
    expect(suites.length).toBeGreaterThanOrEqual(3);
  });

  for (const suite of suites) {
    describe(suite, () => {
      const { meta, ike } = load(suite);

      it('has every IKE frame tshark saw', () => {
        expect(ike.map((d) => d.index)).toEqual(meta.ikeFrames.map((f) => f.frame));
      });

      it('decodes each message to tshark\'s header fields and payload types, and re-encodes it exactly', () => {
        for (const d of ike) {
          const want = meta.ikeFrames.find((f) => f.frame === d.index);
          const m = decodeMessage(d.payload);
          expect({
            frame: d.index, exchangeType: m.header.exchangeType, messageId: m.header.messageId, initiator: m.header.initiator,
            response: m.header.response, spiI: toHex(m.header.spiI), spiR: toHex(m.header.spiR), outer: m.payloads.map((p) => p.type),
          }).toEqual({
            frame: want?.frame, exchangeType: want?.exchangeType, messageId: want?.messageId, initiator: want?.initiator,
            response: want?.response, spiI: want?.spiI, spiR: want?.spiR, outer: outerTypes(want?.payloads ?? ''),
          });
          expect(toHex(encodeMessage(m))).toBe(toHex(d.payload));
          expect(findSkPayloadOffset(d.payload)?.offset).toBe(m.skOffset);
          checkMessageRules(m.header, m.payloads);
        }
      });

      it('numbers the SKF fragments of each message 1..n with total n', () => {
        for (const ex of meta.exchanges) {
          for (const frames of [ex.requestFrames, ex.responseFrames]) {
            const skf = frames.map((n) => ike.find((d) => d.index === n)).map((d) => (d === undefined ? undefined : findPayload(decodeMessage(d.payload).payloads, PayloadType.SKF)));
            if (skf.every((p) => p === undefined)) continue;
            expect(skf.map((p) => [p?.fragmentNumber, p?.totalFragments])).toEqual(frames.map((_, i) => [i + 1, frames.length]));
            expect(skf.slice(1).every((p) => p?.innerNextPayload === 0)).toBe(true);
            expect(skf[0]?.innerNextPayload).not.toBe(0);
          }
        }
      });

      it('finds the negotiated IKE transforms in the IKE_SA_INIT response SA', () => {
        const resp = ike.map((d) => decodeMessage(d.payload)).find((m) => m.header.exchangeType === ExchangeType.IKE_SA_INIT && m.header.response);
        const sa = resp === undefined ? undefined : findPayload(resp.payloads, PayloadType.SA);
        expect(sa?.proposals.length).toBe(1);
        const t = sa?.proposals[0]?.transforms ?? [];
        const byType = (type: number) => t.filter((x) => x.type === type).map((x) => x.id);
        expect(byType(TransformType.ENCR)).toEqual([meta.ike.encr]);
        expect(byType(TransformType.PRF)).toEqual([meta.ike.prf]);
        expect(byType(TransformType.KE)).toEqual([meta.ike.ke]);
        expect(byType(TransformType.INTEG)).toEqual(meta.ike.integ === undefined || meta.ike.integ === 0 ? [] : [meta.ike.integ]);
        // RFC 7634 §2: ChaCha20-Poly1305 has a fixed key and carries no Key Length attribute.
        const keyLength = meta.ike.encr === EncrId.ENCR_CHACHA20_POLY1305 ? undefined : meta.ike.keyLength;
        expect(t.find((x) => x.type === TransformType.ENCR)?.keyLength).toBe(keyLength);
        expect(filterPayloads(resp?.payloads ?? [], PayloadType.KE)[0]?.group).toBe(meta.ike.ke);
      });
    });
  }
});
