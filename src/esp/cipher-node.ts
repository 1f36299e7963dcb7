/**
 * ESP payload protection over `node:crypto` (OpenSSL). Node offers no in-place or re-keyable
 * cipher, so each packet costs one cipher object and one result buffer from `update()`; the key is
 * a prepared `KeyObject` and nonce / AAD scratch buffers belong to the SA direction.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomFillSync, timingSafeEqual, type CipherGCMTypes, type KeyObject } from 'node:crypto';
import { ESP_HEADER_LENGTH, writeU32 } from '../wire/esp.js';
import type { EspCipher, EspCipherSpec } from './cipher.js';
import { espHmacIcv } from './cipher-hmac.js';

const TWO32 = 0x1_0000_0000;
const AEAD_ICV = 16;

/** A plain Uint8Array view of a node Buffer (no copy), so both backends return the same type. */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The AEAD (GCM-16, ChaCha20-Poly1305) or AES-CBC + HMAC cipher of `spec` on node:crypto. */
export function nodeEspCipher(spec: EspCipherSpec): EspCipher {
  return spec.encr.aead ? nodeAead(spec) : nodeCbcHmac(spec);
}

function nodeAead(spec: EspCipherSpec): EspCipher {
  // chacha20-poly1305 shares the GCM call shape in node; the cast only picks that overload.
  const name = (spec.encr.algorithm === 'aes-gcm' ? `aes-${spec.key.length * 8}-gcm` : 'chacha20-poly1305') as CipherGCMTypes;
  const key: KeyObject = createSecretKey(spec.key);
  const nonce = new Uint8Array(12);
  nonce.set(spec.salt);
  // Scratch buffers owned by this SA direction: byte loops fill them without creating views.
  const aad = new Uint8Array(spec.esn ? 12 : 8);
  const opts = { authTagLength: AEAD_ICV };
  const dataOff = ESP_HEADER_LENGTH + 8;
  const prepare = (pkt: Uint8Array, seqHi: number): void => {
    for (let i = 0; i < 8; i++) nonce[4 + i] = pkt[ESP_HEADER_LENGTH + i] as number;
    for (let i = 0; i < 4; i++) aad[i] = pkt[i] as number;
    if (spec.esn) {
      writeU32(aad, 4, seqHi);
      for (let i = 0; i < 4; i++) aad[8 + i] = pkt[4 + i] as number;
    } else {
      for (let i = 4; i < 8; i++) aad[i] = pkt[i] as number;
    }
  };
  return {
    backend: 'node',
    ivLength: 8,
    icvLength: AEAD_ICV,
    blockSize: spec.encr.blockSize,
    seal(pkt, seq) {
      const hi = Math.floor(seq / TWO32);
      writeU32(pkt, ESP_HEADER_LENGTH, hi);
      writeU32(pkt, ESP_HEADER_LENGTH + 4, seq >>> 0);
      prepare(pkt, hi);
      const end = pkt.length - AEAD_ICV;
      const c = createCipheriv(name, key, nonce, opts);
      c.setAAD(aad);
      pkt.set(c.update(pkt.subarray(dataOff, end)), dataOff);
      c.final();
      pkt.set(c.getAuthTag(), end);
    },
    open(pkt, seqHi) {
      const end = pkt.length - AEAD_ICV;
      if (end < dataOff) return undefined;
      prepare(pkt, seqHi);
      const d = createDecipheriv(name, key, nonce, opts);
      d.setAuthTag(pkt.subarray(end));
      d.setAAD(aad);
      const plaintext = d.update(pkt.subarray(dataOff, end));
      try {
        d.final();
      } catch {
        plaintext.fill(0);
        return undefined;
      }
      return plain(plaintext);
    },
  };
}

function nodeCbcHmac(spec: EspCipherSpec): EspCipher {
  const integ = spec.integ;
  if (integ === undefined) throw new TypeError('AES-CBC without INTEG');
  const name = `aes-${spec.key.length * 8}-cbc`;
  const key = createSecretKey(spec.key);
  const macKey = createSecretKey(spec.integKey);
  const icv = integ.icvLength;
  const dataOff = ESP_HEADER_LENGTH + 16;
  const mac = espHmacIcv(() => createHmac(integ.hash, macKey), spec.esn, icv);
  return {
    backend: 'node',
    ivLength: 16,
    icvLength: icv,
    blockSize: 16,
    seal(pkt, seq) {
      randomFillSync(pkt, ESP_HEADER_LENGTH, 16);
      const end = pkt.length - icv;
      const c = createCipheriv(name, key, pkt.subarray(ESP_HEADER_LENGTH, dataOff)).setAutoPadding(false);
      pkt.set(c.update(pkt.subarray(dataOff, end)), dataOff);
      c.final();
      pkt.set(mac(pkt, end, Math.floor(seq / TWO32)), end);
    },
    open(pkt, seqHi) {
      const end = pkt.length - icv;
      if (end <= dataOff || (end - dataOff) % 16 !== 0) return undefined;
      if (!timingSafeEqual(mac(pkt, end, seqHi), pkt.subarray(end))) return undefined;
      const d = createDecipheriv(name, key, pkt.subarray(ESP_HEADER_LENGTH, dataOff)).setAutoPadding(false);
      const plaintext = d.update(pkt.subarray(dataOff, end));
      d.final();
      return plain(plaintext);
    },
  };
}
