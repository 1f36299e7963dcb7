// Wycheproof AEAD vectors through the ESP AEAD layer (RFC 4106 / RFC 7634 framing): the vector's
// 12-byte nonce is split into salt (end of the KEYMAT key) and the 8-byte explicit IV on the wire;
// its AAD must be what ESP authenticates: SPI | Seq (8 bytes) or, with ESN, SPI | Seq-hi | Seq-lo
// (12 bytes, Seq-hi not on the wire). Every test with a 96-bit nonce, 128-bit tag and such an AAD is
// run on both backends; each valid one is also mutated (tag, ciphertext, sequence high half).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRfc8439AeadVectors } from '../../vectors/tools/rfc8439.js';
import { BACKENDS } from '../crypto/backend.js';
import { EncrId } from '../iana/ikev2.js';
import { concat } from '../util/bytes.js';
import { hexField, loadWycheproof, numField } from '../../vectors/wycheproof/load.js';
import { createEspCipher, espCipherSpec } from './cipher.js';
import { readU32 } from '../wire/esp.js';

interface Case {
  readonly id: number;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array;
  readonly msg: Uint8Array;
  readonly ct: Uint8Array;
  readonly tag: Uint8Array;
  readonly valid: boolean;
}

function cases(file: string): Case[] {
  const out: Case[] = [];
  for (const g of loadWycheproof(file).data.testGroups) {
    if (numField(g, 'ivSize') !== 96 || numField(g, 'tagSize') !== 128) continue;
    for (const t of g.tests) {
      const aad = hexField(t, 'aad');
      if (aad.length !== 8 && aad.length !== 12) continue;
      out.push({ id: t.tcId, key: hexField(t, 'key'), iv: hexField(t, 'iv'), aad, msg: hexField(t, 'msg'), ct: hexField(t, 'ct'), tag: hexField(t, 'tag'), valid: t.result === 'valid' });
    }
  }
  return out;
}

/** The ESP packet and sequence high half that make the layer compute exactly this AEAD call. */
function espPacket(c: Case): { pkt: Uint8Array; seqHi: number; esn: boolean } {
  const esn = c.aad.length === 12;
  const header = esn ? concat(c.aad.subarray(0, 4), c.aad.subarray(8, 12)) : c.aad;
  return { pkt: concat(header, c.iv.subarray(4), c.ct, c.tag), seqHi: esn ? readU32(c.aad, 4) : 0, esn };
}

describe.each([
  ['aes_gcm_test.json', EncrId.ENCR_AES_GCM_16],
  ['chacha20_poly1305_test.json', EncrId.ENCR_CHACHA20_POLY1305],
] as const)('%s through the ESP AEAD layer', (file, encrId) => {
  const all = cases(file);
  it('has vectors with ESP-shaped AAD, both with and without ESN where the file has them', () => {
    expect(all.length).toBeGreaterThanOrEqual(encrId === EncrId.ENCR_AES_GCM_16 ? 5 : 40);
  });
  it.each(BACKENDS)('opens valid and rejects mutated / invalid ones (%s)', (backend) => {
    for (const c of all) {
      const { pkt, seqHi, esn } = espPacket(c);
      const cipher = createEspCipher(espCipherSpec(encrId, c.key.length * 8, 0, concat(c.key, c.iv.subarray(0, 4)), undefined, esn), backend);
      const got = cipher.open(pkt, seqHi);
      expect([c.id, got === undefined ? undefined : Buffer.from(got).toString('hex')]).toEqual([c.id, c.valid ? Buffer.from(c.msg).toString('hex') : undefined]);
      if (!c.valid) continue;
      const tag = pkt.slice();
      tag[tag.length - 1] = (tag[tag.length - 1] as number) ^ 0x80;
      expect(cipher.open(tag, seqHi)).toBeUndefined();
      if (c.ct.length > 0) {
        const ct = pkt.slice();
        ct[16] = (ct[16] as number) ^ 1;
        expect(cipher.open(ct, seqHi)).toBeUndefined();
      }
      if (esn) expect(cipher.open(pkt, seqHi ^ 1)).toBeUndefined();
      const spi = pkt.slice();
      spi[0] = (spi[0] as number) ^ 4;
      expect(cipher.open(spi, seqHi)).toBeUndefined();
    }
  });
});

// RFC 8439 §2.8.2 and Appendix A.5, parsed from the RFC text (../shared/rfc/rfc8439.txt): 12-byte
// AAD, so through the ESN framing; §2.8.2's nonce is constant(4) | IV(8), RFC 7634's salt | IV.
describe('RFC 8439 ChaCha20-Poly1305 vectors through the ESP AEAD layer', () => {
  const text = readFileSync(new URL('../../../shared/rfc/rfc8439.txt', import.meta.url), 'utf8');
  const vectors = extractRfc8439AeadVectors(text);
  it.each(BACKENDS)('opens each ESN-shaped vector and rejects it with another Seq-hi (%s)', (backend) => {
    const usable = vectors.filter((v) => v.aad.length === 12 || v.aad.length === 8);
    expect(usable.length).toBeGreaterThanOrEqual(2);
    for (const v of usable) {
      const c: Case = { id: 0, key: v.key, iv: v.nonce, aad: v.aad, msg: v.plaintext, ct: v.ciphertext, tag: v.tag, valid: true };
      const { pkt, seqHi, esn } = espPacket(c);
      const cipher = createEspCipher(espCipherSpec(EncrId.ENCR_CHACHA20_POLY1305, 256, 0, concat(v.key, v.nonce.subarray(0, 4)), undefined, esn), backend);
      expect(cipher.open(pkt, seqHi)).toEqual(new Uint8Array(v.plaintext));
      expect(cipher.open(pkt, seqHi + 1)).toBeUndefined();
    }
  });
});
