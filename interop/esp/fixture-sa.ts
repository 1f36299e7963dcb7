/**
 * CHILD_SA parameters of the committed strongSwan captures (`vectors/strongswan/<suite>/keys.json`),
 * seen from either peer, so Kite can decrypt what libipsec sent.
 */
import { readFileSync } from 'node:fs';
import { readCapture } from '../../src/capture/pcap.js';
import { extractIkeDatagrams, type IkeDatagram } from '../../src/capture/ike-datagrams.js';
import { EncrId, IntegId } from '../../src/iana/ikev2.js';
import type { ChildSaParams } from '../../src/esp/child-sa.js';
import { fromHex } from '../../src/util/bytes.js';
import type { StrongswanFixture } from '../lab/fixtures.js';

/** ESP transforms of each fixture suite (its `esp_proposals`). */
export const FIXTURE_ESP_SUITES = {
  'aes256-sha256-modp2048': { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_256_128 },
  'aes128gcm16-ecp256': { encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128, integId: IntegId.NONE },
  'chacha20poly1305-x25519': { encrId: EncrId.ENCR_CHACHA20_POLY1305, keyLengthBits: 256, integId: IntegId.NONE },
} as const;

/**
 * The CHILD SA `index` of `fx` as installed on the responder (`role: 'responder'`: inbound =
 * initiator-to-responder SPI and initiator keys) or on the initiator.
 */
export function fixtureChildSa(fx: StrongswanFixture, index: number, role: 'initiator' | 'responder'): ChildSaParams {
  const suite = FIXTURE_ESP_SUITES[fx.suite as keyof typeof FIXTURE_ESP_SUITES];
  const c = fx.keys.childSas[index];
  if (suite === undefined || c === undefined) throw new Error(`no CHILD SA ${index} in fixture ${fx.suite}`);
  const i2r = { spi: parseInt(c.spiInitiatorToResponder, 16), encr: fromHex(c.encrI), integ: fromHex(c.integI) };
  const r2i = { spi: parseInt(c.spiResponderToInitiator, 16), encr: fromHex(c.encrR), integ: fromHex(c.integR) };
  const [rx, tx] = role === 'responder' ? [i2r, r2i] : [r2i, i2r];
  const aead = suite.integId === IntegId.NONE;
  return {
    ...suite,
    spiIn: rx.spi,
    spiOut: tx.spi,
    esn: false,
    encrKeyIn: rx.encr,
    encrKeyOut: tx.encr,
    ...(aead ? {} : { integKeyIn: rx.integ, integKeyOut: tx.integ }),
    mode: 'tunnel',
  };
}

/** The ESP-in-UDP datagrams of the fixture's capture, in frame order. */
export function fixtureEspDatagrams(fx: StrongswanFixture): IkeDatagram[] {
  const recs = extractIkeDatagrams(readCapture(new Uint8Array(readFileSync(fx.pcap))));
  return recs.filter((r): r is IkeDatagram => r.kind === 'esp');
}
