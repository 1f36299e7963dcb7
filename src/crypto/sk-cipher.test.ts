import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { EncrId, IntegId } from '../iana/ikev2.js';
import { concat, toHex } from '../util/bytes.js';
import { BACKENDS } from './backend.js';
import { createSkCipher, encrInfo, encrKeyMaterialLength, skPad } from './sk-cipher.js';

/** Random bytes as a plain Uint8Array (Buffer#slice would alias). */
const rnd = (n: number): Uint8Array => Uint8Array.from(randomBytes(n));

const SUITES = [
  [EncrId.ENCR_AES_CBC, 128, IntegId.AUTH_HMAC_SHA2_256_128],
  [EncrId.ENCR_AES_CBC, 256, IntegId.AUTH_HMAC_SHA2_256_128],
  [EncrId.ENCR_AES_CBC, 192, IntegId.AUTH_HMAC_SHA2_384_192],
  [EncrId.ENCR_AES_CBC, 256, IntegId.AUTH_HMAC_SHA2_512_256],
  [EncrId.ENCR_AES_CBC, 128, IntegId.AUTH_HMAC_SHA1_96],
  [EncrId.ENCR_AES_CBC, 128, IntegId.AUTH_AES_XCBC_96],
  [EncrId.ENCR_AES_GCM_16, 128, undefined],
  [EncrId.ENCR_AES_GCM_16, 256, undefined],
  [EncrId.ENCR_AES_GCM_12, 256, undefined],
  [EncrId.ENCR_AES_GCM_8, 128, undefined],
  [EncrId.ENCR_CHACHA20_POLY1305, 256, undefined],
] as const;

const INTEG_KEY = { [IntegId.AUTH_HMAC_SHA2_256_128]: 32, [IntegId.AUTH_HMAC_SHA2_384_192]: 48, [IntegId.AUTH_HMAC_SHA2_512_256]: 64, [IntegId.AUTH_HMAC_SHA1_96]: 20, [IntegId.AUTH_AES_XCBC_96]: 16 } as Record<number, number>;

describe.each(SUITES)('SK cipher ENCR %i/%i INTEG %s', (encrId, bits, integId) => {
  const info = encrInfo(encrId)!;
  const encrKey = rnd(encrKeyMaterialLength(info, bits));
  const integKey = integId === undefined ? undefined : rnd(INTEG_KEY[integId]!);
  const aad = rnd(32); // IKE header (28) + SK generic header (4)
  const keys = integKey === undefined ? { encrKey } : { encrKey, integKey };

  it('round-trips every plaintext length 0..40 on both backends, and the backends agree', () => {
    for (let n = 0; n <= 40; n++) {
      const plaintext = rnd(n);
      const iv = rnd(info.ivLength);
      const outs = BACKENDS.map((b) => createSkCipher(encrId, bits, integId, b).encrypt({ ...keys, iv, plaintext, aad }));
      expect(toHex(outs[0]!.ciphertext)).toBe(toHex(outs[1]!.ciphertext));
      expect(toHex(outs[0]!.icv)).toBe(toHex(outs[1]!.icv));
      const c = createSkCipher(encrId, bits, integId);
      expect(outs[0]!.ciphertext.length).toBe(c.ciphertextLength(n));
      expect(info.ivLength + outs[0]!.ciphertext.length + outs[0]!.icv.length).toBe(c.sealedLength(n));
      expect(outs[0]!.ciphertext.length % c.blockSize).toBe(0);
      for (const b of BACKENDS) {
        const back = createSkCipher(encrId, bits, integId, b).decrypt({ ...keys, iv, ciphertext: outs[0]!.ciphertext, icv: outs[0]!.icv, aad });
        expect(toHex(back)).toBe(toHex(plaintext));
      }
    }
  });

  it('rejects a flipped bit anywhere (AAD, IV, ciphertext, ICV) with ICV_MISMATCH', () => {
    const c = createSkCipher(encrId, bits, integId);
    const iv = rnd(info.ivLength);
    const { ciphertext, icv } = c.encrypt({ ...keys, iv, plaintext: rnd(33), aad });
    const flip = (b: Uint8Array, i: number): Uint8Array => {
      const x = b.slice();
      x[i]! ^= 1;
      return x;
    };
    for (const p of [
      { iv, ciphertext, icv, aad: flip(aad, 3) },
      { iv: flip(iv, 0), ciphertext, icv, aad },
      { iv, ciphertext: flip(ciphertext, ciphertext.length - 1), icv, aad },
      { iv, ciphertext, icv: flip(icv, 0), aad },
      { iv, ciphertext, icv: icv.subarray(1), aad },
    ]) {
      expect(() => c.decrypt({ ...keys, ...p })).toThrow(expect.objectContaining({ code: 'ICV_MISMATCH' }));
    }
  });
});

describe('SK cipher layout', () => {
  it('CBC: ciphertext is AES-CBC of payload | zero padding | pad length, ICV = trunc HMAC(aad | IV | ciphertext)', () => {
    const encrKey = rnd(32);
    const integKey = rnd(32);
    const iv = rnd(16);
    const aad = rnd(32);
    const plaintext = rnd(21);
    const { ciphertext, icv } = createSkCipher(EncrId.ENCR_AES_CBC, 256, IntegId.AUTH_HMAC_SHA2_256_128).encrypt({ encrKey, integKey, iv, plaintext, aad });
    const padded = concat(plaintext, new Uint8Array(skPad(21, 16)), Uint8Array.of(skPad(21, 16)));
    expect(padded.length).toBe(32);
    const c = createCipheriv('aes-256-cbc', encrKey, iv).setAutoPadding(false);
    expect(toHex(ciphertext)).toBe(Buffer.concat([c.update(padded), c.final()]).toString('hex'));
    expect(toHex(icv)).toBe(createHmac('sha256', integKey).update(concat(aad, iv, ciphertext)).digest().subarray(0, 16).toString('hex'));
  });
  it('GCM: nonce = salt (last 4 key octets) | IV, AAD = aad, one Pad Length octet', () => {
    const encrKey = rnd(20);
    const iv = rnd(8);
    const aad = rnd(32);
    const plaintext = rnd(10);
    const { ciphertext, icv } = createSkCipher(EncrId.ENCR_AES_GCM_16, 128).encrypt({ encrKey, iv, plaintext, aad });
    const g = createCipheriv('aes-128-gcm', encrKey.subarray(0, 16), concat(encrKey.subarray(16), iv));
    g.setAAD(aad);
    const ct = Buffer.concat([g.update(concat(plaintext, Uint8Array.of(0))), g.final()]);
    expect(toHex(ciphertext)).toBe(ct.toString('hex'));
    expect(toHex(icv)).toBe(g.getAuthTag().toString('hex'));
  });
  it('skPad gives the minimal padding', () => {
    expect([0, 14, 15, 16, 31].map((n) => skPad(n, 16))).toEqual([15, 1, 0, 15, 0]);
    expect(skPad(7, 1)).toBe(0);
  });
  it('refuses bad pad length, partial blocks, wrong key sizes and bad suites', () => {
    const encrKey = rnd(16);
    const integKey = rnd(32);
    const iv = rnd(16);
    const aad = new Uint8Array(0);
    const c = createSkCipher(EncrId.ENCR_AES_CBC, 128, IntegId.AUTH_HMAC_SHA2_256_128);
    // A block whose last octet claims 255 padding octets, with a valid ICV.
    const block = new Uint8Array(16).fill(0xff);
    const ci = createCipheriv('aes-128-cbc', encrKey, iv).setAutoPadding(false);
    const ciphertext = Uint8Array.from(Buffer.concat([ci.update(block), ci.final()]));
    const icv = createHmac('sha256', integKey).update(concat(aad, iv, ciphertext)).digest().subarray(0, 16);
    expect(() => c.decrypt({ encrKey, integKey, iv, ciphertext, icv, aad })).toThrow(expect.objectContaining({ code: 'BAD_PADDING' }));
    const partial = ciphertext.subarray(0, 15);
    const icv2 = createHmac('sha256', integKey).update(concat(aad, iv, partial)).digest().subarray(0, 16);
    expect(() => c.decrypt({ encrKey, integKey, iv, ciphertext: partial, icv: icv2, aad })).toThrow(expect.objectContaining({ code: 'BAD_BLOCK_LENGTH' }));
    expect(() => c.encrypt({ encrKey: rnd(24), integKey, iv, plaintext: aad, aad })).toThrow(CryptoError);
    expect(() => createSkCipher(EncrId.ENCR_AES_CBC, 128)).toThrow(expect.objectContaining({ code: 'BAD_SUITE' }));
    expect(() => createSkCipher(EncrId.ENCR_AES_GCM_16, 128, IntegId.AUTH_HMAC_SHA2_256_128)).toThrow(expect.objectContaining({ code: 'BAD_SUITE' }));
    expect(() => createSkCipher(EncrId.ENCR_3DES, 192, IntegId.AUTH_HMAC_SHA2_256_128)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_ENCR' }));
    expect(() => createSkCipher(EncrId.ENCR_CHACHA20_POLY1305, 128)).toThrow(expect.objectContaining({ code: 'BAD_KEY_LENGTH' }));
  });
});

describe('SK cipher on untrusted input', () => {
  it.each(SUITES)('ENCR %i/%i INTEG %s: any IV / ciphertext / ICV only ever yields CryptoError', (encrId, bits, integId) => {
    const info = encrInfo(encrId)!;
    const encrKey = rnd(encrKeyMaterialLength(info, bits));
    const integKey = integId === undefined ? undefined : rnd(INTEG_KEY[integId]!);
    const keys = integKey === undefined ? { encrKey } : { encrKey, integKey };
    const c = createSkCipher(encrId, bits, integId);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (iv, ciphertext, icv, aad) => {
        try {
          c.decrypt({ ...keys, iv, ciphertext, icv, aad });
          return false; // random bytes must never authenticate
        } catch (e) {
          return e instanceof CryptoError;
        }
      }),
      { numRuns: 300 },
    );
  });
});
