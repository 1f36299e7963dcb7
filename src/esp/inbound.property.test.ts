// Property tests: nothing that arrives on the wire makes inbound processing throw. Random bytes,
// mutated real packets, and authentic packets (sealed with the right key) whose plaintext is
// random, so the checks after the ICV (padding, next header, inner header, IPComp) see garbage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpcompTransform } from '../iana/ikev2.js';
import { deflateCodec } from '../ipcomp/deflate.js';
import { ESP_HEADER_LENGTH, encodeEspHeader } from '../wire/esp.js';
import { encodeIpUdp } from '../wire/ip.js';
import { ChildSa, espDropReasons, type EspDrop } from './child-sa.js';
import { espDecap } from './inbound.js';
import { espEncap } from './outbound.js';
import { ESP_TEST_SUITES, saPair } from './suites.testkit.js';

const ipcomp = { cpiIn: 0x300, cpiOut: 0x301, transform: IpcompTransform.IPCOMP_DEFLATE };

function setup(suiteIndex: number, esn: boolean, withIpcomp: boolean, backend: 'node' | 'noble'): { tx: ChildSa; rx: ChildSa } {
  const suite = ESP_TEST_SUITES[suiteIndex % ESP_TEST_SUITES.length];
  if (suite === undefined) throw new Error('no suite');
  const { a, b } = saPair(suite, { esn, mode: withIpcomp ? 'transport' : 'tunnel', ...(withIpcomp ? { ipcomp } : {}) });
  return { tx: new ChildSa(a, { backend, ipcompCodec: deflateCodec() }), rx: new ChildSa(b, { backend, ipcompCodec: deflateCodec({ maxOutput: 2000 }) }) };
}

function isOutcome(r: Uint8Array | EspDrop): boolean {
  return r instanceof Uint8Array || espDropReasons().includes(r);
}

function accounted(rx: ChildSa, calls: number): boolean {
  const drops = Object.values(rx.stats.drops).reduce((s, n) => s + n, 0);
  return drops + rx.stats.packetsIn === calls;
}

const config = fc.record({ suite: fc.nat(), esn: fc.boolean(), ipcomp: fc.boolean(), backend: fc.constantFrom('node' as const, 'noble' as const) });

describe('espDecap never throws', () => {
  it('on random bytes (with a valid SPI half the time)', () => {
    fc.assert(
      fc.property(config, fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 200 })), { maxLength: 20 }), (cfg, pkts) => {
        const { rx } = setup(cfg.suite, cfg.esn, cfg.ipcomp, cfg.backend);
        for (const [spi, p] of pkts) {
          const b = p.slice();
          if (spi && b.length >= 4) encodeEspHeader(b, rx.params.spiIn, b.length);
          if (!isOutcome(espDecap(rx, b, 0))) return false;
        }
        return accounted(rx, pkts.length);
      }),
      { numRuns: 300 },
    );
  });

  it('on mutated, truncated, extended and replayed genuine packets', () => {
    const mutation = fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }), cut: fc.nat({ max: 40 }), grow: fc.nat({ max: 20 }), kind: fc.constantFrom('flip', 'cut', 'grow', 'none') });
    fc.assert(
      fc.property(config, fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), mutation), { minLength: 1, maxLength: 10 }), (cfg, items) => {
        const { tx, rx } = setup(cfg.suite, cfg.esn, cfg.ipcomp, cfg.backend);
        let calls = 0;
        for (const [payload, m] of items) {
          const inner = encodeIpUdp({ src: Uint8Array.of(10, 0, 0, 1), dst: Uint8Array.of(10, 0, 0, 2), srcPort: 9, dstPort: 9, payload });
          const pkt = espEncap(tx, inner, 0);
          if (typeof pkt === 'string') return false;
          let b = pkt.slice();
          if (m.kind === 'flip') b[m.at % b.length] = (b[m.at % b.length] as number) ^ m.xor;
          if (m.kind === 'cut') b = b.subarray(0, Math.max(0, b.length - m.cut));
          if (m.kind === 'grow') b = Uint8Array.from([...b, ...new Array<number>(m.grow).fill(m.xor)]);
          const r = espDecap(rx, b, 0);
          calls++;
          if (!isOutcome(r)) return false;
          if (m.kind === 'none' && !(r instanceof Uint8Array && Buffer.from(r).equals(inner))) return false;
          calls++;
          if (espDecap(rx, pkt, 0) instanceof Uint8Array && m.kind === 'none') return false; // replay
        }
        return accounted(rx, calls);
      }),
      { numRuns: 150 },
    );
  });

  it('on authentic packets with random plaintext (post-ICV checks)', () => {
    fc.assert(
      fc.property(config, fc.array(fc.uint8Array({ maxLength: 120 }), { minLength: 1, maxLength: 10 }), (cfg, plains) => {
        const { tx, rx } = setup(cfg.suite, cfg.esn, cfg.ipcomp, cfg.backend);
        const c = tx.outCipher;
        plains.forEach((p, i) => {
          const len = Math.max(c.blockSize, Math.ceil(p.length / c.blockSize) * c.blockSize);
          const pkt = new Uint8Array(ESP_HEADER_LENGTH + c.ivLength + len + c.icvLength);
          encodeEspHeader(pkt, tx.params.spiOut, i + 1);
          pkt.set(p.subarray(0, len), ESP_HEADER_LENGTH + c.ivLength);
          c.seal(pkt, i + 1);
          expect(isOutcome(espDecap(rx, pkt, 0))).toBe(true);
        });
        expect(rx.stats.drops.icv).toBe(0);
        return accounted(rx, plains.length);
      }),
      { numRuns: 300 },
    );
  });

  it('round trips any inner packet under any configuration (suite, ESN, IPComp, TFC, backend pair)', () => {
    const inner = fc.record({ v6: fc.boolean(), payload: fc.uint8Array({ maxLength: 1400 }), repeat: fc.boolean() });
    fc.assert(
      fc.property(config, fc.nat({ max: 600 }), fc.boolean(), fc.array(inner, { minLength: 1, maxLength: 6 }), (cfg, tfc, crossBackend, packets) => {
        const { tx } = setup(cfg.suite, cfg.esn, cfg.ipcomp, cfg.backend);
        const other = crossBackend ? (cfg.backend === 'node' ? 'noble' : 'node') : cfg.backend;
        const rx = new ChildSa({ ...tx.params, spiIn: tx.params.spiOut, spiOut: tx.params.spiIn, encrKeyIn: tx.params.encrKeyOut, encrKeyOut: tx.params.encrKeyIn, ...(tx.params.integKeyOut === undefined ? {} : { integKeyIn: tx.params.integKeyOut, integKeyOut: tx.params.integKeyIn }), ...(tx.params.ipcomp === undefined ? {} : { ipcomp: { ...tx.params.ipcomp, cpiIn: tx.params.ipcomp.cpiOut, cpiOut: tx.params.ipcomp.cpiIn } }) }, { backend: other, ipcompCodec: deflateCodec() });
        const sender = new ChildSa(tx.params, { backend: cfg.backend, tfcPadTo: tfc, ipcompCodec: deflateCodec() });
        for (const p of packets) {
          const body = p.repeat ? new Uint8Array(p.payload.length).fill(p.payload[0] ?? 7) : p.payload;
          const addr = (n: number): Uint8Array => (p.v6 ? new Uint8Array(16).fill(n) : Uint8Array.of(10, 0, 0, n));
          const ip = encodeIpUdp({ src: addr(1), dst: addr(2), srcPort: 5, dstPort: 6, payload: body });
          const pkt = espEncap(sender, ip, 0);
          if (typeof pkt === 'string') return false;
          const back = espDecap(rx, pkt, 0);
          if (!(back instanceof Uint8Array) || !Buffer.from(back).equals(Buffer.from(ip))) return false;
        }
        return rx.stats.packetsIn === packets.length;
      }),
      { numRuns: 150 },
    );
  });
});
