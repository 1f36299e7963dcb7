import { readFileSync } from 'node:fs';
import { createHash, getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAead } from '../../src/crypto/aead.js';
import { BACKENDS } from '../../src/crypto/backend.js';
import { createKeyExchange } from '../../src/crypto/ke.js';
import { MODP_GROUPS } from '../../src/crypto/modp-groups.js';
import { toHex } from '../../src/util/bytes.js';
import { extractModpGroups, renderModpModule } from '../tools/rfc3526.js';
import { extractRfc8439AeadVectors } from '../tools/rfc8439.js';

interface RfcEntry {
  readonly file: string;
  readonly path: string;
  readonly sha256: string;
}

function rfcText(file: string): { text: string; sha256: string } {
  const m = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as { files: RfcEntry[] };
  const e = m.files.find((f) => f.file === file);
  if (e === undefined) throw new Error(`${file} missing from vectors/rfc/manifest.json`);
  const bytes = readFileSync(new URL(`../../${e.path}`, import.meta.url));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  expect(sha256).toBe(e.sha256);
  return { text: bytes.toString('utf8'), sha256 };
}

describe('RFC 8439 AEAD vectors (parsed from the RFC text)', () => {
  const vectors = extractRfc8439AeadVectors(rfcText('rfc8439.txt').text);
  it('finds §2.8.2 and A.5', () => {
    expect(vectors.map((v) => v.source)).toEqual(['RFC 8439 §2.8.2', 'RFC 8439 Appendix A.5']);
  });
  describe.each(BACKENDS)('%s backend', (backend) => {
    const aead = createAead('chacha20-poly1305', 16, backend);
    it.each(vectors.map((v) => [v.source, v] as const))('%s seals and opens', (_name, v) => {
      const s = aead.seal(v.key, v.nonce, v.aad, v.plaintext);
      expect(toHex(s.ciphertext)).toBe(toHex(v.ciphertext));
      expect(toHex(s.tag)).toBe(toHex(v.tag));
      expect(toHex(aead.open(v.key, v.nonce, v.aad, v.ciphertext, v.tag) ?? new Uint8Array())).toBe(toHex(v.plaintext));
      const bad = v.tag.slice();
      bad[15]! ^= 0x80;
      expect(aead.open(v.key, v.nonce, v.aad, v.ciphertext, bad)).toBeUndefined();
      const badAad = v.aad.slice();
      badAad[0]! ^= 1;
      expect(aead.open(v.key, v.nonce, badAad, v.ciphertext, v.tag)).toBeUndefined();
    });
  });
});

describe('RFC 3526 MODP primes', () => {
  const { text, sha256 } = rfcText('rfc3526.txt');
  const groups = extractModpGroups(text);
  it('src/crypto/modp-groups.ts is exactly what the generator makes from the RFC text', () => {
    const committed = readFileSync(new URL('../../src/crypto/modp-groups.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderModpModule(groups, sha256));
    expect(groups.map((g) => [g.id, g.bits])).toEqual([[5, 1536], [14, 2048], [15, 3072], [16, 4096], [17, 6144], [18, 8192]]);
  });
  it('agrees with the primes OpenSSL ships (node getDiffieHellman)', () => {
    for (const g of groups) {
      const p = getDiffieHellman(`modp${g.id}`).getPrime('hex').toUpperCase();
      expect(p).toBe(g.primeHex);
      expect((MODP_GROUPS as Record<number, { prime: string }>)[g.id]?.prime).toBe(g.primeHex);
    }
  });
  it.each([14, 15, 16])('group %i: both backends agree on g^xy and validate peers (RFC 6989)', (id) => {
    const a = createKeyExchange(id, 'node');
    const b = createKeyExchange(id, 'noble');
    const s1 = a.computeSharedSecret(b.publicKey);
    const s2 = b.computeSharedSecret(a.publicKey);
    expect(toHex(s1)).toBe(toHex(s2));
    expect(s1.length).toBe(groups.find((g) => g.id === id)!.bits / 8);
    const len = a.publicKey.length;
    const one = new Uint8Array(len);
    one[len - 1] = 1;
    const pMinus1 = Uint8Array.from(Buffer.from(groups.find((g) => g.id === id)!.primeHex, 'hex'));
    pMinus1[len - 1]! -= 1;
    for (const kex of [a, b]) {
      for (const bad of [new Uint8Array(len), one, pMinus1, Uint8Array.from(Buffer.from(groups.find((g) => g.id === id)!.primeHex, 'hex')), a.publicKey.subarray(1)]) {
        expect(() => kex.computeSharedSecret(bad)).toThrow(expect.objectContaining({ code: 'INVALID_KE_PUBLIC' }));
      }
    }
  });
  it('a fixed private exponent gives the same public value on both backends', () => {
    const x = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    expect(toHex(createKeyExchange(14, 'node', x).publicKey)).toBe(toHex(createKeyExchange(14, 'noble', x).publicKey));
  });
});
