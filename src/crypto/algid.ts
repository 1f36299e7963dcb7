/**
 * RFC 7427 §3 AlgorithmIdentifier for AUTH method 14 (Digital Signature): build the DER for a
 * {@link SignatureScheme} and parse a received one back. OIDs: RFC 8017 App. C (RSA, PSS,
 * MGF1), RFC 5758 §3.2 (ecdsa-with-SHA2), RFC 8410 §3 (Ed25519), NIST (SHA-2).
 */
import { CryptoError, ParseError } from '../errors.js';
import { concat } from '../util/bytes.js';
import { derChildren, derOid, derRead, derTlv, DerTag, oidToString } from './der.js';
import type { HashName } from './hash.js';
import type { SignatureScheme } from './signature.js';

/** Object identifiers used in AUTH AlgorithmIdentifiers. */
export const Oid = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha224WithRSAEncryption: '1.2.840.113549.1.1.14',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaWithSha224: '1.2.840.10045.4.3.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
} as const;

const RSA_PKCS1_OID = { sha1: Oid.sha1WithRSAEncryption, sha224: Oid.sha224WithRSAEncryption, sha256: Oid.sha256WithRSAEncryption, sha384: Oid.sha384WithRSAEncryption, sha512: Oid.sha512WithRSAEncryption } as const;
const ECDSA_OID = { sha224: Oid.ecdsaWithSha224, sha256: Oid.ecdsaWithSha256, sha384: Oid.ecdsaWithSha384, sha512: Oid.ecdsaWithSha512 } as const;
const NULL = Uint8Array.of(DerTag.NULL, 0);

function hashAlgId(hash: HashName): Uint8Array {
  return derTlv(DerTag.SEQUENCE, concat(derOid(Oid[hash]), NULL));
}

function encodeInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return derTlv(DerTag.INTEGER, Uint8Array.from(bytes));
}

/**
 * DER AlgorithmIdentifier for `scheme`. RSASSA-PSS parameters list hash, MGF1 and salt length
 * explicitly (SHA-1 and salt 20 are DER defaults and are omitted, X.690 §11.5).
 */
export function encodeAlgorithmIdentifier(scheme: SignatureScheme): Uint8Array {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return derTlv(DerTag.SEQUENCE, concat(derOid(RSA_PKCS1_OID[scheme.hash]), NULL));
    case 'ecdsa': {
      if (scheme.hash === 'sha1') throw new CryptoError('UNSUPPORTED_SIGNATURE', 'ecdsa-with-SHA1 is not offered');
      return derTlv(DerTag.SEQUENCE, derOid(ECDSA_OID[scheme.hash]));
    }
    case 'ed25519':
      return derTlv(DerTag.SEQUENCE, derOid(Oid.ed25519));
    case 'rsa-pss': {
      const parts: Uint8Array[] = [];
      if (scheme.hash !== 'sha1') parts.push(derTlv(DerTag.CONTEXT_0, hashAlgId(scheme.hash)));
      if (scheme.mgf1Hash !== 'sha1') {
        parts.push(derTlv(DerTag.CONTEXT_1, derTlv(DerTag.SEQUENCE, concat(derOid(Oid.mgf1), hashAlgId(scheme.mgf1Hash)))));
      }
      if (scheme.saltLength !== 20) parts.push(derTlv(DerTag.CONTEXT_2, encodeInteger(scheme.saltLength)));
      return derTlv(DerTag.SEQUENCE, concat(derOid(Oid.rsassaPss), derTlv(DerTag.SEQUENCE, concat(...parts))));
    }
  }
}

const HASH_BY_OID: ReadonlyMap<string, HashName> = new Map<string, HashName>([
  [Oid.sha1, 'sha1'],
  [Oid.sha224, 'sha224'],
  [Oid.sha256, 'sha256'],
  [Oid.sha384, 'sha384'],
  [Oid.sha512, 'sha512'],
]);

function parseHashAlgId(buf: Uint8Array, field: string, base: number): HashName | undefined {
  const [oid, params, extra] = derChildren(buf, field, base);
  if (oid === undefined || oid.tag !== DerTag.OID || extra !== undefined) throw new ParseError('BAD_VALUE', field, base, 'malformed hash AlgorithmIdentifier');
  if (params !== undefined && (params.tag !== DerTag.NULL || params.value.length !== 0)) throw new ParseError('BAD_VALUE', field, base, 'hash parameters must be NULL');
  return HASH_BY_OID.get(oidToString(oid.value, oid.valueOffset));
}

function parseSmallInteger(v: Uint8Array, field: string, off: number): number {
  if (v.length === 0 || v.length > 4 || (v[0]! & 0x80) !== 0 || (v.length > 1 && v[0] === 0 && (v[1]! & 0x80) === 0)) {
    throw new ParseError('BAD_VALUE', field, off, 'bad INTEGER');
  }
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

function parsePssParams(buf: Uint8Array, base: number): SignatureScheme | undefined {
  let hash: HashName | undefined = 'sha1';
  let mgf1Hash: HashName | undefined = 'sha1';
  let saltLength = 20;
  let last = -1;
  for (const n of derChildren(buf, 'RSASSA-PSS-params', base)) {
    const slot = n.tag - DerTag.CONTEXT_0;
    if (slot < 0 || slot > 3 || slot <= last) throw new ParseError('BAD_VALUE', 'RSASSA-PSS-params', n.valueOffset, 'unexpected field');
    last = slot;
    const inner = derRead(n.value, 0, 'RSASSA-PSS-params');
    if (inner.end !== n.value.length) throw new ParseError('BAD_LENGTH', 'RSASSA-PSS-params', n.valueOffset, 'trailing bytes');
    if (slot === 0) hash = parseHashAlgId(inner.value, 'hashAlgorithm', n.valueOffset);
    if (slot === 1) {
      const [oid, params] = derChildren(inner.value, 'maskGenAlgorithm', n.valueOffset);
      if (oid?.tag !== DerTag.OID || params?.tag !== DerTag.SEQUENCE) throw new ParseError('BAD_VALUE', 'maskGenAlgorithm', n.valueOffset);
      if (oidToString(oid.value, oid.valueOffset) !== Oid.mgf1) return undefined;
      mgf1Hash = parseHashAlgId(params.value, 'mgf1Hash', params.valueOffset);
    }
    if (slot === 2 || slot === 3) {
      if (inner.tag !== DerTag.INTEGER) throw new ParseError('BAD_VALUE', 'RSASSA-PSS-params', n.valueOffset, 'INTEGER expected');
      const v = parseSmallInteger(inner.value, 'RSASSA-PSS-params', n.valueOffset);
      if (slot === 2) saltLength = v;
      else if (v !== 1) return undefined; // trailerField must be trailerFieldBC
    }
  }
  if (hash === undefined || mgf1Hash === undefined) return undefined;
  return { kind: 'rsa-pss', hash, mgf1Hash, saltLength };
}

/**
 * Parse a DER AlgorithmIdentifier into a scheme; `undefined` for a well-formed but unsupported
 * algorithm; `ParseError` for malformed DER. ECDSA comes back with `encoding: 'der'` (RFC 7427 §3).
 */
export function parseAlgorithmIdentifier(der: Uint8Array): SignatureScheme | undefined {
  const seq = derRead(der, 0, 'AlgorithmIdentifier');
  if (seq.tag !== DerTag.SEQUENCE || seq.end !== der.length) throw new ParseError('BAD_VALUE', 'AlgorithmIdentifier', 0, 'not one SEQUENCE');
  const [oidNode, params, extra] = derChildren(seq.value, 'AlgorithmIdentifier', seq.valueOffset);
  if (oidNode?.tag !== DerTag.OID || extra !== undefined) throw new ParseError('BAD_VALUE', 'AlgorithmIdentifier', seq.valueOffset, 'OID expected');
  const oid = oidToString(oidNode.value, oidNode.valueOffset);
  const nullOrAbsent = params === undefined || (params.tag === DerTag.NULL && params.value.length === 0);
  for (const [hash, o] of Object.entries(RSA_PKCS1_OID)) if (o === oid && nullOrAbsent) return { kind: 'rsa-pkcs1', hash: hash as HashName };
  for (const [hash, o] of Object.entries(ECDSA_OID)) if (o === oid && params === undefined) return { kind: 'ecdsa', hash: hash as HashName, encoding: 'der' };
  if (oid === Oid.ed25519 && params === undefined) return { kind: 'ed25519' };
  if (oid === Oid.rsassaPss && params?.tag === DerTag.SEQUENCE) return parsePssParams(params.value, params.valueOffset);
  return undefined;
}
