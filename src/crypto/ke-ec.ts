/**
 * Elliptic-curve key exchange for IKE: ECP groups 19/20/21 (RFC 5903: KE data x | y without the
 * 0x04 prefix, shared secret = x) and Curve25519 (RFC 8031: raw 32-byte u, all-zero secret
 * rejected). Peer points are checked to lie on the curve (RFC 6989 §2.3).
 */
import { createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { CryptoError } from '../errors.js';
import { KeGroup } from '../iana/ikev2.js';
import { concat } from '../util/bytes.js';
import { type Backend, toU8 } from './backend.js';
import type { KeyExchange } from './ke.js';

/** ECP groups: OpenSSL curve name, field length in bytes. */
export const ECP_CURVES = {
  [KeGroup.ECP_256]: { openssl: 'prime256v1', fieldLength: 32 },
  [KeGroup.ECP_384]: { openssl: 'secp384r1', fieldLength: 48 },
  [KeGroup.ECP_521]: { openssl: 'secp521r1', fieldLength: 66 },
} as const;

const NOBLE_CURVES = { [KeGroup.ECP_256]: p256, [KeGroup.ECP_384]: p384, [KeGroup.ECP_521]: p521 } as const;

function invalid(detail: string): CryptoError {
  return new CryptoError('INVALID_KE_PUBLIC', detail);
}

/** Left-pad or strip leading zero octets so a big-endian scalar is exactly `len` bytes. */
function fixScalar(priv: Uint8Array, len: number): Uint8Array {
  let start = 0;
  while (priv.length - start > len && priv[start] === 0) start++;
  if (priv.length - start > len) throw new CryptoError('BAD_PRIVATE_KEY', `private scalar longer than ${len} bytes`);
  const out = new Uint8Array(len);
  out.set(priv.subarray(start), len - (priv.length - start));
  return out;
}

/** ECP (RFC 5903) key exchange for group 19, 20 or 21. */
export function createEcpKeyExchange(group: number, backend: Backend, privateKey?: Uint8Array): KeyExchange {
  const curve = (ECP_CURVES as Readonly<Record<number, { openssl: string; fieldLength: number }>>)[group];
  if (curve === undefined) throw new CryptoError('UNSUPPORTED_KE', `ECP group ${group} is not supported`);
  const flen = curve.fieldLength;
  const checkLength = (peer: Uint8Array): Uint8Array => {
    if (peer.length !== 2 * flen) throw invalid(`ECP: KE data must be ${2 * flen} bytes (x | y), got ${peer.length}`);
    return concat(Uint8Array.of(0x04), peer);
  };
  if (backend === 'node') {
    const ecdh = createECDH(curve.openssl);
    if (privateKey !== undefined) ecdh.setPrivateKey(fixScalar(privateKey, flen));
    else ecdh.generateKeys();
    return {
      group,
      publicKey: toU8(ecdh.getPublicKey().subarray(1)),
      computeSharedSecret(peer) {
        const point = checkLength(peer);
        try {
          return toU8(ecdh.computeSecret(point));
        } catch {
          throw invalid('ECP: peer point is not on the curve');
        }
      },
    };
  }
  const noble = NOBLE_CURVES[group as keyof typeof NOBLE_CURVES];
  const priv = privateKey !== undefined ? fixScalar(privateKey, flen) : noble.utils.randomSecretKey();
  if (!noble.utils.isValidSecretKey(priv)) throw new CryptoError('BAD_PRIVATE_KEY', 'ECP: private scalar out of range');
  // The public value costs a scalar multiplication: computed on first use, once.
  let pub: Uint8Array | undefined;
  return {
    group,
    get publicKey(): Uint8Array {
      pub ??= noble.getPublicKey(priv, false).slice(1);
      return pub;
    },
    computeSharedSecret(peer) {
      const point = checkLength(peer);
      let shared: Uint8Array;
      try {
        shared = noble.getSharedSecret(priv, point, true);
      } catch {
        throw invalid('ECP: peer point is not on the curve');
      }
      return shared.slice(1);
    },
  };
}

const X25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const X25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

function rejectZero(shared: Uint8Array): Uint8Array {
  let acc = 0;
  for (const b of shared) acc |= b;
  if (acc === 0) throw invalid('X25519: all-zero shared secret (low-order peer value, RFC 8031 §2)');
  return shared;
}

/** Curve25519 (RFC 8031) key exchange. */
export function createX25519KeyExchange(backend: Backend, privateKey?: Uint8Array): KeyExchange {
  if (privateKey !== undefined && privateKey.length !== 32) throw new CryptoError('BAD_PRIVATE_KEY', `X25519: private key must be 32 bytes, got ${privateKey.length}`);
  const check = (peer: Uint8Array): void => {
    if (peer.length !== 32) throw invalid(`X25519: KE data must be 32 bytes, got ${peer.length}`);
  };
  if (backend === 'node') {
    const pair =
      privateKey === undefined
        ? generateKeyPairSync('x25519')
        : (() => {
            const k = createPrivateKey({ key: Buffer.from(concat(X25519_PKCS8_PREFIX, privateKey)), format: 'der', type: 'pkcs8' });
            return { privateKey: k, publicKey: createPublicKey(k) };
          })();
    const key = pair.privateKey;
    const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
    return {
      group: KeGroup.CURVE25519,
      publicKey: toU8(spki.subarray(spki.length - 32)),
      computeSharedSecret(peer) {
        check(peer);
        const publicKey = createPublicKey({ key: Buffer.from(concat(X25519_SPKI_PREFIX, peer)), format: 'der', type: 'spki' });
        let shared: Uint8Array;
        try {
          shared = toU8(diffieHellman({ privateKey: key, publicKey }));
        } catch {
          throw invalid('X25519: key agreement failed (low-order peer value)');
        }
        return rejectZero(shared);
      },
    };
  }
  const priv = privateKey ?? x25519.utils.randomSecretKey();
  let pub: Uint8Array | undefined;
  return {
    group: KeGroup.CURVE25519,
    get publicKey(): Uint8Array {
      pub ??= x25519.getPublicKey(priv);
      return pub;
    },
    computeSharedSecret(peer) {
      check(peer);
      let shared: Uint8Array;
      try {
        shared = x25519.getSharedSecret(priv, peer);
      } catch {
        throw invalid('X25519: key agreement failed (low-order peer value)');
      }
      return rejectZero(shared);
    },
  };
}
