/**
 * IKEv2 AUTH payload computation and verification (RFC 7296 §2.15, §3.8):
 *   - the signed octets: RealMessage | peer's Nonce data | prf(SK_p, RestOfIDPayload);
 *   - method 1 (RSA PKCS#1 v1.5, SHA-1 DigestInfo), method 2 (shared key MIC),
 *     methods 9-11 (ECDSA with raw r | s, RFC 4754) and method 14 (RFC 7427: AUTH data =
 *     AlgorithmIdentifier length (1) | AlgorithmIdentifier DER | signature).
 */
import type { KeyObject } from 'node:crypto';
import { CryptoError, ParseError } from '../errors.js';
import { AuthMethod, HashAlgorithm } from '../iana/ikev2.js';
import { concat } from '../util/bytes.js';
import { ctEqual } from '../util/ct.js';
import type { Backend } from './backend.js';
import type { Prf } from './prf.js';
import { encodeAlgorithmIdentifier, parseAlgorithmIdentifier } from './algid.js';
import { createSignature, toPrivateKey, toPublicKey, verifySignature, type KeyInput, type SignatureScheme } from './signature.js';

/** Inputs of the signed octets (RFC 7296 §2.15). */
export interface SignedOctetsParams {
  /** The whole first message this side sent (IKE_SA_INIT request for the initiator, response for the responder). */
  readonly realMessage: Uint8Array;
  /** The peer's Nonce data (Nr for the initiator's octets, Ni for the responder's). */
  readonly nonce: Uint8Array;
  /** Negotiated PRF. */
  readonly prf: Prf;
  /** SK_pi (initiator's octets) or SK_pr (responder's). */
  readonly skP: Uint8Array;
  /** RestOfIDPayload: the ID payload body after the generic header (ID Type, 3 reserved, ID data). */
  readonly idPayloadBody: Uint8Array;
}

/** InitiatorSignedOctets / ResponderSignedOctets (RFC 7296 §2.15). */
export function signedOctets(p: SignedOctetsParams): Uint8Array {
  const macedId = p.prf.compute(p.skP, p.idPayloadBody);
  return concat(p.realMessage, p.nonce, macedId);
}

const KEY_PAD = 'Key Pad for IKEv2';

/** Method 2 AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), octets) (RFC 7296 §2.15). */
export function pskAuth(prf: Prf, sharedSecret: Uint8Array, octets: Uint8Array): Uint8Array {
  const k = prf.compute(sharedSecret, new TextEncoder().encode(KEY_PAD));
  const auth = prf.compute(k, octets);
  k.fill(0);
  return auth;
}

/** Verify method 2 AUTH data in constant time. */
export function verifyPskAuth(prf: Prf, sharedSecret: Uint8Array, octets: Uint8Array, authData: Uint8Array): boolean {
  return ctEqual(pskAuth(prf, sharedSecret, octets), authData);
}

/** Parsed method 14 AUTH data. */
export interface DigitalSignatureAuth {
  /** DER AlgorithmIdentifier as received. */
  readonly algorithmIdentifier: Uint8Array;
  /** The scheme it names, or undefined if Kite does not support it. */
  readonly scheme: SignatureScheme | undefined;
  /** Signature octets. */
  readonly signature: Uint8Array;
}

/** Split method 14 AUTH data (RFC 7427 §3). Throws `ParseError` when malformed. */
export function parseDigitalSignatureAuth(authData: Uint8Array): DigitalSignatureAuth {
  const len = authData[0];
  if (len === undefined || len === 0) throw new ParseError('TRUNCATED', 'AUTH.algorithmIdentifierLength', 0);
  if (1 + len > authData.length) throw new ParseError('BAD_LENGTH', 'AUTH.algorithmIdentifier', 1, `${len} bytes announced`);
  const algorithmIdentifier = authData.subarray(1, 1 + len);
  return { algorithmIdentifier, scheme: parseAlgorithmIdentifier(algorithmIdentifier), signature: authData.subarray(1 + len) };
}

/** Build method 14 AUTH data from a scheme and a signature. */
export function encodeDigitalSignatureAuth(scheme: SignatureScheme, signature: Uint8Array): Uint8Array {
  const algId = encodeAlgorithmIdentifier(scheme);
  return concat(Uint8Array.of(algId.length), algId, signature);
}

const ECDSA_METHODS = {
  [AuthMethod.ECDSA_SHA256_P256]: { hash: 'sha256', curve: 'P-256' },
  [AuthMethod.ECDSA_SHA384_P384]: { hash: 'sha384', curve: 'P-384' },
  [AuthMethod.ECDSA_SHA512_P521]: { hash: 'sha512', curve: 'P-521' },
} as const;

function ecCurve(key: KeyObject): string | undefined {
  const c = key.asymmetricKeyDetails?.namedCurve;
  return c === 'prime256v1' ? 'P-256' : c === 'secp384r1' ? 'P-384' : c === 'secp521r1' ? 'P-521' : undefined;
}

/** The method 14 scheme Kite picks for a key: RSA -> sha256WithRSAEncryption, EC -> ecdsa-with-SHA2 of the curve size, Ed25519. */
export function defaultSchemeFor(key: KeyObject): SignatureScheme {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { kind: 'rsa-pkcs1', hash: 'sha256' };
    case 'ec': {
      const curve = ecCurve(key);
      return { kind: 'ecdsa', hash: curve === 'P-384' ? 'sha384' : curve === 'P-521' ? 'sha512' : 'sha256', encoding: 'der' };
    }
    case 'ed25519':
      return { kind: 'ed25519' };
    default:
      throw new CryptoError('UNSUPPORTED_SIGNATURE', `no signature scheme for ${key.asymmetricKeyType ?? 'unknown'} keys`);
  }
}

function methodScheme(method: number, key: KeyObject): SignatureScheme {
  if (method === AuthMethod.RSA_DIGITAL_SIGNATURE) return { kind: 'rsa-pkcs1', hash: 'sha1' };
  const ec = (ECDSA_METHODS as Readonly<Record<number, { hash: 'sha256' | 'sha384' | 'sha512'; curve: string }>>)[method];
  if (ec === undefined) throw new CryptoError('UNSUPPORTED_AUTH_METHOD', `AUTH method ${method} is not a signature method Kite supports`);
  if (ecCurve(key) !== ec.curve) throw new CryptoError('BAD_KEY', `AUTH method ${method} needs a ${ec.curve} key`);
  return { kind: 'ecdsa', hash: ec.hash, encoding: 'p1363' };
}

/** Parameters of {@link sign}. */
export interface SignParams {
  /** AUTH method: 1, 9, 10, 11 or 14. */
  readonly method: number;
  /** Signer's private key. */
  readonly privateKey: KeyInput;
  /** The signed octets. */
  readonly octets: Uint8Array;
  /** Method 14 only: scheme to use (default from the key, see {@link defaultSchemeFor}). */
  readonly scheme?: SignatureScheme;
  /** Backend for ECDSA / Ed25519. */
  readonly backend?: Backend;
}

/** Compute AUTH data for a signature method. */
export function sign(p: SignParams): Uint8Array {
  const key = toPrivateKey(p.privateKey);
  if (p.method === AuthMethod.DIGITAL_SIGNATURE) {
    const scheme = p.scheme ?? defaultSchemeFor(key);
    return encodeDigitalSignatureAuth(scheme, createSignature(scheme, key, p.octets, p.backend));
  }
  return createSignature(methodScheme(p.method, key), key, p.octets, p.backend);
}

/** Parameters of {@link verify}. */
export interface VerifyParams {
  /** AUTH method from the payload. */
  readonly method: number;
  /** AUTH data from the payload. */
  readonly authData: Uint8Array;
  /** The peer's public key (from its certificate). */
  readonly publicKey: KeyInput;
  /** The signed octets the peer should have signed. */
  readonly octets: Uint8Array;
  /** Method 14: accept only these scheme kinds/hashes (policy); default accepts all but SHA-1. */
  readonly accept?: (scheme: SignatureScheme) => boolean;
  /** Backend for ECDSA / Ed25519 / PSS. */
  readonly backend?: Backend;
}

/** Verify AUTH data of a signature method; false for any bad, malformed or unsupported signature. */
export function verify(p: VerifyParams): boolean {
  const key = toPublicKey(p.publicKey);
  try {
    if (p.method === AuthMethod.DIGITAL_SIGNATURE) {
      const auth = parseDigitalSignatureAuth(p.authData);
      const scheme = auth.scheme;
      if (scheme === undefined) return false;
      const accept = p.accept ?? ((s: SignatureScheme) => s.kind === 'ed25519' || s.hash !== 'sha1');
      if (!accept(scheme)) return false;
      return verifySignature(scheme, key, p.octets, auth.signature, p.backend);
    }
    return verifySignature(methodScheme(p.method, key), key, p.octets, p.authData, p.backend);
  } catch (e) {
    if (e instanceof ParseError || e instanceof CryptoError) return false;
    throw e;
  }
}

/** Hash algorithms Kite announces in SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4; RFC 8420 Identity for Ed25519). */
export const SUPPORTED_SIGNATURE_HASHES = [HashAlgorithm.SHA2_256, HashAlgorithm.SHA2_384, HashAlgorithm.SHA2_512, HashAlgorithm.IDENTITY] as const;

/** The RFC 7427 hash ID a method 14 scheme uses (Identity for Ed25519), for matching the peer's notify. */
export function signatureHashId(scheme: SignatureScheme): number {
  if (scheme.kind === 'ed25519') return HashAlgorithm.IDENTITY;
  const ids = { sha1: HashAlgorithm.SHA1, sha224: -1, sha256: HashAlgorithm.SHA2_256, sha384: HashAlgorithm.SHA2_384, sha512: HashAlgorithm.SHA2_512 } as const;
  return ids[scheme.hash];
}
