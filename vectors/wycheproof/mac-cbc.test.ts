import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/crypto/backend.js';
import { aesCbc } from '../../src/crypto/cbc.js';
import { hmac, type HashName } from '../../src/crypto/hash.js';
import { createInteg, INTEG_TRANSFORMS } from '../../src/crypto/integ.js';
import { createPrf } from '../../src/crypto/prf.js';
import { PrfId } from '../../src/iana/ikev2.js';
import { bytesEqual } from '../../src/util/bytes.js';
import { ctEqual } from '../../src/util/ct.js';
import { hexField, loadWycheproof, numField, runAll } from './load.js';

const HMAC_FILES: readonly [string, HashName, number][] = [
  ['hmac_sha1_test.json', 'sha1', PrfId.PRF_HMAC_SHA1],
  ['hmac_sha256_test.json', 'sha256', PrfId.PRF_HMAC_SHA2_256],
  ['hmac_sha384_test.json', 'sha384', PrfId.PRF_HMAC_SHA2_384],
  ['hmac_sha512_test.json', 'sha512', PrfId.PRF_HMAC_SHA2_512],
];

describe.each(HMAC_FILES)('Wycheproof %s', (file, hash, prfId) => {
  const { entry, data } = loadWycheproof(file);
  it.each(BACKENDS)('every test on the %s backend, as HMAC, PRF and INTEG', (backend) => {
    const prf = createPrf(prfId, backend);
    const integs = Object.values(INTEG_TRANSFORMS)
      .filter((d) => 'hash' in d && d.hash === hash)
      .map((d) => createInteg(d.id, backend));
    let integRuns = 0;
    const { ran, failures } = runAll(data, (t, g) => {
      const key = hexField(t, 'key');
      const msg = hexField(t, 'msg');
      const tag = hexField(t, 'tag');
      const tagBytes = numField(g, 'tagSize') / 8;
      const full = hmac(hash, key, msg, backend);
      if (!bytesEqual(prf.compute(key, msg), full)) return false;
      // The INTEG transform whose ICV length equals this group's tag size must agree with the vector
      // (HMAC-SHA1-96 uses the 160-bit groups' first 12 octets: Wycheproof has no 96-bit group).
      for (const integ of integs) {
        if (integ.keyLength !== key.length) continue;
        if (integ.icvLength === tagBytes || (tagBytes === full.length && t.result === 'valid')) {
          integRuns++;
          const icv = integ.compute(key, [msg]);
          const want = integ.icvLength === tagBytes ? tag : tag.subarray(0, integ.icvLength);
          if (ctEqual(icv, want) !== ctEqual(full.subarray(0, tagBytes), tag)) return false;
        }
      }
      return tag.length === tagBytes && ctEqual(full.subarray(0, tagBytes), tag);
    });
    expect(failures).toEqual([]);
    expect(ran).toBe(entry.tests);
    expect(integRuns).toBeGreaterThan(0);
  });
});

function pkcs5Pad(msg: Uint8Array): Uint8Array {
  const n = 16 - (msg.length % 16);
  const out = new Uint8Array(msg.length + n).fill(n);
  out.set(msg);
  return out;
}

function pkcs5Unpad(p: Uint8Array): Uint8Array | undefined {
  const n = p[p.length - 1];
  if (n === undefined || n < 1 || n > 16 || n > p.length) return undefined;
  for (let i = p.length - n; i < p.length; i++) if (p[i] !== n) return undefined;
  return p.subarray(0, p.length - n);
}

describe('Wycheproof aes_cbc_pkcs5_test.json (CBC core; PKCS#5 padding handled by the test)', () => {
  const { entry, data } = loadWycheproof('aes_cbc_pkcs5_test.json');
  it.each(BACKENDS)('every test on the %s backend', (backend) => {
    const cbc = aesCbc(backend);
    const { ran, failures } = runAll(data, (t) => {
      const key = hexField(t, 'key');
      const iv = hexField(t, 'iv');
      const msg = hexField(t, 'msg');
      const ct = hexField(t, 'ct');
      let plain: Uint8Array | undefined;
      try {
        plain = pkcs5Unpad(cbc.decrypt(key, iv, ct));
      } catch {
        plain = undefined; // not a whole number of blocks: the core refuses it
      }
      if (t.result === 'invalid') return plain !== undefined && bytesEqual(plain, msg);
      return plain !== undefined && bytesEqual(plain, msg) && bytesEqual(cbc.encrypt(key, iv, pkcs5Pad(msg)), ct);
    });
    expect(failures).toEqual([]);
    expect(ran).toBe(entry.tests);
  });
});
