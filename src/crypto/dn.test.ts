import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { hasCommand, parseErrorOf } from '../util/testing.testkit.js';
import { certificateSummary, dnToString } from './dn.js';

// Minimal DER builders for hand-made names.
function tlv(tag: number, content: readonly number[]): number[] {
  const n = content.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...len, ...content];
}
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const OID = { CN: [0x55, 0x04, 0x03], O: [0x55, 0x04, 0x0a], C: [0x55, 0x04, 0x06], OU: [0x55, 0x04, 0x0b], email: [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] };
const atv = (oid: readonly number[], tag: number, value: readonly number[]): number[] => tlv(0x30, [...tlv(0x06, oid), ...tlv(tag, value)]);
const rdn = (...atvs: number[][]): number[] => tlv(0x31, atvs.flat());
const name = (...rdns: number[][]): Uint8Array => new Uint8Array(tlv(0x30, rdns.flat()));

describe('dnToString (RFC 4514)', () => {
  it('reverses RDN order and uses short names', () => {
    const dn = name(rdn(atv(OID.C, 0x13, utf8('CH'))), rdn(atv(OID.O, 0x0c, utf8('strongSwan'))), rdn(atv(OID.CN, 0x0c, utf8('moon.strongswan.org'))));
    expect(dnToString(dn)).toBe('CN=moon.strongswan.org,O=strongSwan,C=CH');
  });
  it('escapes special characters, joins multi-valued RDNs with +, prints unknown types as OIDs', () => {
    const dn = name(rdn(atv(OID.CN, 0x0c, utf8(' #Doe, "J" <x>;+\\ ')), atv(OID.OU, 0x0c, utf8('Ünit'))), rdn(atv(OID.email, 0x16, utf8('a@b.c'))));
    expect(dnToString(dn)).toBe('1.2.840.113549.1.9.1=a@b.c,CN=\\ #Doe\\, \\"J\\" \\<x\\>\\;\\+\\\\\\ +OU=Ünit');
  });
  it('prints non-string values as # and hex; reads BMPString', () => {
    const dn = name(rdn(atv(OID.CN, 0x04, [1, 2])), rdn(atv(OID.O, 0x1e, [0, 0x4b, 0, 0x69])));
    expect(dnToString(dn)).toBe('O=Ki,CN=#04020102');
  });
  it('accepts the empty name', () => {
    expect(dnToString(name())).toBe('');
  });
  it('rejects malformed DER with ParseError', () => {
    const good = name(rdn(atv(OID.CN, 0x0c, utf8('x'))));
    for (let cut = 0; cut < good.length; cut++) expect(parseErrorOf(() => dnToString(good.subarray(0, cut)))).toBeInstanceOf(ParseError);
    expect(parseErrorOf(() => dnToString(new Uint8Array([...good, 0]))).code).toBe('TRUNCATED');
    expect(parseErrorOf(() => dnToString(name(tlv(0x30, []))))).toMatchObject({ code: 'BAD_VALUE', field: 'dn.rdn' });
    expect(parseErrorOf(() => dnToString(name(rdn())))).toMatchObject({ code: 'BAD_VALUE', field: 'dn.rdn' });
  });
});

const pki = new URL('../../vectors/strongswan/pki/', import.meta.url).pathname;
const certs = ['gw.crt.pem', 'client-ecdsa.crt.pem', 'ca.crt.pem'].filter((f) => existsSync(pki + f));
const hasOpenssl = hasCommand('openssl', ['version']);

describe.skipIf(!hasOpenssl)('certificateSummary against openssl', () => {
  it('finds the committed certificates', () => expect(certs.length).toBe(3));
  for (const f of certs) {
    it(f, () => {
      const pem = readFileSync(pki + f, 'utf8');
      const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
      const out = execFileSync('openssl', ['x509', '-in', pki + f, '-noout', '-subject', '-issuer', '-serial', '-nameopt', 'RFC2253'], { encoding: 'utf8' });
      const field = (k: string): string => (out.match(new RegExp(`^${k}=(.*)$`, 'm'))?.[1] ?? '').trim();
      const s = certificateSummary(der);
      expect(s.subject).toBe(field('subject'));
      expect(s.issuer).toBe(field('issuer'));
      expect(s.serial.replace(/^00/, '').toUpperCase()).toBe(field('serial'));
    });
  }
});
