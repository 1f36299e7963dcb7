/**
 * Test and benchmark helpers: every ESP suite the dataplane implements, and matched CHILD_SA pairs
 * (our outbound = the peer's inbound) with random keys.
 */
import { randomBytes } from 'node:crypto';
import { EncrId, IntegId } from '../iana/ikev2.js';
import type { ChildSaParams } from './child-sa.js';
import { espEncrInfo, espIntegInfo } from './cipher.js';

/** One ESP suite: ENCR + key length + INTEG. */
export interface EspTestSuite {
  readonly name: string;
  readonly encrId: number;
  readonly keyLengthBits: number;
  readonly integId: number;
}

/** Every suite of the dataplane. */
export const ESP_TEST_SUITES: readonly EspTestSuite[] = [
  { name: 'aes128gcm16', encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128, integId: IntegId.NONE },
  { name: 'aes256gcm16', encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 256, integId: IntegId.NONE },
  { name: 'chacha20poly1305', encrId: EncrId.ENCR_CHACHA20_POLY1305, keyLengthBits: 256, integId: IntegId.NONE },
  { name: 'aes128gmac', encrId: EncrId.ENCR_NULL_AUTH_AES_GMAC, keyLengthBits: 128, integId: IntegId.NONE },
  { name: 'aes256gmac', encrId: EncrId.ENCR_NULL_AUTH_AES_GMAC, keyLengthBits: 256, integId: IntegId.NONE },
  { name: 'aes128-sha1', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128, integId: IntegId.AUTH_HMAC_SHA1_96 },
  { name: 'aes128-sha256', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128, integId: IntegId.AUTH_HMAC_SHA2_256_128 },
  { name: 'aes256-sha256', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_256_128 },
  { name: 'aes256-sha384', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_384_192 },
  { name: 'aes256-sha512', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_512_256 },
];

/** The suite called `name` (throws for an unknown name: a test bug). */
export function espTestSuite(name: string): EspTestSuite {
  const s = ESP_TEST_SUITES.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no ESP test suite ${name}`);
  return s;
}

/** Extra fields for {@link saPair}. */
export type SaPairExtra = Partial<Pick<ChildSaParams, 'esn' | 'mode' | 'ipcomp' | 'replayWindow' | 'lifetime'>>;

/** A matched pair: `a` sends with the keys `b` receives with, and the other way round. */
export function saPair(suite: EspTestSuite, extra: SaPairExtra = {}): { readonly a: ChildSaParams; readonly b: ChildSaParams } {
  const encr = espEncrInfo(suite.encrId);
  if (encr === undefined) throw new Error(`unknown suite ${suite.name}`);
  const ekLen = suite.keyLengthBits / 8 + encr.saltLength;
  const ikLen = espIntegInfo(suite.integId)?.keyLength ?? 0;
  const k = { e1: randomBytes(ekLen), e2: randomBytes(ekLen), i1: randomBytes(ikLen), i2: randomBytes(ikLen) };
  const spi1 = 0xc0000000 + randomBytes(2).readUInt16BE();
  const spi2 = 0xd0000000 + randomBytes(2).readUInt16BE();
  const common = { encrId: suite.encrId, keyLengthBits: suite.keyLengthBits, integId: suite.integId, esn: false, mode: 'tunnel' as const, ...extra };
  const integ = (i: Uint8Array, o: Uint8Array): Partial<ChildSaParams> => (ikLen > 0 ? { integKeyIn: i, integKeyOut: o } : {});
  const ipA = extra.ipcomp;
  const ipB = ipA === undefined ? {} : { ipcomp: { ...ipA, cpiIn: ipA.cpiOut, cpiOut: ipA.cpiIn } };
  return {
    a: { ...common, spiIn: spi1, spiOut: spi2, encrKeyIn: k.e1, encrKeyOut: k.e2, ...integ(k.i1, k.i2) },
    b: { ...common, ...ipB, spiIn: spi2, spiOut: spi1, encrKeyIn: k.e2, encrKeyOut: k.e1, ...integ(k.i2, k.i1) },
  };
}
