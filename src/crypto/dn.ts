/**
 * Just enough DER (ITU-T X.690) to show identities: an X.501 Name as an RFC 4514 string (used for
 * ID_DER_ASN1_DN, RFC 7296 §3.5), and the subject and issuer of an X.509 certificate
 * (RFC 5280 §4.1) carried in a CERT payload. Untrusted input: ParseError on anything malformed.
 */
import { ParseError } from '../errors.js';

/** RFC 4514 §3 short names; other attribute types print as dotted OIDs. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const TAG_INTEGER = 0x02;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;
const TAG_SET = 0x31;
const TAG_CONTEXT_0 = 0xa0;
const TAG_UTF8 = 0x0c;
const TAG_NUMERIC = 0x12;
const TAG_PRINTABLE = 0x13;
const TAG_TELETEX = 0x14;
const TAG_IA5 = 0x16;
const TAG_VISIBLE = 0x1a;
const TAG_UNIVERSAL = 0x1c;
const TAG_BMP = 0x1e;
/** Deepest nesting followed; a Name is three levels, a certificate's subject five. */
const MAX_ELEMENTS = 4096;

/** One DER element: its tag, the contents and the whole encoding. */
interface Tlv {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly raw: Uint8Array;
  /** Offset of the element in the outermost buffer. */
  readonly offset: number;
}

/** Read the DER elements that exactly fill `buf` (at absolute offset `base`). */
function elements(buf: Uint8Array, base: number): Tlv[] {
  const out: Tlv[] = [];
  let p = 0;
  while (p < buf.length) {
    if (out.length >= MAX_ELEMENTS) throw new ParseError('LIMIT', 'der', base + p, `more than ${MAX_ELEMENTS} elements`);
    const start = p;
    const tag = buf[p++] as number;
    if ((tag & 0x1f) === 0x1f) throw new ParseError('BAD_VALUE', 'der.tag', base + start, 'multi-octet tags are not used in names');
    if (p >= buf.length) throw new ParseError('TRUNCATED', 'der.length', base + p, 'element ends before its length');
    let len = buf[p++] as number;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 3) throw new ParseError('BAD_LENGTH', 'der.length', base + p - 1, `length of ${n} octets`);
      if (p + n > buf.length) throw new ParseError('TRUNCATED', 'der.length', base + p, 'element ends inside its length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (buf[p++] as number);
    }
    if (p + len > buf.length) throw new ParseError('TRUNCATED', 'der.content', base + p, `element of ${len} octets, ${buf.length - p} left`);
    out.push({ tag, content: buf.subarray(p, p + len), raw: buf.subarray(start, p + len), offset: base + start });
    p += len;
  }
  return out;
}

function expect(el: Tlv | undefined, tag: number, field: string, at: number): Tlv {
  if (el === undefined) throw new ParseError('TRUNCATED', field, at, 'element missing');
  if (el.tag !== tag) throw new ParseError('BAD_VALUE', field, el.offset, `tag 0x${el.tag.toString(16)} where 0x${tag.toString(16)} was expected`);
  return el;
}

function oidToString(el: Tlv): string {
  const b = el.content;
  if (b.length === 0 || ((b[b.length - 1] as number) & 0x80) !== 0) throw new ParseError('BAD_VALUE', 'der.oid', el.offset, 'malformed OID');
  const arcs: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new ParseError('BAD_VALUE', 'der.oid', el.offset, 'OID arc too large');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

function stringValue(el: Tlv): string | undefined {
  const b = el.content;
  switch (el.tag) {
    case TAG_UTF8:
      return new TextDecoder('utf-8', { fatal: false }).decode(b);
    case TAG_NUMERIC:
    case TAG_PRINTABLE:
    case TAG_IA5:
    case TAG_VISIBLE:
    case TAG_TELETEX:
      return String.fromCharCode(...b);
    case TAG_BMP:
      if (b.length % 2 !== 0) return undefined;
      return String.fromCharCode(...Array.from({ length: b.length / 2 }, (_, i) => ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number)));
    case TAG_UNIVERSAL: {
      if (b.length % 4 !== 0) return undefined;
      const cps = Array.from({ length: b.length / 4 }, (_, i) => (((b[4 * i] as number) << 24) | ((b[4 * i + 1] as number) << 16) | ((b[4 * i + 2] as number) << 8) | (b[4 * i + 3] as number)) >>> 0);
      return cps.every((c) => c <= 0x10ffff) ? String.fromCodePoint(...cps) : undefined;
    }
    default:
      return undefined;
  }
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(s: string): string {
  let out = '';
  [...s].forEach((ch, i, all) => {
    if (ch === '\0') out += '\\00';
    else if (',+"\\<>;'.includes(ch) || (i === 0 && (ch === '#' || ch === ' ')) || (i === all.length - 1 && ch === ' ')) out += `\\${ch}`;
    else out += ch;
  });
  return out;
}

/** Render a Name (the `SEQUENCE OF RelativeDistinguishedName` element) per RFC 4514. */
function nameToString(name: Tlv): string {
  const rdns = elements(name.content, name.offset + (name.raw.length - name.content.length)).map((set) => {
    expect(set, TAG_SET, 'dn.rdn', set.offset);
    const atvs = elements(set.content, set.offset + (set.raw.length - set.content.length)).map((seq) => {
      expect(seq, TAG_SEQUENCE, 'dn.attribute', seq.offset);
      const [oid, value, extra] = elements(seq.content, seq.offset + (seq.raw.length - seq.content.length));
      if (extra !== undefined) throw new ParseError('BAD_VALUE', 'dn.attribute', extra.offset, 'extra element in attribute');
      const typ = oidToString(expect(oid, TAG_OID, 'dn.attribute.type', seq.offset));
      if (value === undefined) throw new ParseError('TRUNCATED', 'dn.attribute.value', seq.offset, 'attribute without value');
      const text = stringValue(value);
      // RFC 4514 §2.4: values of other syntaxes print as '#' and the hex of their BER encoding.
      const shown = text === undefined ? `#${Buffer.from(value.raw).toString('hex')}` : escapeValue(text);
      return `${SHORT_NAMES[typ] ?? typ}=${shown}`;
    });
    if (atvs.length === 0) throw new ParseError('BAD_VALUE', 'dn.rdn', set.offset, 'empty RDN');
    return atvs.join('+');
  });
  // RFC 4514 §2.1: the last RDN of the sequence comes first.
  return rdns.reverse().join(',');
}

/** The single element filling `der` (trailing octets are an error). */
function only(der: Uint8Array, tag: number, field: string): Tlv {
  const [el, extra] = elements(der, 0);
  if (extra !== undefined) throw new ParseError('BAD_LENGTH', field, extra.offset, 'octets after the element');
  return expect(el, tag, field, 0);
}

/** RFC 4514 string of a DER-encoded X.501 Name (e.g. ID_DER_ASN1_DN data). */
export function dnToString(der: Uint8Array): string {
  return nameToString(only(der, TAG_SEQUENCE, 'dn'));
}

/** What `kite decode` shows of an X.509 certificate. */
export interface CertificateSummary {
  /** Subject DN, RFC 4514. */
  readonly subject: string;
  /** Issuer DN, RFC 4514. */
  readonly issuer: string;
  /** Serial number, hex. */
  readonly serial: string;
}

/** Subject, issuer and serial of a DER X.509 certificate (RFC 5280 §4.1). */
export function certificateSummary(der: Uint8Array): CertificateSummary {
  const cert = only(der, TAG_SEQUENCE, 'certificate');
  const inner = (el: Tlv): Tlv[] => elements(el.content, el.offset + (el.raw.length - el.content.length));
  const [tbs] = inner(cert);
  const fields = inner(expect(tbs, TAG_SEQUENCE, 'certificate.tbs', cert.offset));
  let i = fields[0]?.tag === TAG_CONTEXT_0 ? 1 : 0; // optional [0] version
  const serial = expect(fields[i++], TAG_INTEGER, 'certificate.serial', cert.offset);
  i++; // signature AlgorithmIdentifier
  const issuer = expect(fields[i++], TAG_SEQUENCE, 'certificate.issuer', cert.offset);
  i++; // validity
  const subject = expect(fields[i], TAG_SEQUENCE, 'certificate.subject', cert.offset);
  return { subject: nameToString(subject), issuer: nameToString(issuer), serial: Buffer.from(serial.content).toString('hex') };
}
