/**
 * MODP Diffie-Hellman (RFC 3526 groups) over `node:crypto` or plain BigInt arithmetic ("noble"
 * backend: there is no noble MODP, the pure-TypeScript path is BigInt modpow).
 * RFC 6989 §2.1: the peer value must satisfy 1 < y < p-1; KE data has exactly the prime length.
 */
import { createDiffieHellman, randomBytes } from 'node:crypto';
import { CryptoError } from '../errors.js';
import { KeGroup } from '../iana/ikev2.js';
import { fromHex } from '../util/bytes.js';
import { type Backend, toU8 } from './backend.js';
import { bigToBytes, bytesToBig, modPow } from './bigint.js';
import type { KeyExchange } from './ke.js';
import { MODP_GROUPS } from './modp-groups.js';

/** MODP groups this module serves. */
export const MODP_GROUP_IDS = [KeGroup.MODP_2048, KeGroup.MODP_3072, KeGroup.MODP_4096, KeGroup.MODP_6144, KeGroup.MODP_8192] as const;

/** Private exponent length in bytes: twice the group's symmetric strength (RFC 3526 §8, RFC 7296 §2.12 advice). */
const EXPONENT_BYTES = { 14: 32, 15: 48, 16: 64, 17: 64, 18: 64 } as const;

/** RFC 6989 §2.1 check of a peer MODP value; returns it as a bigint. */
export function validateModpPublic(peer: Uint8Array, prime: bigint, len: number): bigint {
  if (peer.length !== len) {
    throw new CryptoError('INVALID_KE_PUBLIC', `MODP: KE data must be ${len} bytes, got ${peer.length}`);
  }
  const y = bytesToBig(peer);
  if (y <= 1n || y >= prime - 1n) throw new CryptoError('INVALID_KE_PUBLIC', 'MODP: peer value outside 1 < y < p-1');
  return y;
}

/** MODP key exchange for `group`. */
export function createModpKeyExchange(group: number, backend: Backend, privateKey?: Uint8Array): KeyExchange {
  const def = (MODP_GROUPS as Readonly<Record<number, { bits: number; generator: number; prime: string }>>)[group];
  if (def === undefined) throw new CryptoError('UNSUPPORTED_KE', `MODP group ${group} is not supported`);
  const len = def.bits / 8;
  const primeBytes = fromHex(def.prime);
  const prime = bytesToBig(primeBytes);
  const priv = privateKey ?? randomBytes((EXPONENT_BYTES as Readonly<Record<number, number>>)[group] ?? 64);
  if (backend === 'node') {
    const dh = createDiffieHellman(primeBytes, Uint8Array.of(def.generator));
    dh.setPrivateKey(priv);
    dh.generateKeys();
    const publicKey = bigToBytes(bytesToBig(dh.getPublicKey()), len);
    return {
      group,
      publicKey,
      computeSharedSecret(peer) {
        validateModpPublic(peer, prime, len);
        return bigToBytes(bytesToBig(dh.computeSecret(peer)), len);
      },
    };
  }
  const x = bytesToBig(priv);
  const publicKey = bigToBytes(modPow(BigInt(def.generator), x, prime), len);
  return {
    group,
    publicKey: toU8(publicKey),
    computeSharedSecret(peer) {
      const y = validateModpPublic(peer, prime, len);
      return bigToBytes(modPow(y, x, prime), len);
    },
  };
}
