/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) that peer verification needs, read with pkijs
 * into a plain readonly record: names (DER and RFC 4514 text), validity, basicConstraints
 * (§4.2.1.9), keyUsage (§4.2.1.3), subjectAltName (§4.2.1.6) and the SubjectPublicKeyInfo.
 * Untrusted input: anything pkijs cannot parse becomes a ParseError.
 */
import * as pkijs from 'pkijs';
import { ParseError } from '../errors.js';
import { dnToString } from '../crypto/dn.js';

/** keyUsage bits (RFC 5280 §4.2.1.3), numbered as in the ASN.1 named bit list. */
export const KeyUsageBit = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
/** Name of a keyUsage bit. */
export type KeyUsageName = keyof typeof KeyUsageBit;

/** One subjectAltName entry that identity matching understands; others are kept as `other`. */
export type AltName =
  | { readonly kind: 'dns'; readonly value: string }
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'ip'; readonly value: Uint8Array }
  | { readonly kind: 'dn'; readonly value: Uint8Array }
  | { readonly kind: 'uri'; readonly value: string }
  | { readonly kind: 'other'; readonly tag: number };

/** Parsed certificate fields used by chain validation and identity matching. */
export interface CertInfo {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** Subject Name, DER. */
  readonly subject: Uint8Array;
  /** Issuer Name, DER. */
  readonly issuer: Uint8Array;
  /** Subject as RFC 4514 text. */
  readonly subjectText: string;
  /** Issuer as RFC 4514 text. */
  readonly issuerText: string;
  /** Serial number, lower-case hex of the DER INTEGER contents. */
  readonly serialHex: string;
  /** notBefore. */
  readonly notBefore: Date;
  /** notAfter. */
  readonly notAfter: Date;
  /** basicConstraints when present. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number };
  /** keyUsage bits set, when the extension is present. */
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  /** subjectAltName entries (empty when absent). */
  readonly altNames: readonly AltName[];
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  /** OIDs of critical extensions this module does not process. */
  readonly unknownCritical: readonly string[];
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SAN = '2.5.29.17';
/** Critical extensions a path validator may accept without acting on them beyond what we do. */
const HANDLED: ReadonlySet<string> = new Set([OID_BASIC_CONSTRAINTS, OID_KEY_USAGE, OID_SAN, '2.5.29.37', '2.5.29.14', '2.5.29.35', '2.5.29.31']);

/** An asn1js primitive (BitString, OctetString, Integer) seen structurally: pkijs's own dependency. */
interface Asn1Primitive {
  readonly valueBlock: { readonly valueHexView: Uint8Array; readonly valueDec?: number };
}

function isPrimitive(v: unknown): v is Asn1Primitive {
  if (typeof v !== 'object' || v === null || !('valueBlock' in v)) return false;
  const b: unknown = v.valueBlock;
  return typeof b === 'object' && b !== null && 'valueHexView' in b && b.valueHexView instanceof Uint8Array;
}

/** The DER of a parsed Name as received (pkijs keeps the decoded octets). */
function nameDer(n: pkijs.RelativeDistinguishedNames): Uint8Array {
  return n.valueBeforeDecode.byteLength > 0 ? new Uint8Array(n.valueBeforeDecode.slice(0)) : new Uint8Array(n.toSchema().toBER());
}

function keyUsageOf(bits: Asn1Primitive): Set<KeyUsageName> {
  const bytes = bits.valueBlock.valueHexView;
  const out = new Set<KeyUsageName>();
  for (const [name, bit] of Object.entries(KeyUsageBit) as [KeyUsageName, number][]) {
    const byte = bytes[bit >> 3];
    if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) out.add(name);
  }
  return out;
}

function altNameOf(g: pkijs.GeneralName): AltName {
  const v: unknown = g.value;
  switch (g.type) {
    case 1:
      return { kind: 'email', value: String(v) };
    case 2:
      return { kind: 'dns', value: String(v) };
    case 4:
      return v instanceof pkijs.RelativeDistinguishedNames ? { kind: 'dn', value: nameDer(v) } : { kind: 'other', tag: 4 };
    case 6:
      return { kind: 'uri', value: String(v) };
    case 7:
      return isPrimitive(v) ? { kind: 'ip', value: new Uint8Array(v.valueBlock.valueHexView) } : { kind: 'other', tag: 7 };
    default:
      return { kind: 'other', tag: g.type };
  }
}

/** Parse a DER certificate. Throws ParseError when it is not one. */
export function parseCertificate(der: Uint8Array): CertInfo {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(der);
  } catch (e) {
    throw new ParseError('BAD_FORMAT', 'certificate', 0, e instanceof Error ? e.message : String(e));
  }
  const subject = nameDer(cert.subject);
  const issuer = nameDer(cert.issuer);
  let basicConstraints: CertInfo['basicConstraints'];
  let keyUsage: Set<KeyUsageName> | undefined;
  let altNames: AltName[] = [];
  const unknownCritical: string[] = [];
  for (const ext of cert.extensions ?? []) {
    const parsed: unknown = ext.parsedValue;
    if (ext.extnID === OID_BASIC_CONSTRAINTS && parsed instanceof pkijs.BasicConstraints) {
      const pl = parsed.pathLenConstraint;
      const pathLen = typeof pl === 'number' ? pl : isPrimitive(pl) ? pl.valueBlock.valueDec : undefined;
      basicConstraints = { ca: parsed.cA, ...(pathLen !== undefined ? { pathLen } : {}) };
    } else if (ext.extnID === OID_KEY_USAGE && isPrimitive(parsed)) {
      keyUsage = keyUsageOf(parsed);
    } else if (ext.extnID === OID_SAN && parsed instanceof pkijs.AltName) {
      altNames = parsed.altNames.map(altNameOf);
    } else if (ext.critical && !HANDLED.has(ext.extnID)) {
      unknownCritical.push(ext.extnID);
    }
  }
  return {
    der,
    subject,
    issuer,
    subjectText: safeDn(subject),
    issuerText: safeDn(issuer),
    serialHex: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    ...(basicConstraints !== undefined ? { basicConstraints } : {}),
    ...(keyUsage !== undefined ? { keyUsage } : {}),
    altNames,
    spki: new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER()),
    unknownCritical,
  };
}

/** RFC 4514 text of a DER Name, or its hex when it does not decode. */
export function safeDn(der: Uint8Array): string {
  try {
    return dnToString(der);
  } catch {
    return `#${Buffer.from(der).toString('hex')}`;
  }
}

/**
 * Whether two DER Names name the same entity: equal encodings, or equal after the RFC 5280
 * §7.1 style normalisation strongSwan also applies (case-insensitive, surrounding spaces ignored).
 */
export function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (Buffer.compare(a, b) === 0) return true;
  return normaliseDn(safeDn(a)) === normaliseDn(safeDn(b));
}

function normaliseDn(text: string): string {
  return text.toLowerCase().replace(/\s*([,=+])\s*/g, '$1').replace(/\s+/g, ' ').trim();
}
