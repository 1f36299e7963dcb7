import { describe, expect, it } from 'vitest';
import { createAead, type AeadAlgorithm } from '../../src/crypto/aead.js';
import { BACKENDS } from '../../src/crypto/backend.js';
import { CryptoError } from '../../src/errors.js';
import { bytesEqual } from '../../src/util/bytes.js';
import { hexField, loadWycheproof, numField, runAll, type WycheproofFile } from './load.js';

const FILES: readonly [string, AeadAlgorithm][] = [
  ['aes_gcm_test.json', 'aes-gcm'],
  ['chacha20_poly1305_test.json', 'chacha20-poly1305'],
];

function split(data: WycheproofFile): { ipsec: WycheproofFile; other: WycheproofFile } {
  const is96 = (g: WycheproofFile['testGroups'][number]): boolean => numField(g, 'ivSize') === 96;
  return {
    ipsec: { ...data, testGroups: data.testGroups.filter(is96) },
    other: { ...data, testGroups: data.testGroups.filter((g) => !is96(g)) },
  };
}

describe.each(FILES)('Wycheproof %s', (file, algorithm) => {
  const { entry, data } = loadWycheproof(file);
  const { ipsec, other } = split(data);

  it.each(BACKENDS)('every 96-bit-nonce test on the %s backend (full and truncated tags)', (backend) => {
    const aead = createAead(algorithm, 16, backend);
    const truncated = algorithm === 'aes-gcm' ? [createAead(algorithm, 8, backend), createAead(algorithm, 12, backend)] : [];
    const { ran, failures } = runAll(ipsec, (t) => {
      const [key, iv, aad, msg, ct, tag] = ['key', 'iv', 'aad', 'msg', 'ct', 'tag'].map((f) => hexField(t, f)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      let sealOk = false;
      try {
        const s = aead.seal(key, iv, aad, msg);
        sealOk = bytesEqual(s.ciphertext, ct) && bytesEqual(s.tag, tag);
      } catch {
        sealOk = false;
      }
      let opened: Uint8Array | undefined;
      try {
        opened = aead.open(key, iv, aad, ct, tag);
      } catch {
        opened = undefined;
      }
      const openOk = opened !== undefined && bytesEqual(opened, msg);
      if (t.result === 'invalid') return openOk;
      // ENCR_AES_GCM_8/12 (RFC 4106 §6): the ICV is the tag's prefix.
      for (const tr of truncated) {
        const s = tr.seal(key, iv, aad, msg);
        if (!bytesEqual(s.tag, tag.subarray(0, tr.tagLength))) return false;
        const o = tr.open(key, iv, aad, ct, tag.subarray(0, tr.tagLength));
        if (o === undefined || !bytesEqual(o, msg)) return false;
        const bad = tag.slice(0, tr.tagLength);
        bad[0]! ^= 1;
        if (tr.open(key, iv, aad, ct, bad) !== undefined) return false;
      }
      return sealOk && openOk;
    });
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(190);
    expect(ran + other.testGroups.reduce((s, g) => s + g.tests.length, 0)).toBe(entry.tests);
  });

  it.each(BACKENDS)('every other-nonce-size test is refused with BAD_IV_LENGTH on the %s backend', (backend) => {
    const aead = createAead(algorithm, 16, backend);
    let refused = 0;
    for (const g of other.testGroups) {
      for (const t of g.tests) {
        expect(() => aead.seal(hexField(t, 'key'), hexField(t, 'iv'), hexField(t, 'aad'), hexField(t, 'msg'))).toThrow(CryptoError);
        expect(() => aead.open(hexField(t, 'key'), hexField(t, 'iv'), hexField(t, 'aad'), hexField(t, 'ct'), hexField(t, 'tag'))).toThrow(/nonce/);
        refused++;
      }
    }
    expect(refused).toBe(other.testGroups.reduce((s, g) => s + g.tests.length, 0));
  });
});
