/**
 * Fuzz target: ESP inbound processing (esp/inbound.ts). The first input byte picks the SA (suite,
 * ESN, IPComp, backend) and the mode: even = the rest is a received ESP packet (mostly ICV
 * failures, the pre-ICV checks and the replay window); odd = the rest is sealed with the right
 * key as the plaintext of an authentic packet, so padding, next-header, inner-header and IPComp
 * handling see arbitrary bytes. The dataplane must not throw at all, not even ParseError, and
 * must answer an inner packet or a known drop reason.
 */
import { ChildSa, espDropReasons, type ChildSaParams, type EspDrop } from '../../src/esp/child-sa.js';
import { espDecap } from '../../src/esp/inbound.js';
import { espEncap } from '../../src/esp/outbound.js';
import { ESP_TEST_SUITES } from '../../src/esp/suites.testkit.js';
import { espEncrInfo, espIntegInfo } from '../../src/esp/cipher.js';
import { IpcompTransform } from '../../src/iana/ikev2.js';
import { deflateCodec } from '../../src/ipcomp/deflate.js';
import { ESP_HEADER_LENGTH, encodeEspHeader } from '../../src/wire/esp.js';
import { encodeIpUdp } from '../../src/wire/ip.js';
import type { FuzzTarget } from '../harness.js';

const SPI = 0x4b495445;
const CPI = 0x4b49;

/** SA `config` (0..255) with fixed test keys, so seeds made with it verify. */
function saFor(config: number): ChildSa {
  const suite = ESP_TEST_SUITES[(config >> 1) % ESP_TEST_SUITES.length] ?? ESP_TEST_SUITES[0];
  if (suite === undefined) throw new Error('no ESP suites');
  const encr = espEncrInfo(suite.encrId);
  const ek = new Uint8Array(suite.keyLengthBits / 8 + (encr?.saltLength ?? 0)).fill(0x11);
  const ik = new Uint8Array(espIntegInfo(suite.integId)?.keyLength ?? 0).fill(0x22);
  const ipcomp = (config & 0x40) !== 0;
  const params: ChildSaParams = {
    spiIn: SPI,
    spiOut: SPI,
    encrId: suite.encrId,
    keyLengthBits: suite.keyLengthBits,
    integId: suite.integId,
    esn: (config & 0x20) !== 0,
    encrKeyIn: ek,
    encrKeyOut: ek,
    ...(ik.length > 0 ? { integKeyIn: ik, integKeyOut: ik } : {}),
    mode: ipcomp ? 'transport' : 'tunnel',
    ...(ipcomp ? { ipcomp: { cpiIn: CPI, cpiOut: CPI, transform: IpcompTransform.IPCOMP_DEFLATE } } : {}),
    replayWindow: 64,
  };
  return new ChildSa(params, { backend: (config & 0x80) !== 0 ? 'noble' : 'node', ipcompCodec: deflateCodec({ maxOutput: 4096 }) });
}

function check(r: Uint8Array | EspDrop): void {
  if (!(r instanceof Uint8Array) && !espDropReasons().includes(r)) throw new Error(`espDecap answered ${String(r)}`);
}

/** The esp-inbound fuzz target. */
export const target: FuzzTarget = {
  name: 'esp-inbound',
  seeds() {
    const seeds: Uint8Array[] = [];
    const text = new TextEncoder().encode('kite fuzz seed '.repeat(30));
    for (let config = 0; config < 256; config += 0x0e) {
      const sa = saFor(config & ~1);
      for (const payload of [new Uint8Array(3), text]) {
        const pkt = espEncap(sa, encodeIpUdp({ src: Uint8Array.of(10, 0, 0, 1), dst: Uint8Array.of(10, 0, 0, 2), srcPort: 1, dstPort: 2, payload }), 0);
        if (typeof pkt !== 'string') seeds.push(Uint8Array.of(config & ~1, ...pkt));
      }
      seeds.push(Uint8Array.of(config | 1, 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 2, 2, 4));
    }
    return seeds;
  },
  run(input) {
    if (input.length === 0) return;
    const config = input[0] as number;
    const sa = saFor(config);
    const body = input.subarray(1);
    if ((config & 1) === 0) {
      check(espDecap(sa, body, 0));
      check(espDecap(sa, body, 0)); // replay of the same bytes
      return;
    }
    const c = sa.outCipher;
    const plainLength = Math.ceil(body.length / c.blockSize) * c.blockSize; // seal wants whole blocks
    const pkt = new Uint8Array(ESP_HEADER_LENGTH + c.ivLength + plainLength + c.icvLength);
    encodeEspHeader(pkt, SPI, 1);
    pkt.set(body, ESP_HEADER_LENGTH + c.ivLength);
    c.seal(pkt, 1);
    check(espDecap(sa, pkt, 0));
  },
};
