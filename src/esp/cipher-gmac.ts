/**
 * ENCR_NULL_AUTH_AES_GMAC (RFC 4543): integrity only. The payload stays in the clear; the ICV is
 * the GCM tag over an empty plaintext with AAD = SPI | Seq | IV | payload | padding | trailer (with
 * ESN: SPI | Seq-hi | Seq-lo | IV | …, RFC 4543 §3.3). Nonce = salt(4) | IV(8), the IV being the
 * 64-bit sequence number as for AES-GCM. Both backends live here: the construction is tiny.
 */
import { createCipheriv, createSecretKey, type CipherGCMTypes } from 'node:crypto';
import { gcm } from '@noble/ciphers/aes.js';
import type { Backend } from '../crypto/backend.js';
import { ctEqual } from '../util/ct.js';
import { ESP_HEADER_LENGTH, writeU32 } from '../wire/esp.js';
import type { EspCipher, EspCipherSpec } from './cipher.js';

const TWO32 = 0x1_0000_0000;
const ICV = 16;

/** The AES-GMAC ESP cipher of `spec` on `backend`. */
export function gmacEspCipher(spec: EspCipherSpec, backend: Backend): EspCipher {
  const nonce = new Uint8Array(12);
  nonce.set(spec.salt);
  const hi = new Uint8Array(4);
  const name = `aes-${spec.key.length * 8}-gcm` as CipherGCMTypes;
  const key = createSecretKey(spec.key);
  const opts = { authTagLength: ICV };
  const dataOff = ESP_HEADER_LENGTH + 8;
  const tag = (pkt: Uint8Array, end: number, seqHi: number): Uint8Array => {
    for (let i = 0; i < 8; i++) nonce[4 + i] = pkt[ESP_HEADER_LENGTH + i] as number;
    writeU32(hi, 0, seqHi);
    if (backend === 'noble') {
      const aad = spec.esn ? concat3(pkt.subarray(0, 4), hi, pkt.subarray(4, end)) : pkt.subarray(0, end);
      return gcm(spec.key, nonce, aad).encrypt(new Uint8Array(0));
    }
    const c = createCipheriv(name, key, nonce, opts);
    if (spec.esn) {
      c.setAAD(pkt.subarray(0, 4));
      c.setAAD(hi);
      c.setAAD(pkt.subarray(4, end));
    } else {
      c.setAAD(pkt.subarray(0, end));
    }
    c.final();
    return c.getAuthTag();
  };
  return {
    backend,
    ivLength: 8,
    icvLength: ICV,
    blockSize: 4,
    seal(pkt, seq) {
      const seqHi = Math.floor(seq / TWO32);
      writeU32(pkt, ESP_HEADER_LENGTH, seqHi);
      writeU32(pkt, ESP_HEADER_LENGTH + 4, seq >>> 0);
      const end = pkt.length - ICV;
      pkt.set(tag(pkt, end, seqHi), end);
    },
    open(pkt, seqHi) {
      const end = pkt.length - ICV;
      if (end < dataOff) return undefined;
      return ctEqual(tag(pkt, end, seqHi), pkt.subarray(end)) ? pkt.slice(dataOff, end) : undefined;
    },
  };
}

function concat3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length + c.length);
  out.set(a);
  out.set(b, a.length);
  out.set(c, a.length + b.length);
  return out;
}
