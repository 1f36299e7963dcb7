/**
 * Identities written in configuration, strongSwan style (ipsec.conf `leftid`/`rightid`):
 * `@fqdn` or `host.example` -> ID_FQDN, `user@host` -> ID_RFC822_ADDR, an IPv4/IPv6 literal ->
 * ID_IPV4_ADDR/ID_IPV6_ADDR, `C=XX, O=Org, CN=name` -> ID_DER_ASN1_DN. Like strongSwan, a DN is
 * written in ASN.1 order (the first RDN is the outermost, usually C), separated by `,` or `/`.
 */
import { derOid, derTlv, DerTag } from '../crypto/der.js';
import { KiteError } from '../errors.js';
import { IdType } from '../iana/ikev2.js';
import { concat } from '../util/bytes.js';
import type { Identity } from './identity.js';

/** Attribute names accepted in a DN -> [OID, string tag (IA5String or a DirectoryString)]. */
const ATTRIBUTES: Readonly<Record<string, readonly [string, number]>> = {
  c: ['2.5.4.6', 0x13],
  st: ['2.5.4.8', 0x0c],
  l: ['2.5.4.7', 0x0c],
  o: ['2.5.4.10', 0x0c],
  ou: ['2.5.4.11', 0x0c],
  cn: ['2.5.4.3', 0x0c],
  sn: ['2.5.4.4', 0x0c],
  gn: ['2.5.4.42', 0x0c],
  serialnumber: ['2.5.4.5', 0x13],
  title: ['2.5.4.12', 0x0c],
  street: ['2.5.4.9', 0x0c],
  uid: ['0.9.2342.19200300.100.1.1', 0x0c],
  dc: ['0.9.2342.19200300.100.1.25', 0x16],
  e: ['1.2.840.113549.1.9.1', 0x16],
  email: ['1.2.840.113549.1.9.1', 0x16],
  emailaddress: ['1.2.840.113549.1.9.1', 0x16],
};
const TAG_SET = 0x31;
const TAG_PRINTABLE = 0x13;
const TAG_UTF8 = 0x0c;
const TAG_IA5 = 0x16;

/** Split on unescaped separators, unescaping `\x`. */
function splitEscaped(s: string, seps: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && i + 1 < s.length) cur += s[++i];
    else if (seps.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** DER Name from strongSwan-style DN text; throws KiteError `BAD_IDENTITY`. */
export function dnFromString(text: string): Uint8Array {
  const body = text.trim().replace(/^\//, '');
  const sep = body.includes(',') || !body.includes('/') ? ',' : '/';
  const rdns = splitEscaped(body, sep).map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    const attr = ATTRIBUTES[key] ?? (/^\d+(\.\d+)+$/.test(key) ? [key, TAG_UTF8] as const : undefined);
    if (eq < 0 || attr === undefined || value === '') {
      throw new KiteError('BAD_IDENTITY', `cannot read "${part.trim()}" in the DN "${text}"; fix: write the DN as C=XX, O=Org, CN=name`);
    }
    const [oid, tag] = attr;
    const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
    // Like strongSwan: PrintableString when the value allows it, else UTF8String (IA5 stays IA5).
    const t = tag === TAG_IA5 ? tag : printable ? TAG_PRINTABLE : TAG_UTF8;
    const atv = derTlv(DerTag.SEQUENCE, concat(derOid(oid), derTlv(t, new TextEncoder().encode(value))));
    return derTlv(TAG_SET, atv);
  });
  return derTlv(DerTag.SEQUENCE, concat(...rdns));
}

function ipv4(text: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? Uint8Array.from(b) : undefined;
}

function ipv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined): number[] | undefined => {
    if (s === undefined || s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = ipv4(g);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 1 ? 0 : fill).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** Octets of an IPv4 or IPv6 literal, or undefined when `text` is not one. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  return ipv4(text) ?? ipv6(text);
}

/** An identity from configuration text (see the module comment); throws KiteError `BAD_IDENTITY`. */
export function parseIdentity(text: string): Identity {
  const t = text.trim();
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  if (t === '') throw new KiteError('BAD_IDENTITY', 'empty identity; fix: give an FQDN, email address, IP address or DN');
  if (t.startsWith('@')) return { idType: IdType.ID_FQDN, data: enc(t.slice(1).replace(/^#/, '')) };
  const ip = parseIpAddress(t);
  if (ip !== undefined) return { idType: ip.length === 4 ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR, data: ip };
  if (t.includes('=')) return { idType: IdType.ID_DER_ASN1_DN, data: dnFromString(t) };
  if (t.includes('@')) return { idType: IdType.ID_RFC822_ADDR, data: enc(t) };
  return { idType: IdType.ID_FQDN, data: enc(t) };
}
