/**
 * RSASSA-PSS verification in plain TypeScript (RFC 8017 §8.1.2, §9.1.2): RSAVP1 with BigInt and
 * EMSA-PSS-VERIFY with an independent MGF1 hash, which OpenSSL's one-call API cannot express.
 */
import type { KeyObject } from 'node:crypto';
import { ctEqual } from '../util/ct.js';
import { bigToBytes, bytesToBig, modPow } from './bigint.js';
import { digest, HASH_LENGTH, type HashName } from './hash.js';

/** RSAVP1: s^e mod n as k octets, plus the modulus bit length; undefined if s is out of range. */
export function rsaPublicRaw(pub: KeyObject, signature: Uint8Array): { em: Uint8Array; modBits: number } | undefined {
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) return undefined;
  const nBytes = Buffer.from(jwk.n, 'base64url');
  const n = bytesToBig(nBytes);
  const e = bytesToBig(Buffer.from(jwk.e, 'base64url'));
  const k = nBytes.length;
  if (signature.length !== k) return undefined;
  const s = bytesToBig(signature);
  if (s >= n) return undefined;
  return { em: bigToBytes(modPow(s, e, n), k), modBits: n.toString(2).length };
}

function mgf1(hash: HashName, seed: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const hl = HASH_LENGTH[hash];
  const buf = new Uint8Array(seed.length + 4);
  buf.set(seed);
  for (let c = 0, off = 0; off < len; c++, off += hl) {
    new DataView(buf.buffer).setUint32(seed.length, c);
    out.set(digest(hash, buf, 'noble').subarray(0, Math.min(hl, len - off)), off);
  }
  return out;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) on the k-octet RSAVP1 output `emFull`. */
export function emsaPssVerify(
  mHash: Uint8Array,
  emFull: Uint8Array,
  emBits: number,
  hash: HashName,
  mgfHash: HashName,
  sLen: number,
): boolean {
  const emLen = Math.ceil(emBits / 8);
  // When emBits is a multiple of 8 the leading octet of the k-octet value must be zero.
  for (let i = 0; i < emFull.length - emLen; i++) if (emFull[i] !== 0) return false;
  const em = emFull.subarray(emFull.length - emLen);
  const hLen = HASH_LENGTH[hash];
  if (emLen < hLen + sLen + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask & 0xff) !== 0) return false;
  const db = mgf1(mgfHash, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDb[i]!;
  db[0]! &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const mPrime = new Uint8Array(8 + hLen + sLen);
  mPrime.set(mHash, 8);
  mPrime.set(salt, 8 + hLen);
  return ctEqual(digest(hash, mPrime, 'noble'), h);
}
