/**
 * Signature primitives behind IKE AUTH: RSASSA-PKCS1-v1_5, RSASSA-PSS (RFC 8017), ECDSA over
 * P-256/384/521 with DER or IEEE P1363 (r | s) encoding, and Ed25519 (RFC 8032).
 * `node` runs all of them through OpenSSL; `noble` runs ECDSA and Ed25519 through @noble/curves
 * and RSASSA-PSS verification through a BigInt RSAVP1 + EMSA-PSS-VERIFY (any MGF1 hash). RSA
 * PKCS#1 v1.5 and all RSA signing are node only.
 */
import { constants, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoError } from '../errors.js';
import { concat } from '../util/bytes.js';
import { type Backend, DEFAULT_BACKEND, toU8 } from './backend.js';
import { digest, HASH_LENGTH, type HashName } from './hash.js';
import { emsaPssVerify, rsaPublicRaw } from './rsa-pss.js';

/** A signature algorithm with all its parameters. */
export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly mgf1Hash: HashName; readonly saltLength: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName; readonly encoding: 'der' | 'p1363' }
  | { readonly kind: 'ed25519' };

/** A key as node `KeyObject`, PEM text or DER bytes (SPKI for public, PKCS#8 for private). */
export type KeyInput = KeyObject | string | Uint8Array;

/** Normalise a public key input (a private key yields its public half). */
export function toPublicKey(key: KeyInput): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array) return createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** Normalise a private key input. */
export function toPrivateKey(key: KeyInput): KeyObject {
  if (typeof key === 'string') return createPrivateKey(key);
  if (key instanceof Uint8Array) return createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
  if (key.type !== 'private') throw new CryptoError('BAD_KEY', 'a private key is required for signing');
  return key;
}

const NOBLE_EC = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

function b64u(s: string | undefined): Uint8Array {
  if (s === undefined) throw new CryptoError('BAD_KEY', 'key lacks a JWK component');
  return toU8(Buffer.from(s, 'base64url'));
}

function ecJwk(key: KeyObject): { curve: (typeof NOBLE_EC)[keyof typeof NOBLE_EC]; jwk: { x?: string; y?: string; d?: string } } {
  const jwk = key.export({ format: 'jwk' });
  const curve = NOBLE_EC[jwk.crv as keyof typeof NOBLE_EC];
  if (key.asymmetricKeyType !== 'ec' || curve === undefined) throw new CryptoError('BAD_KEY', `ECDSA needs a P-256/384/521 key, got ${key.asymmetricKeyType ?? '?'}`);
  return { curve, jwk };
}

function keyTypeCheck(scheme: SignatureScheme, key: KeyObject): void {
  const t = key.asymmetricKeyType;
  const ok = scheme.kind === 'ecdsa' ? t === 'ec' : scheme.kind === 'ed25519' ? t === 'ed25519' : t === 'rsa' || t === 'rsa-pss';
  if (!ok) throw new CryptoError('BAD_KEY', `${scheme.kind} cannot use a ${t ?? 'unknown'} key`);
}

/** Verify `signature` over `data`. Returns false for any invalid or malformed signature. */
export function verifySignature(scheme: SignatureScheme, key: KeyInput, data: Uint8Array, signature: Uint8Array, backend: Backend = DEFAULT_BACKEND.ecdsa): boolean {
  const pub = toPublicKey(key);
  keyTypeCheck(scheme, pub);
  try {
    switch (scheme.kind) {
      case 'rsa-pkcs1':
        return nodeVerify(scheme.hash, data, { key: pub, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        if (backend === 'node' && scheme.mgf1Hash === scheme.hash && pub.asymmetricKeyType === 'rsa') {
          return nodeVerify(scheme.hash, data, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }, signature);
        }
        return verifyPssPure(scheme, pub, data, signature);
      case 'ecdsa':
        if (backend === 'node') {
          return nodeVerify(scheme.hash, data, { key: pub, dsaEncoding: scheme.encoding === 'der' ? 'der' : 'ieee-p1363' }, signature);
        }
        return verifyEcdsaNoble(scheme, pub, data, signature);
      case 'ed25519':
        if (backend === 'node') return nodeVerify(null, data, pub, signature);
        return ed25519.verify(signature, data, b64u(pub.export({ format: 'jwk' }).x), { zip215: false });
    }
  } catch {
    return false;
  }
}

function verifyPssPure(scheme: Extract<SignatureScheme, { kind: 'rsa-pss' }>, pub: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const raw = rsaPublicRaw(pub, signature);
  if (raw === undefined) return false;
  return emsaPssVerify(digest(scheme.hash, data), raw.em, raw.modBits - 1, scheme.hash, scheme.mgf1Hash, scheme.saltLength);
}

function verifyEcdsaNoble(scheme: Extract<SignatureScheme, { kind: 'ecdsa' }>, pub: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const { curve, jwk } = ecJwk(pub);
  const point = concat(Uint8Array.of(4), b64u(jwk.x), b64u(jwk.y));
  const fieldLen = curve.lengths.secretKey ?? 32;
  if (scheme.encoding === 'p1363' && signature.length !== 2 * fieldLen) return false;
  return curve.verify(signature, digest(scheme.hash, data, 'noble'), point, {
    prehash: false,
    lowS: false,
    format: scheme.encoding === 'der' ? 'der' : 'compact',
  });
}

/** Sign `data` under `scheme`. */
export function createSignature(scheme: SignatureScheme, key: KeyInput, data: Uint8Array, backend: Backend = DEFAULT_BACKEND.ecdsa): Uint8Array {
  const priv = toPrivateKey(key);
  keyTypeCheck(scheme, priv);
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return toU8(nodeSign(scheme.hash, data, { key: priv, padding: constants.RSA_PKCS1_PADDING }));
    case 'rsa-pss':
      if (scheme.mgf1Hash !== scheme.hash) throw new CryptoError('UNSUPPORTED_SIGNATURE', 'RSASSA-PSS signing needs MGF1 with the message hash');
      return toU8(nodeSign(scheme.hash, data, { key: priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }));
    case 'ecdsa': {
      if (backend === 'node') {
        return toU8(nodeSign(scheme.hash, data, { key: priv, dsaEncoding: scheme.encoding === 'der' ? 'der' : 'ieee-p1363' }));
      }
      const { curve, jwk } = ecJwk(priv);
      return curve.sign(digest(scheme.hash, data, 'noble'), b64u(jwk.d), {
        prehash: false,
        format: scheme.encoding === 'der' ? 'der' : 'compact',
      });
    }
    case 'ed25519':
      if (backend === 'node') return toU8(nodeSign(null, data, priv));
      return ed25519.sign(data, b64u(priv.export({ format: 'jwk' }).d));
  }
}

/** Hash output lengths, re-exported for PSS salt defaults (salt length = hash length, RFC 7427 §A.4). */
export const PSS_DEFAULT_SALT = HASH_LENGTH;
