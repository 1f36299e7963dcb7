import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { PrfId } from '../iana/ikev2.js';
import { concat, toHex } from '../util/bytes.js';
import { BACKENDS } from './backend.js';
import { deriveChildKeys, deriveIkeKeys, rekeySkeyseed, skeyseedKey } from './keymat.js';
import { createPrf, prfPlus } from './prf.js';
import { aesXcbcPrf128 } from './aes-mac.js';

/** Random bytes as a plain Uint8Array (Buffer#slice would alias). */
const rnd = (n: number): Uint8Array => Uint8Array.from(randomBytes(n));

/** prf+ written straight from RFC 7296 §2.13 over node's HMAC, independent of prf.ts. */
function refPrfPlus(hash: string, key: Uint8Array, seed: Uint8Array, len: number): Uint8Array {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let n = 1; out.reduce((s, b) => s + b.length, 0) < len; n++) {
    t = createHmac(hash, key).update(Buffer.concat([t, seed, Buffer.of(n)])).digest();
    out.push(t);
  }
  return Uint8Array.from(Buffer.concat(out).subarray(0, len));
}

const HMAC_PRFS = [
  [PrfId.PRF_HMAC_SHA1, 'sha1', 20],
  [PrfId.PRF_HMAC_SHA2_256, 'sha256', 32],
  [PrfId.PRF_HMAC_SHA2_384, 'sha384', 48],
  [PrfId.PRF_HMAC_SHA2_512, 'sha512', 64],
] as const;

describe.each(BACKENDS)('key derivation on the %s backend', (backend) => {
  it.each(HMAC_PRFS)('prf+ for PRF %i matches the RFC 7296 §2.13 definition, up to 255 blocks', (id, hash, olen) => {
    const prf = createPrf(id, backend);
    const key = rnd(olen);
    const seed = rnd(77);
    for (const len of [0, 1, olen - 1, olen, olen + 1, 3 * olen + 5, 255 * olen]) {
      expect(toHex(prfPlus(prf, key, seed, len))).toBe(toHex(refPrfPlus(hash, key, seed, len)));
    }
    expect(() => prfPlus(prf, key, seed, 255 * olen + 1)).toThrow(CryptoError);
  });

  it.each(HMAC_PRFS)('SK_* for PRF %i follow RFC 7296 §2.14 (GCM-like: integ 0, encr 20)', (id, hash, olen) => {
    const prf = createPrf(id, backend);
    const p = { prf, encrKeyLength: 36, integKeyLength: 32, nonceI: rnd(32), nonceR: rnd(24), sharedSecret: rnd(256), spiI: rnd(8), spiR: rnd(8) };
    const k = deriveIkeKeys(p);
    const skeyseed = createHmac(hash, concat(p.nonceI, p.nonceR)).update(p.sharedSecret).digest();
    expect(toHex(k.skeyseed)).toBe(skeyseed.toString('hex'));
    const stream = refPrfPlus(hash, skeyseed, concat(p.nonceI, p.nonceR, p.spiI, p.spiR), 3 * olen + 2 * 32 + 2 * 36);
    expect(toHex(concat(k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr))).toBe(toHex(stream));
    expect([k.skD.length, k.skAi.length, k.skEi.length, k.skPr.length]).toEqual([olen, 32, 36, olen]);

    const child = deriveChildKeys(prf, k.skD, { nonceI: p.nonceI, nonceR: p.nonceR }, { encrKeyLength: 20, integKeyLength: 0 });
    expect(toHex(child.keymat)).toBe(toHex(refPrfPlus(hash, k.skD, concat(p.nonceI, p.nonceR), 40)));
    expect(toHex(concat(child.encrI, child.integI, child.encrR, child.integR))).toBe(toHex(child.keymat));
    const gir = rnd(32);
    const pfs = deriveChildKeys(prf, k.skD, { sharedSecret: gir, nonceI: p.nonceI, nonceR: p.nonceR }, { encrKeyLength: 32, integKeyLength: 32 });
    expect(toHex(pfs.keymat)).toBe(toHex(refPrfPlus(hash, k.skD, concat(gir, p.nonceI, p.nonceR), 128)));
    expect(pfs.integR.length).toBe(32);

    const rekeyed = rekeySkeyseed(prf, k.skD, gir, p.nonceI, p.nonceR);
    expect(toHex(rekeyed)).toBe(createHmac(hash, k.skD).update(concat(gir, p.nonceI, p.nonceR)).digest('hex'));
  });

  it('fixed-key PRFs (AES-XCBC) key SKEYSEED with the first 64 bits of Ni and of Nr (RFC 7296 §2.14)', () => {
    const prf = createPrf(PrfId.PRF_AES128_XCBC, backend);
    const nonceI = rnd(32);
    const nonceR = rnd(32);
    const gir = rnd(32);
    const key = skeyseedKey(prf, nonceI, nonceR);
    expect(toHex(key)).toBe(toHex(concat(nonceI.subarray(0, 8), nonceR.subarray(0, 8))));
    const k = deriveIkeKeys({ prf, encrKeyLength: 16, integKeyLength: 16, nonceI, nonceR, sharedSecret: gir, spiI: rnd(8), spiR: rnd(8) });
    expect(toHex(k.skeyseed)).toBe(toHex(aesXcbcPrf128(key, gir)));
    expect(k.skD.length).toBe(16);
    expect(() => skeyseedKey(prf, nonceI.subarray(0, 7), nonceR)).toThrow(CryptoError);
  });
});

describe('createPrf', () => {
  it('rejects unknown PRFs', () => {
    expect(() => createPrf(PrfId.PRF_HMAC_MD5)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_PRF' }));
  });
  it('both backends give the same prf+ stream', () => {
    const key = rnd(32);
    const seed = rnd(40);
    expect(toHex(prfPlus(createPrf(PrfId.PRF_HMAC_SHA2_256, 'node'), key, seed, 500))).toBe(toHex(prfPlus(createPrf(PrfId.PRF_HMAC_SHA2_256, 'noble'), key, seed, 500)));
  });
});
