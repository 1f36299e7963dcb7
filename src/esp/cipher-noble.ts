/**
 * ESP payload protection over `@noble/ciphers` / `@noble/hashes` (pure TypeScript). Sealing writes
 * straight into the output packet when it is 4-byte aligned (noble's requirement for output views).
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { randomFillSync } from 'node:crypto';
import { ctEqual } from '../util/ct.js';
import { ESP_HEADER_LENGTH, writeU32 } from '../wire/esp.js';
import type { EspCipher, EspCipherSpec } from './cipher.js';
import { espHmacIcv } from './cipher-hmac.js';

const TWO32 = 0x1_0000_0000;
const AEAD_ICV = 16;
const HASHES = { sha1, sha256, sha384, sha512 } as const;

function aligned(b: Uint8Array): boolean {
  return b.byteOffset % 4 === 0;
}

/** The AEAD (GCM-16, ChaCha20-Poly1305) or AES-CBC + HMAC cipher of `spec` on noble. */
export function nobleEspCipher(spec: EspCipherSpec): EspCipher {
  return spec.encr.aead ? nobleAead(spec) : nobleCbcHmac(spec);
}

function nobleAead(spec: EspCipherSpec): EspCipher {
  const isGcm = spec.encr.algorithm === 'aes-gcm';
  const mk = isGcm ? gcm : chacha20poly1305;
  const key = spec.key;
  const nonce = new Uint8Array(12);
  nonce.set(spec.salt);
  const aad12 = new Uint8Array(12);
  const dataOff = ESP_HEADER_LENGTH + 8;
  const aadFor = (pkt: Uint8Array, seqHi: number): Uint8Array => {
    if (!spec.esn) return pkt.subarray(0, ESP_HEADER_LENGTH);
    aad12.set(pkt.subarray(0, 4));
    writeU32(aad12, 4, seqHi);
    aad12.set(pkt.subarray(4, 8), 8);
    return aad12;
  };
  return {
    backend: 'noble',
    ivLength: 8,
    icvLength: AEAD_ICV,
    blockSize: spec.encr.blockSize,
    seal(pkt, seq) {
      const hi = Math.floor(seq / TWO32);
      writeU32(pkt, ESP_HEADER_LENGTH, hi);
      writeU32(pkt, ESP_HEADER_LENGTH + 4, seq >>> 0);
      nonce.set(pkt.subarray(ESP_HEADER_LENGTH, dataOff), 4);
      const end = pkt.length - AEAD_ICV;
      const out = pkt.subarray(dataOff);
      const cipher = mk(key, nonce, aadFor(pkt, hi));
      // noble's GCM takes no output buffer; its ChaCha20-Poly1305 does (aligned views only).
      if (!isGcm && aligned(out)) cipher.encrypt(pkt.subarray(dataOff, end), out);
      else out.set(cipher.encrypt(pkt.subarray(dataOff, end)));
    },
    open(pkt, seqHi) {
      if (pkt.length < dataOff + AEAD_ICV) return undefined;
      nonce.set(pkt.subarray(ESP_HEADER_LENGTH, dataOff), 4);
      try {
        return mk(key, nonce, aadFor(pkt, seqHi)).decrypt(pkt.subarray(dataOff));
      } catch {
        return undefined;
      }
    },
  };
}

function nobleCbcHmac(spec: EspCipherSpec): EspCipher {
  const integ = spec.integ;
  if (integ === undefined) throw new TypeError('AES-CBC without INTEG');
  const hash = HASHES[integ.hash];
  const icv = integ.icvLength;
  const dataOff = ESP_HEADER_LENGTH + 16;
  const mac = espHmacIcv(() => hmac.create(hash, spec.integKey), spec.esn, icv);
  return {
    backend: 'noble',
    ivLength: 16,
    icvLength: icv,
    blockSize: 16,
    seal(pkt, seq) {
      randomFillSync(pkt, ESP_HEADER_LENGTH, 16);
      const end = pkt.length - icv;
      const data = pkt.subarray(dataOff, end);
      const cipher = cbc(spec.key, pkt.slice(ESP_HEADER_LENGTH, dataOff), { disablePadding: true });
      if (aligned(data)) cipher.encrypt(data, data);
      else data.set(cipher.encrypt(data));
      pkt.set(mac(pkt, end, Math.floor(seq / TWO32)), end);
    },
    open(pkt, seqHi) {
      const end = pkt.length - icv;
      if (end <= dataOff || (end - dataOff) % 16 !== 0) return undefined;
      if (!ctEqual(mac(pkt, end, seqHi), pkt.subarray(end))) return undefined;
      try {
        return cbc(spec.key, pkt.slice(ESP_HEADER_LENGTH, dataOff), { disablePadding: true }).decrypt(pkt.subarray(dataOff, end));
      } catch {
        return undefined;
      }
    },
  };
}
