/**
 * AEAD core: AES-GCM (RFC 4106 / RFC 5282 for IKE) and ChaCha20-Poly1305 (RFC 8439, RFC 7634),
 * with a 96-bit nonce. IPsec builds the nonce as salt(4) | IV(8); that framing lives in
 * `sk-cipher.ts` and in `esp/`. Truncated GCM tags (ENCR_AES_GCM_8/12) are supported.
 */
import { createCipheriv, createDecipheriv, type CipherGCMTypes, type CipherChaCha20Poly1305Types } from 'node:crypto';
import { gcm, ctr } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { CryptoError } from '../errors.js';
import { ctEqual } from '../util/ct.js';
import { DEFAULT_BACKEND, toU8, type Backend } from './backend.js';

/** AEAD algorithms. */
export type AeadAlgorithm = 'aes-gcm' | 'chacha20-poly1305';

/** Nonce length every IPsec AEAD uses (salt 4 + IV 8). */
export const AEAD_NONCE_LENGTH = 12;

/** Result of sealing: ciphertext (same length as the plaintext) and the tag. */
export interface Sealed {
  /** Encrypted data. */
  readonly ciphertext: Uint8Array;
  /** Authentication tag of `tagLength` bytes. */
  readonly tag: Uint8Array;
}

/** One AEAD algorithm over one backend. */
export interface Aead {
  /** Algorithm. */
  readonly algorithm: AeadAlgorithm;
  /** Backend serving it. */
  readonly backend: Backend;
  /** Tag length in bytes (16; 8 or 12 for truncated GCM). */
  readonly tagLength: number;
  /** Encrypt and authenticate. Throws `CryptoError` on bad key or nonce length. */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Sealed;
  /** Verify and decrypt; `undefined` when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined;
}

function checkParams(algorithm: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array): void {
  const keyOk = algorithm === 'aes-gcm' ? key.length === 16 || key.length === 24 || key.length === 32 : key.length === 32;
  if (!keyOk) throw new CryptoError('BAD_KEY_LENGTH', `${algorithm}: bad key length ${key.length}`);
  if (nonce.length !== AEAD_NONCE_LENGTH) {
    throw new CryptoError('BAD_IV_LENGTH', `${algorithm}: nonce must be 12 bytes, got ${nonce.length}`);
  }
}

function nodeName(algorithm: AeadAlgorithm, key: Uint8Array): CipherGCMTypes | CipherChaCha20Poly1305Types {
  if (algorithm === 'chacha20-poly1305') return 'chacha20-poly1305';
  return key.length === 16 ? 'aes-128-gcm' : key.length === 24 ? 'aes-192-gcm' : 'aes-256-gcm';
}

function nodeAead(algorithm: AeadAlgorithm, tagLength: number): Aead {
  return {
    algorithm,
    backend: 'node',
    tagLength,
    seal(key, nonce, aad, plaintext) {
      checkParams(algorithm, key, nonce);
      const c = createCipheriv(nodeName(algorithm, key) as CipherGCMTypes, key, nonce, { authTagLength: tagLength });
      c.setAAD(aad, { plaintextLength: plaintext.length });
      const ciphertext = toU8(Buffer.concat([c.update(plaintext), c.final()]));
      return { ciphertext, tag: toU8(c.getAuthTag()) };
    },
    open(key, nonce, aad, ciphertext, tag) {
      checkParams(algorithm, key, nonce);
      if (tag.length !== tagLength) return undefined;
      const d = createDecipheriv(nodeName(algorithm, key) as CipherGCMTypes, key, nonce, { authTagLength: tagLength });
      d.setAuthTag(tag);
      d.setAAD(aad, { plaintextLength: ciphertext.length });
      const head = d.update(ciphertext);
      try {
        return toU8(Buffer.concat([head, d.final()]));
      } catch {
        head.fill(0);
        return undefined;
      }
    },
  };
}

function nobleCipher(algorithm: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  return algorithm === 'aes-gcm' ? gcm(key, nonce, aad) : chacha20poly1305(key, nonce, aad);
}

function nobleAead(algorithm: AeadAlgorithm, tagLength: number): Aead {
  return {
    algorithm,
    backend: 'noble',
    tagLength,
    seal(key, nonce, aad, plaintext) {
      checkParams(algorithm, key, nonce);
      const out = nobleCipher(algorithm, key, nonce, aad).encrypt(plaintext);
      const ciphertext = out.slice(0, plaintext.length);
      return { ciphertext, tag: out.slice(plaintext.length, plaintext.length + tagLength) };
    },
    open(key, nonce, aad, ciphertext, tag) {
      checkParams(algorithm, key, nonce);
      if (tag.length !== tagLength) return undefined;
      if (tagLength === 16) {
        const joined = new Uint8Array(ciphertext.length + 16);
        joined.set(ciphertext);
        joined.set(tag, ciphertext.length);
        try {
          return nobleCipher(algorithm, key, nonce, aad).decrypt(joined);
        } catch {
          return undefined;
        }
      }
      // Truncated GCM tag: decrypt with the GCM keystream (counter J0+1), recompute the full tag
      // and compare its prefix in constant time.
      const counter = new Uint8Array(16);
      counter.set(nonce);
      counter[15] = 2;
      const plaintext = ctr(key, counter).decrypt(ciphertext);
      const full = gcm(key, nonce, aad).encrypt(plaintext);
      const ok = ctEqual(full.subarray(plaintext.length, plaintext.length + tagLength), tag);
      full.fill(0);
      if (ok) return plaintext;
      plaintext.fill(0);
      return undefined;
    },
  };
}

/** An AEAD of `algorithm` with a `tagLength`-byte tag over `backend`. */
export function createAead(algorithm: AeadAlgorithm, tagLength = 16, backend: Backend = DEFAULT_BACKEND.aead): Aead {
  const allowed = algorithm === 'aes-gcm' ? [8, 12, 16] : [16];
  if (!allowed.includes(tagLength)) throw new CryptoError('BAD_ICV_LENGTH', `${algorithm}: unsupported tag length ${tagLength}`);
  return backend === 'noble' ? nobleAead(algorithm, tagLength) : nodeAead(algorithm, tagLength);
}
