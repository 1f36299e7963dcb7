import { describe, expect, it } from 'vitest';
import { EncrId, IntegId, KeGroup, PrfId, TransformType } from '../iana/ikev2.js';
import { encrSuite, getSuite, integSuite, keSuite, listSuites, prfSuite } from './suites.js';

describe('suite registry', () => {
  it('holds every transform the issue lists, with IANA names', () => {
    for (const id of [EncrId.ENCR_AES_CBC, EncrId.ENCR_AES_GCM_16, EncrId.ENCR_AES_GCM_8, EncrId.ENCR_AES_GCM_12, EncrId.ENCR_CHACHA20_POLY1305]) expect(encrSuite(id)?.id).toBe(id);
    for (const id of [IntegId.AUTH_HMAC_SHA1_96, IntegId.AUTH_HMAC_SHA2_256_128, IntegId.AUTH_HMAC_SHA2_384_192, IntegId.AUTH_HMAC_SHA2_512_256]) expect(integSuite(id)?.id).toBe(id);
    for (const id of [PrfId.PRF_HMAC_SHA1, PrfId.PRF_HMAC_SHA2_256, PrfId.PRF_HMAC_SHA2_384, PrfId.PRF_HMAC_SHA2_512, PrfId.PRF_AES128_XCBC, PrfId.PRF_AES128_CMAC]) expect(prfSuite(id)?.id).toBe(id);
    for (const id of [KeGroup.MODP_2048, KeGroup.MODP_3072, KeGroup.MODP_4096, KeGroup.ECP_256, KeGroup.ECP_384, KeGroup.ECP_521, KeGroup.CURVE25519]) expect(keSuite(id)?.id).toBe(id);
    expect(encrSuite(EncrId.ENCR_AES_GCM_16)?.name).toBe('ENCR_AES_GCM_16');
    expect(getSuite(TransformType.ENCR, EncrId.ENCR_3DES)).toBeUndefined();
    expect(listSuites().length).toBeGreaterThan(20);
  });
  it('records the IPsec parameters (RFC 3602, RFC 5282, RFC 7634, RFC 4868)', () => {
    const cbc = encrSuite(EncrId.ENCR_AES_CBC)!;
    expect([cbc.blockSize, cbc.ivLength, cbc.aead, cbc.saltLength, cbc.keyMaterialLength(256)]).toEqual([16, 16, false, 0, 32]);
    const gcm = encrSuite(EncrId.ENCR_AES_GCM_16)!;
    expect([gcm.ivLength, gcm.icvLength, gcm.aead, gcm.saltLength, gcm.keyMaterialLength(128)]).toEqual([8, 16, true, 4, 20]);
    const cc = encrSuite(EncrId.ENCR_CHACHA20_POLY1305)!;
    expect([cc.ivLength, cc.icvLength, cc.saltLength, cc.keyMaterialLength(256), cc.keyLengthAttribute]).toEqual([8, 16, 4, 36, false]);
    expect([integSuite(IntegId.AUTH_HMAC_SHA2_384_192)!.keyLength, integSuite(IntegId.AUTH_HMAC_SHA2_384_192)!.icvLength]).toEqual([48, 24]);
    expect([integSuite(IntegId.AUTH_HMAC_SHA1_96)!.keyLength, integSuite(IntegId.AUTH_HMAC_SHA1_96)!.icvLength]).toEqual([20, 12]);
    expect(prfSuite(PrfId.PRF_AES128_XCBC)!.preferredKeyLength).toBe(16);
    expect(keSuite(KeGroup.ECP_521)!.publicKeyLength).toBe(132);
  });
  it('factories produce working objects', () => {
    const c = encrSuite(EncrId.ENCR_AES_GCM_16)!.create(256);
    expect(c.aead).toBe(true);
    expect(prfSuite(PrfId.PRF_HMAC_SHA2_256)!.create().compute(new Uint8Array(4), new Uint8Array(4)).length).toBe(32);
    expect(keSuite(KeGroup.CURVE25519)!.create().publicKey.length).toBe(32);
  });
});
