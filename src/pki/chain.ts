/**
 * Certificate path validation for IKE_AUTH peer verification (RFC 7296 §3.6, RFC 5280 §6, the
 * checks strongSwan's credential manager makes): build a path from the peer's certificate through
 * the intermediates it sent to one of our configured CAs, then check signatures, validity dates,
 * basicConstraints (CA flag and pathLen), keyUsage, unknown critical extensions and, when CRLs are
 * given, revocation. Every failure is a {@link CertificateError} whose message names the
 * certificate, the cause and the fix.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { KiteError } from '../errors.js';
import { crlSignedBy, findRevoked, parseCrl, type CrlInfo } from './crl.js';
import { namesEqual, parseCertificate, type CertInfo } from './x509.js';

/** Why a certificate chain was refused. */
export type ChainErrorCode =
  | 'CHAIN_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'CERT_REVOKED'
  | 'CA_CONSTRAINTS'
  | 'KEY_USAGE'
  | 'CERT_CRITICAL_EXTENSION'
  | 'CRL_INVALID';

/** A certificate failed validation; `certificate` is its subject (RFC 4514). */
export class CertificateError extends KiteError {
  override readonly name = 'CertificateError';
  /** Subject of the certificate at fault. */
  readonly certificate: string;

  constructor(code: ChainErrorCode, certificate: string, message: string) {
    super(code, message);
    this.certificate = certificate;
  }
}

/**
 * Input of {@link verifyChain}; every certificate and CRL as DER or already parsed (a caller that
 * verifies many chains parses its CAs and CRLs once).
 */
export interface ChainInput {
  /** The peer's end-entity certificate (first CERT payload). */
  readonly leaf: Uint8Array | CertInfo;
  /** Further certificates the peer sent, any order. */
  readonly intermediates: readonly (Uint8Array | CertInfo)[];
  /** Our configured CA certificates. */
  readonly trustAnchors: readonly (Uint8Array | CertInfo)[];
  /** Validation time. */
  readonly now: Date | number;
  /** Optional CRLs. */
  readonly crls?: readonly (Uint8Array | CrlInfo)[];
}

const asCert = (c: Uint8Array | CertInfo): CertInfo => (c instanceof Uint8Array ? parseCertificate(c) : c);
const asCrl = (c: Uint8Array | CrlInfo): CrlInfo => (c instanceof Uint8Array ? parseCrl(c) : c);

/** Revocation state of one certificate of the path. */
export type RevocationStatus = 'good' | 'stale' | 'unknown';

/** A validated path. */
export interface ChainResult {
  /** Leaf first, trust anchor last. */
  readonly path: readonly CertInfo[];
  /** The end-entity certificate. */
  readonly leaf: CertInfo;
  /** The configured CA the path ends at. */
  readonly anchor: CertInfo;
  /** Per certificate below the anchor: `good` (fresh CRL), `stale` (CRL past nextUpdate) or `unknown` (no CRL). */
  readonly revocation: readonly RevocationStatus[];
}

/** Longest path accepted, anchor included. */
export const MAX_CHAIN_LENGTH = 8;

function signedBy(cert: CertInfo, issuer: CertInfo): boolean {
  if (!namesEqual(cert.issuer, issuer.subject)) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(issuer.spki), format: 'der', type: 'spki' });
    return new X509Certificate(cert.der).verify(key);
  } catch {
    return false;
  }
}

function untrusted(leaf: CertInfo, at: CertInfo, nameOnly: readonly CertInfo[]): CertificateError {
  const which = at === leaf ? '' : ` (its chain reached ${at.subjectText})`;
  const detail = nameOnly.length > 0
    ? `; a certificate named "${at.issuerText}" is known but its key did not sign it (a different CA with the same name?)`
    : '';
  return new CertificateError('CHAIN_UNTRUSTED', leaf.subjectText,
    `certificate for ${leaf.subjectText} is not signed by a configured CA (subject "${at.subjectText}", issuer "${at.issuerText}")${which}${detail}; fix: add the CA that issued it with --ca`);
}

function buildPath(leaf: CertInfo, intermediates: readonly CertInfo[], anchors: readonly CertInfo[]): CertInfo[] {
  if (anchors.some((a) => Buffer.compare(a.der, leaf.der) === 0)) return [leaf];
  const path = [leaf];
  const used = new Set<CertInfo>();
  for (;;) {
    const cur = path[path.length - 1] ?? leaf;
    const anchor = anchors.find((a) => signedBy(cur, a));
    if (anchor !== undefined) return [...path, anchor];
    const next = intermediates.find((c) => !used.has(c) && signedBy(cur, c));
    if (next === undefined || path.length + 1 >= MAX_CHAIN_LENGTH) {
      const nameOnly = [...anchors, ...intermediates].filter((c) => namesEqual(cur.issuer, c.subject));
      throw untrusted(leaf, cur, nameOnly);
    }
    used.add(next);
    path.push(next);
  }
}

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function checkDates(c: CertInfo, now: Date): void {
  if (now.getTime() > c.notAfter.getTime()) {
    throw new CertificateError('CERT_EXPIRED', c.subjectText,
      `certificate ${c.subjectText} expired on ${iso(c.notAfter)} (valid from ${iso(c.notBefore)}, now ${iso(now)}); fix: renew it, or check this machine's clock`);
  }
  if (now.getTime() < c.notBefore.getTime()) {
    throw new CertificateError('CERT_NOT_YET_VALID', c.subjectText,
      `certificate ${c.subjectText} is not valid before ${iso(c.notBefore)} (now ${iso(now)}); fix: check this machine's clock`);
  }
}

function checkExtensions(path: readonly CertInfo[]): void {
  path.forEach((c, i) => {
    if (c.unknownCritical.length > 0) {
      throw new CertificateError('CERT_CRITICAL_EXTENSION', c.subjectText,
        `certificate ${c.subjectText} has critical extension(s) ${c.unknownCritical.join(', ')} that Kite does not process; fix: issue it without them`);
    }
    if (i === 0) {
      if (c.keyUsage !== undefined && !c.keyUsage.has('digitalSignature') && path.length > 1) {
        throw new CertificateError('KEY_USAGE', c.subjectText,
          `certificate ${c.subjectText} has keyUsage ${[...c.keyUsage].join(', ') || '(none)'} without digitalSignature, so it may not sign IKE AUTH; fix: issue it with keyUsage digitalSignature`);
      }
      return;
    }
    const isAnchor = i === path.length - 1;
    const bc = c.basicConstraints;
    if (bc?.ca !== true && !(isAnchor && bc === undefined)) {
      throw new CertificateError('CA_CONSTRAINTS', c.subjectText,
        `certificate ${c.subjectText} issued ${path[i - 1]?.subjectText ?? ''} but is not a CA (basicConstraints ${bc === undefined ? 'absent' : 'CA:FALSE'}); fix: the issuer must have basicConstraints CA:TRUE`);
    }
    const below = i - 1; // intermediate CAs between this issuer and the leaf
    if (bc?.pathLen !== undefined && below > bc.pathLen) {
      throw new CertificateError('CA_CONSTRAINTS', c.subjectText,
        `CA ${c.subjectText} has pathLen ${bc.pathLen} but ${below} intermediate CA(s) follow it in the chain of ${path[0]?.subjectText ?? ''}; fix: shorten the chain or raise pathLen`);
    }
    if (c.keyUsage !== undefined && !c.keyUsage.has('keyCertSign')) {
      throw new CertificateError('KEY_USAGE', c.subjectText,
        `CA ${c.subjectText} has keyUsage ${[...c.keyUsage].join(', ') || '(none)'} without keyCertSign, so it may not issue certificates; fix: reissue the CA with keyUsage keyCertSign`);
    }
  });
}

function checkRevocation(path: readonly CertInfo[], crls: readonly CrlInfo[], now: Date): RevocationStatus[] {
  const out: RevocationStatus[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i] as CertInfo;
    const issuer = path[i + 1] as CertInfo;
    const named = crls.filter((crl) => namesEqual(crl.issuer, issuer.subject));
    const signed = named.filter((crl) => crlSignedBy(crl, issuer));
    if (named.length > 0 && signed.length === 0) {
      throw new CertificateError('CRL_INVALID', issuer.subjectText,
        `the CRL issued by ${issuer.subjectText} is not signed by that CA's key; fix: fetch the CRL again from the CA`);
    }
    for (const crl of signed) {
      const entry = findRevoked(crl, cert.serialHex);
      if (entry !== undefined && entry.date.getTime() <= now.getTime()) {
        throw new CertificateError('CERT_REVOKED', cert.subjectText,
          `certificate ${cert.subjectText} (serial ${cert.serialHex}) was revoked on ${iso(entry.date)}${entry.reason !== undefined ? ` (${entry.reason})` : ''} by ${issuer.subjectText}; fix: the peer needs a new certificate`);
      }
    }
    const fresh = signed.some((crl) => crl.nextUpdate === undefined || crl.nextUpdate.getTime() >= now.getTime());
    out.push(signed.length === 0 ? 'unknown' : fresh ? 'good' : 'stale');
  }
  return out;
}

/**
 * Validate the peer's certificate chain against our CAs at `now`. Returns the path; throws
 * {@link CertificateError} with a code from {@link ChainErrorCode}.
 */
export function verifyChain(input: ChainInput): ChainResult {
  const now = typeof input.now === 'number' ? new Date(input.now) : input.now;
  const leaf = asCert(input.leaf);
  const path = buildPath(leaf, input.intermediates.map(asCert), input.trustAnchors.map(asCert));
  for (const c of path) checkDates(c, now);
  checkExtensions(path);
  const revocation = checkRevocation(path, (input.crls ?? []).map(asCrl), now);
  return { path, leaf, anchor: path[path.length - 1] ?? leaf, revocation };
}
