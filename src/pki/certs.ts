/**
 * Loading certificates and private keys from PEM/DER text the caller read, the CERTREQ hash of a
 * CA (RFC 7296 §3.7) and the public key used to verify AUTH (RFC 7296 §2.15). No file I/O here:
 * the CLI reads files and checks their mode with {@link checkKeyFileMode}.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { KiteError } from '../errors.js';
import { parseCertificate, type CertInfo } from './x509.js';

/** A certificate given as node's X509Certificate or as DER bytes. */
export type CertInput = X509Certificate | Uint8Array;

/** Length of one CA hash in a CERTREQ for X.509 (SHA-1, RFC 7296 §3.7). */
export const CERTREQ_HASH_LENGTH = 20;

const PEM_CERT = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** DER bytes of a certificate input. */
export function certDer(cert: CertInput): Uint8Array {
  return cert instanceof X509Certificate ? new Uint8Array(cert.raw) : cert;
}

/** The parsed fields of a certificate input; an already parsed {@link CertInfo} is returned as is. */
export function certInfo(cert: CertInput | CertInfo): CertInfo {
  return cert instanceof Uint8Array || cert instanceof X509Certificate ? parseCertificate(certDer(cert)) : cert;
}

function isText(b: Uint8Array): boolean {
  return b.length > 0 && b[0] !== 0x30;
}

/**
 * Every certificate in `pem` (a bundle of PEM blocks, in order), or the single certificate when
 * given DER bytes. Throws KiteError `NO_CERTIFICATE` when there is none and `BAD_CERTIFICATE`
 * naming the block that does not parse.
 */
export function loadCertificates(pem: string | Uint8Array): X509Certificate[] {
  if (pem instanceof Uint8Array && !isText(pem)) return [toCertificate(pem, 'DER input')];
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  const out: X509Certificate[] = [];
  for (const m of text.matchAll(PEM_CERT)) {
    const der = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
    out.push(toCertificate(der, `PEM block ${out.length + 1}`));
  }
  if (out.length === 0) {
    throw new KiteError('NO_CERTIFICATE', 'no "-----BEGIN CERTIFICATE-----" block found; fix: give a PEM (or DER) X.509 certificate file');
  }
  return out;
}

function toCertificate(der: Uint8Array, where: string): X509Certificate {
  try {
    const x = new X509Certificate(der);
    parseCertificate(new Uint8Array(x.raw)); // the extensions must parse too
    return x;
  } catch (e) {
    throw new KiteError('BAD_CERTIFICATE', `${where} is not a valid X.509 certificate (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * A private key from PEM text (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC) or DER bytes
 * (PKCS#8, PKCS#1, SEC1). Throws KiteError `KEY_PASSPHRASE` when a passphrase is missing or wrong,
 * `BAD_PRIVATE_KEY` otherwise.
 */
export function loadPrivateKey(pemOrDer: string | Uint8Array, passphrase?: string): KeyObject {
  const pass = passphrase !== undefined ? { passphrase } : {};
  if (typeof pemOrDer === 'string' || isText(pemOrDer)) {
    const text = typeof pemOrDer === 'string' ? pemOrDer : Buffer.from(pemOrDer).toString('latin1');
    const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
    if (encrypted && passphrase === undefined) {
      throw new KiteError('KEY_PASSPHRASE', 'the private key is encrypted; fix: give its passphrase');
    }
    try {
      return createPrivateKey({ key: text, format: 'pem', ...pass });
    } catch (e) {
      if (encrypted) throw new KiteError('KEY_PASSPHRASE', 'cannot decrypt the private key; fix: check the passphrase');
      throw badKey(e);
    }
  }
  const key = Buffer.from(pemOrDer);
  let last: unknown;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key, format: 'der', type, ...pass });
    } catch (e) {
      last = e;
    }
  }
  throw badKey(last);
}

function badKey(e: unknown): KiteError {
  return new KiteError('BAD_PRIVATE_KEY', `not a private key Kite can read (${e instanceof Error ? e.message : String(e)}); fix: give a PEM or DER RSA/ECDSA/Ed25519 key`);
}

/**
 * Refuse a private key file that group or others may access (`mode` as in `fs.Stats.mode`).
 * Throws KiteError `KEY_FILE_PERMISSIONS` naming the fix, `chmod 600 <path>`.
 */
export function checkKeyFileMode(mode: number, path: string): void {
  if ((mode & 0o077) === 0) return;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  throw new KiteError('KEY_FILE_PERMISSIONS', `private key ${path} is accessible by group or others (mode ${octal}); fix: chmod 600 ${path}`);
}

/** The subject public key of `cert` as a node KeyObject, for AUTH verification (crypto/sign.ts). */
export function publicKeyOf(cert: CertInput | CertInfo): KeyObject {
  return createPublicKey({ key: Buffer.from(certInfo(cert).spki), format: 'der', type: 'spki' });
}

/** SHA-1 of the CA's SubjectPublicKeyInfo: its entry in a CERTREQ (RFC 7296 §3.7). */
export function certreqHash(caCert: CertInput | CertInfo): Uint8Array {
  return new Uint8Array(createHash('sha1').update(certInfo(caCert).spki).digest());
}

/** CERTREQ Certification Authority data for our trusted CAs: their hashes concatenated. */
export function certreqData(cas: readonly (CertInput | CertInfo)[]): Uint8Array {
  return new Uint8Array(Buffer.concat(cas.map((c) => certreqHash(c))));
}

/**
 * Whether a CERTREQ's Certification Authority data names `ca`. A trailing partial hash is
 * ignored (RFC 7296 §3.7 requires whole 20-octet hashes; we are lenient in what we accept).
 */
export function caMatchesCertreq(ca: CertInput, data: Uint8Array): boolean {
  const h = certreqHash(ca);
  for (let i = 0; i + CERTREQ_HASH_LENGTH <= data.length; i += CERTREQ_HASH_LENGTH) {
    if (Buffer.compare(h, data.subarray(i, i + CERTREQ_HASH_LENGTH)) === 0) return true;
  }
  return false;
}
