/**
 * AES-CBC without padding (the ENCR_AES_CBC core, RFC 3602). IKE and ESP add their own padding
 * (RFC 7296 §3.14, RFC 4303 §2.4), so the input must already be a whole number of blocks.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { cbc as nobleCbc } from '@noble/ciphers/aes.js';
import { CryptoError } from '../errors.js';
import { DEFAULT_BACKEND, toU8, type Backend } from './backend.js';

/** AES block length in bytes. */
export const AES_BLOCK = 16;

/** An AES-CBC implementation without padding. */
export interface AesCbc {
  /** Backend serving this instance. */
  readonly backend: Backend;
  /** Encrypt whole blocks; `key` is 16, 24 or 32 bytes, `iv` 16 bytes. */
  encrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Decrypt whole blocks. */
  decrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
}

function check(key: Uint8Array, iv: Uint8Array, data: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new CryptoError('BAD_KEY_LENGTH', `AES-CBC: key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
  if (iv.length !== AES_BLOCK) throw new CryptoError('BAD_IV_LENGTH', `AES-CBC: IV must be 16 bytes, got ${iv.length}`);
  if (data.length % AES_BLOCK !== 0) {
    throw new CryptoError('BAD_BLOCK_LENGTH', `AES-CBC: data length ${data.length} is not a multiple of 16`);
  }
}

const nodeCbc: AesCbc = {
  backend: 'node',
  encrypt(key, iv, plaintext) {
    check(key, iv, plaintext);
    const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv).setAutoPadding(false);
    return toU8(Buffer.concat([c.update(plaintext), c.final()]));
  },
  decrypt(key, iv, ciphertext) {
    check(key, iv, ciphertext);
    const d = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv).setAutoPadding(false);
    return toU8(Buffer.concat([d.update(ciphertext), d.final()]));
  },
};

const nobleCbcImpl: AesCbc = {
  backend: 'noble',
  encrypt(key, iv, plaintext) {
    check(key, iv, plaintext);
    return nobleCbc(key, iv, { disablePadding: true }).encrypt(plaintext);
  },
  decrypt(key, iv, ciphertext) {
    check(key, iv, ciphertext);
    return nobleCbc(key, iv, { disablePadding: true }).decrypt(ciphertext);
  },
};

/** The AES-CBC implementation of `backend`. */
export function aesCbc(backend: Backend = DEFAULT_BACKEND.cbc): AesCbc {
  return backend === 'noble' ? nobleCbcImpl : nodeCbc;
}
