import { generateKeyPairSync, randomBytes, createHmac, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParseError } from '../errors.js';
import { AuthMethod, HashAlgorithm, PrfId } from '../iana/ikev2.js';
import { concat, toHex } from '../util/bytes.js';
import { encodeAlgorithmIdentifier, parseAlgorithmIdentifier } from './algid.js';
import { BACKENDS } from './backend.js';
import { createPrf } from './prf.js';
import { parseDigitalSignatureAuth, pskAuth, sign, signatureHashId, signedOctets, SUPPORTED_SIGNATURE_HASHES, verify, verifyPskAuth } from './sign.js';
import type { SignatureScheme } from './signature.js';

/** Random bytes as a plain Uint8Array (Buffer#slice would alias). */
const rnd = (n: number): Uint8Array => Uint8Array.from(randomBytes(n));

// Keys generated once per file (RSA keygen is slow).
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ec384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const ec521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
const ed = generateKeyPairSync('ed25519');

const prf = createPrf(PrfId.PRF_HMAC_SHA2_256);

describe('signed octets and PSK (RFC 7296 §2.15)', () => {
  it('octets = RealMessage | Nonce | prf(SK_p, RestOfIDPayload)', () => {
    const realMessage = rnd(300);
    const nonce = rnd(32);
    const skP = rnd(32);
    const idPayloadBody = rnd(12);
    const o = signedOctets({ realMessage, nonce, prf, skP, idPayloadBody });
    expect(toHex(o)).toBe(toHex(concat(realMessage, nonce, createHmac('sha256', skP).update(idPayloadBody).digest())));
  });
  it('PSK AUTH = prf(prf(secret, "Key Pad for IKEv2"), octets), verified in constant time', () => {
    const secret = new TextEncoder().encode('correct horse');
    const octets = rnd(100);
    const padKey = createHmac('sha256', secret).update('Key Pad for IKEv2').digest();
    const auth = pskAuth(prf, secret, octets);
    expect(toHex(auth)).toBe(createHmac('sha256', padKey).update(octets).digest('hex'));
    expect(verifyPskAuth(prf, secret, octets, auth)).toBe(true);
    const bad = auth.slice();
    bad[5]! ^= 1;
    expect(verifyPskAuth(prf, secret, octets, bad)).toBe(false);
    expect(verifyPskAuth(prf, secret, octets, auth.subarray(1))).toBe(false);
  });
});

const METHOD14: readonly [string, KeyObject, KeyObject, SignatureScheme][] = [
  ['sha256WithRSAEncryption', rsa.privateKey, rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'sha256' }],
  ['sha512WithRSAEncryption', rsa.privateKey, rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'sha512' }],
  ['RSASSA-PSS sha256', rsa.privateKey, rsa.publicKey, { kind: 'rsa-pss', hash: 'sha256', mgf1Hash: 'sha256', saltLength: 32 }],
  ['RSASSA-PSS sha384', rsa.privateKey, rsa.publicKey, { kind: 'rsa-pss', hash: 'sha384', mgf1Hash: 'sha384', saltLength: 48 }],
  ['ecdsa-with-SHA256', ec256.privateKey, ec256.publicKey, { kind: 'ecdsa', hash: 'sha256', encoding: 'der' }],
  ['ecdsa-with-SHA384', ec384.privateKey, ec384.publicKey, { kind: 'ecdsa', hash: 'sha384', encoding: 'der' }],
  ['ecdsa-with-SHA512', ec521.privateKey, ec521.publicKey, { kind: 'ecdsa', hash: 'sha512', encoding: 'der' }],
  ['Ed25519', ed.privateKey, ed.publicKey, { kind: 'ed25519' }],
];

describe.each(METHOD14)('AUTH method 14 with %s', (_name, priv, pub, scheme) => {
  it.each(BACKENDS)('signs on %s and verifies on both backends; tampering fails', (backend) => {
    const octets = rnd(200);
    const auth = sign({ method: AuthMethod.DIGITAL_SIGNATURE, privateKey: priv, octets, scheme, backend });
    const parsed = parseDigitalSignatureAuth(auth);
    expect(parsed.scheme).toEqual(scheme);
    expect(toHex(parsed.algorithmIdentifier)).toBe(toHex(encodeAlgorithmIdentifier(scheme)));
    for (const b of BACKENDS) {
      expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: auth, publicKey: pub, octets, backend: b })).toBe(true);
      const o2 = octets.slice();
      o2[0]! ^= 1;
      expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: auth, publicKey: pub, octets: o2, backend: b })).toBe(false);
      const a2 = auth.slice();
      a2[a2.length - 1]! ^= 1;
      expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: a2, publicKey: pub, octets, backend: b })).toBe(false);
    }
  });
});

describe('AUTH methods 1 and 9-11', () => {
  it('method 1: RSA PKCS#1 v1.5 with SHA-1', () => {
    const octets = rnd(64);
    const auth = sign({ method: AuthMethod.RSA_DIGITAL_SIGNATURE, privateKey: rsa.privateKey, octets });
    expect(auth.length).toBe(256);
    expect(verify({ method: AuthMethod.RSA_DIGITAL_SIGNATURE, authData: auth, publicKey: rsa.publicKey, octets })).toBe(true);
    expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: auth, publicKey: rsa.publicKey, octets })).toBe(false);
  });
  it.each([
    [AuthMethod.ECDSA_SHA256_P256, ec256, 64],
    [AuthMethod.ECDSA_SHA384_P384, ec384, 96],
    [AuthMethod.ECDSA_SHA512_P521, ec521, 132],
  ] as const)('method %i: raw r | s on both backends', (method, kp, len) => {
    for (const backend of BACKENDS) {
      const octets = rnd(64);
      const auth = sign({ method, privateKey: kp.privateKey, octets, backend });
      expect(auth.length).toBe(len);
      for (const b of BACKENDS) expect(verify({ method, authData: auth, publicKey: kp.publicKey, octets, backend: b })).toBe(true);
      expect(verify({ method, authData: auth.subarray(1), publicKey: kp.publicKey, octets })).toBe(false);
    }
    expect(verify({ method, authData: new Uint8Array(len), publicKey: ec256.publicKey === kp.publicKey ? ec384.publicKey : ec256.publicKey, octets: new Uint8Array(1) })).toBe(false);
  });
  it('SHA-1 method 14 schemes are refused by the default policy', () => {
    const octets = rnd(10);
    const auth = sign({ method: AuthMethod.DIGITAL_SIGNATURE, privateKey: rsa.privateKey, octets, scheme: { kind: 'rsa-pkcs1', hash: 'sha1' } });
    expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: auth, publicKey: rsa.publicKey, octets })).toBe(false);
    expect(verify({ method: AuthMethod.DIGITAL_SIGNATURE, authData: auth, publicKey: rsa.publicKey, octets, accept: () => true })).toBe(true);
  });
});

describe('AlgorithmIdentifier parser on untrusted bytes', () => {
  it('returns a scheme, undefined, or throws ParseError — nothing else', () => {
    const seeds = METHOD14.map(([, , , s]) => encodeAlgorithmIdentifier(s));
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), (seed, edits, cut) => {
        const b = seed.slice(0, Math.max(0, seed.length - (cut % 4)));
        for (const [i, v] of edits) if (b.length > 0) b[i % b.length] = v;
        try {
          parseAlgorithmIdentifier(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          parseDigitalSignatureAuth(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('re-encodes what it parses (PSS defaults omitted per DER)', () => {
    const s: SignatureScheme = { kind: 'rsa-pss', hash: 'sha1', mgf1Hash: 'sha1', saltLength: 20 };
    expect(toHex(encodeAlgorithmIdentifier(s))).toBe('300d06092a864886f70d01010a3000');
    expect(parseAlgorithmIdentifier(encodeAlgorithmIdentifier(s))).toEqual(s);
  });
});

describe('RFC 7427 hash IDs', () => {
  it('maps schemes to SIGNATURE_HASH_ALGORITHMS values', () => {
    expect(signatureHashId({ kind: 'ed25519' })).toBe(HashAlgorithm.IDENTITY);
    expect(signatureHashId({ kind: 'rsa-pss', hash: 'sha384', mgf1Hash: 'sha384', saltLength: 48 })).toBe(HashAlgorithm.SHA2_384);
    expect(signatureHashId({ kind: 'ecdsa', hash: 'sha256', encoding: 'der' })).toBe(HashAlgorithm.SHA2_256);
    expect(SUPPORTED_SIGNATURE_HASHES).toContain(HashAlgorithm.SHA2_512);
  });
});
