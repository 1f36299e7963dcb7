/**
 * Identities and certificates (RFC 7296 §3.5, §2.15; RFC 4945 §3.1): whether a certificate backs
 * an IKE identity (a subjectAltName of the same kind, or the subject DN for ID_DER_ASN1_DN), the
 * identity to send for our own certificate, and readable text for IDs in errors and logs.
 */
import { KiteError } from '../errors.js';
import { IdType, idTypeNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import { ipToString } from '../util/ip-text.js';
import { certInfo as info, type CertInput } from './certs.js';
import { namesEqual, safeDn, type CertInfo } from './x509.js';

/** An identity as carried in IDi/IDr. */
export interface Identity {
  /** ID Type (`IdType`). */
  readonly idType: number;
  /** Identification Data. */
  readonly data: Uint8Array;
}

/** Which certificate identity to use for our IDi: a SAN kind, or the subject DN. */
export type IdentityPreference = 'rfc822' | 'dns' | 'ip' | 'dn';

/** The peer's certificate does not contain the identity we expect. */
export class IdentityError extends KiteError {
  override readonly name = 'IdentityError';
  /** The identity we required, as text. */
  readonly expected: string;
  /** The identities the certificate does contain, as text. */
  readonly available: readonly string[];

  constructor(expected: string, available: readonly string[], subject: string) {
    super('ID_MISMATCH',
      `the peer's certificate (${subject}) does not contain the identity ${expected}; it contains ${available.join(', ')}; fix: set the remote ID to one of these, or have the peer's certificate issued for ${expected}`);
    this.expected = expected;
    this.available = available;
  }
}

const utf8 = new TextDecoder();
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

function lowerHost(s: string): string {
  return s.toLowerCase().replace(/\.$/, '');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

/** Readable form of an identity, e.g. `FQDN gw.example.test`, `DN CN=x,O=y`. */
export function identityToString(id: Identity): string {
  switch (id.idType) {
    case IdType.ID_FQDN:
      return `FQDN ${utf8.decode(id.data)}`;
    case IdType.ID_RFC822_ADDR:
      return `email ${utf8.decode(id.data)}`;
    case IdType.ID_IPV4_ADDR:
    case IdType.ID_IPV6_ADDR:
      return `IP ${id.data.length === 4 || id.data.length === 16 ? ipToString(id.data) : Buffer.from(id.data).toString('hex')}`;
    case IdType.ID_DER_ASN1_DN:
      return `DN ${safeDn(id.data)}`;
    default:
      return `${nameOf(idTypeNames, id.idType)} 0x${Buffer.from(id.data).toString('hex')}`;
  }
}

/** Every identity a certificate can back: its SANs in order, then its subject DN. */
export function certificateIdentities(cert: CertInput | CertInfo): Identity[] {
  const c = info(cert);
  const out: Identity[] = [];
  for (const n of c.altNames) {
    if (n.kind === 'dns') out.push({ idType: IdType.ID_FQDN, data: encode(n.value) });
    else if (n.kind === 'email') out.push({ idType: IdType.ID_RFC822_ADDR, data: encode(n.value) });
    else if (n.kind === 'ip' && (n.value.length === 4 || n.value.length === 16)) {
      out.push({ idType: n.value.length === 4 ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR, data: n.value });
    } else if (n.kind === 'dn') out.push({ idType: IdType.ID_DER_ASN1_DN, data: n.value });
  }
  out.push({ idType: IdType.ID_DER_ASN1_DN, data: c.subject });
  return out;
}

/**
 * Whether `cert` backs `id`: ID_FQDN a dNSName (case-insensitive), ID_RFC822_ADDR an rfc822Name
 * (case-insensitive), ID_IPV4_ADDR / ID_IPV6_ADDR an iPAddress, ID_DER_ASN1_DN the subject (or a
 * directoryName SAN) compared as a DN. Other ID types never match.
 */
export function matchIdentity(cert: CertInput | CertInfo, id: Identity): boolean {
  const c = info(cert);
  switch (id.idType) {
    case IdType.ID_FQDN: {
      const want = lowerHost(utf8.decode(id.data));
      return c.altNames.some((n) => n.kind === 'dns' && lowerHost(n.value) === want);
    }
    case IdType.ID_RFC822_ADDR: {
      const want = utf8.decode(id.data).toLowerCase();
      return c.altNames.some((n) => n.kind === 'email' && n.value.toLowerCase() === want);
    }
    case IdType.ID_IPV4_ADDR:
    case IdType.ID_IPV6_ADDR:
      return id.data.length === (id.idType === IdType.ID_IPV4_ADDR ? 4 : 16) &&
        c.altNames.some((n) => n.kind === 'ip' && equalBytes(n.value, id.data));
    case IdType.ID_DER_ASN1_DN:
      return namesEqual(c.subject, id.data) || c.altNames.some((n) => n.kind === 'dn' && namesEqual(n.value, id.data));
    default:
      return false;
  }
}

/** Throw {@link IdentityError} (`ID_MISMATCH`) unless `cert` backs `expected`. */
export function checkPeerIdentity(cert: CertInput | CertInfo, expected: Identity): void {
  const c = info(cert);
  if (matchIdentity(c, expected)) return;
  throw new IdentityError(identityToString(expected), certificateIdentities(c).map(identityToString), c.subjectText);
}

/**
 * The identity to send as IDi for our own certificate: the first SAN of the preferred kind, or
 * the subject DN when there is none (or `prefer` is `dn`).
 */
export function identityFromCertificate(cert: CertInput | CertInfo, prefer: IdentityPreference = 'dn'): Identity {
  const c = info(cert);
  const ids = certificateIdentities(c);
  const wanted: Readonly<Record<IdentityPreference, readonly number[]>> = {
    rfc822: [IdType.ID_RFC822_ADDR],
    dns: [IdType.ID_FQDN],
    ip: [IdType.ID_IPV4_ADDR, IdType.ID_IPV6_ADDR],
    dn: [],
  };
  const hit = ids.find((id) => wanted[prefer].includes(id.idType));
  return hit ?? { idType: IdType.ID_DER_ASN1_DN, data: c.subject };
}
