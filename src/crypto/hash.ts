/**
 * Hash functions and HMAC (RFC 2104) over both backends. HMAC is the core of the IKE PRFs
 * (RFC 4868 §2, RFC 2104) and of the INTEG transforms AUTH_HMAC_* (RFC 4868, RFC 2404).
 */
import { createHash, createHmac } from 'node:crypto';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { DEFAULT_BACKEND, toU8, type Backend } from './backend.js';

/** Hash functions Kite uses (names as `node:crypto` spells them). */
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Output length in bytes per hash. */
export const HASH_LENGTH = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 } as const satisfies Record<HashName, number>;

/** Input block length in bytes per hash (the HMAC block size). */
export const HASH_BLOCK = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 } as const satisfies Record<HashName, number>;

const NOBLE_HASH = { sha1, sha224, sha256, sha384, sha512 } as const;

/** Message digest of `data`. */
export function digest(hash: HashName, data: Uint8Array, backend: Backend = DEFAULT_BACKEND.hmac): Uint8Array {
  if (backend === 'noble') return NOBLE_HASH[hash](data);
  return toU8(createHash(hash).update(data).digest());
}

/** HMAC-`hash`(key, data), full length (callers truncate for INTEG transforms). */
export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array, backend: Backend = DEFAULT_BACKEND.hmac): Uint8Array {
  if (backend === 'noble') return nobleHmac(NOBLE_HASH[hash], key, data);
  return toU8(createHmac(hash, key).update(data).digest());
}

/** HMAC over several parts without concatenating them first (saves a copy on large messages). */
export function hmacParts(
  hash: HashName,
  key: Uint8Array,
  parts: readonly Uint8Array[],
  backend: Backend = DEFAULT_BACKEND.hmac,
): Uint8Array {
  if (backend === 'noble') {
    const h = nobleHmac.create(NOBLE_HASH[hash], key);
    for (const p of parts) h.update(p);
    return h.digest();
  }
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return toU8(h.digest());
}
