/**
 * Certificate revocation lists (RFC 5280 §5): parse with pkijs, verify the issuer's signature
 * synchronously with node:crypto (pkijs only verifies through async WebCrypto, and the IKE core is
 * synchronous), and look a serial number up.
 */
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import * as pkijs from 'pkijs';
import { KiteError } from '../errors.js';
import { namesEqual, safeDn, type CertInfo } from './x509.js';

/** CRL reason codes (RFC 5280 §5.3.1). */
export const CrlReason = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/** One revoked serial. */
export interface RevokedEntry {
  /** Serial number, lower-case hex of the INTEGER contents. */
  readonly serialHex: string;
  /** revocationDate. */
  readonly date: Date;
  /** Reason name, when the entry carries a reasonCode extension. */
  readonly reason?: string;
}

/** A parsed CRL. */
export interface CrlInfo {
  /** Issuer Name, DER. */
  readonly issuer: Uint8Array;
  /** Issuer as RFC 4514 text. */
  readonly issuerText: string;
  /** thisUpdate. */
  readonly thisUpdate: Date;
  /** nextUpdate when present. */
  readonly nextUpdate?: Date;
  /** Revoked certificates. */
  readonly revoked: readonly RevokedEntry[];
  /** Signature algorithm OID. */
  readonly signatureOid: string;
  /** The signed TBSCertList octets. */
  readonly tbs: Uint8Array;
  /** Signature value. */
  readonly signature: Uint8Array;
}

/** Signature algorithm OID -> node digest name (null: the algorithm has its own, e.g. Ed25519). */
const SIGNATURE_HASH: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
  '1.3.101.113': null,
};
const OID_REASON = '2.5.29.21';

function reasonName(code: number): string {
  const hit = Object.entries(CrlReason).find(([, v]) => v === code);
  return hit?.[0] ?? `reason ${code}`;
}

function entryReason(e: pkijs.RevokedCertificate): string | undefined {
  const ext = e.crlEntryExtensions?.extensions.find((x) => x.extnID === OID_REASON);
  const v: unknown = ext?.parsedValue;
  if (typeof v === 'object' && v !== null && 'valueBlock' in v) {
    const b: unknown = v.valueBlock;
    if (typeof b === 'object' && b !== null && 'valueDec' in b && typeof b.valueDec === 'number') return reasonName(b.valueDec);
  }
  return undefined;
}

/** Parse a DER CRL. Throws KiteError `CRL_INVALID` when it is not one. */
export function parseCrl(der: Uint8Array): CrlInfo {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(der);
  } catch (e) {
    throw new KiteError('CRL_INVALID', `not a DER X.509 CRL (${e instanceof Error ? e.message : String(e)}); fix: give the CRL file in DER or PEM`);
  }
  const issuer = crl.issuer.valueBeforeDecode.byteLength > 0 ? new Uint8Array(crl.issuer.valueBeforeDecode.slice(0)) : new Uint8Array(crl.issuer.toSchema().toBER());
  return {
    issuer,
    issuerText: safeDn(issuer),
    thisUpdate: crl.thisUpdate.value,
    ...(crl.nextUpdate !== undefined ? { nextUpdate: crl.nextUpdate.value } : {}),
    revoked: (crl.revokedCertificates ?? []).map((e) => {
      const reason = entryReason(e);
      return {
        serialHex: Buffer.from(e.userCertificate.valueBlock.valueHexView).toString('hex'),
        date: e.revocationDate.value,
        ...(reason !== undefined ? { reason } : {}),
      };
    }),
    signatureOid: crl.signatureAlgorithm.algorithmId,
    tbs: new Uint8Array(crl.tbsView),
    signature: new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
  };
}

/** A CRL given as DER bytes or PEM text; PEM bundles may hold several. */
export function crlDers(input: string | Uint8Array): Uint8Array[] {
  if (typeof input !== 'string' && input[0] === 0x30) return [input];
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const out = [...text.matchAll(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g)]
    .map((m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
  if (out.length === 0) throw new KiteError('CRL_INVALID', 'no "-----BEGIN X509 CRL-----" block found; fix: give a PEM or DER CRL');
  return out;
}

/** Whether `issuer`'s key signed `crl`. Unsupported algorithms count as not verified. */
export function crlSignedBy(crl: CrlInfo, issuer: CertInfo): boolean {
  if (!namesEqual(crl.issuer, issuer.subject)) return false;
  const hash = SIGNATURE_HASH[crl.signatureOid];
  if (hash === undefined) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(issuer.spki), format: 'der', type: 'spki' });
    return cryptoVerify(hash, crl.tbs, key, crl.signature);
  } catch {
    return false;
  }
}

/** The entry revoking `serialHex`, if any. */
export function findRevoked(crl: CrlInfo, serialHex: string): RevokedEntry | undefined {
  return crl.revoked.find((e) => e.serialHex === serialHex);
}
