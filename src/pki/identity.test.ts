import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdType } from '../iana/ikev2.js';
import { KiteError } from '../errors.js';
import { dnFromString, parseIdentity, parseIpAddress } from './id-text.js';
import { certificateIdentities, checkPeerIdentity, IdentityError, identityFromCertificate, identityToString, matchIdentity, type Identity } from './identity.js';
import { createPeerTrust } from './trust.js';
import { certreqHash } from './certs.js';
import { parseCertificate } from './x509.js';

const pem = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const der = (name: string): Uint8Array => new Uint8Array(new X509Certificate(pem(`./testdata/${name}.crt.pem`)).raw);
const vec = (name: string): Uint8Array => new Uint8Array(new X509Certificate(pem(`../../vectors/strongswan/pki/${name}.crt.pem`)).raw);
const id = (idType: number, s: string | Uint8Array): Identity => ({ idType, data: typeof s === 'string' ? new TextEncoder().encode(s) : s });

describe('matchIdentity', () => {
  const rsa = der('leaf-rsa');
  it('matches dNSName SANs case-insensitively, not the CN alone', () => {
    expect(matchIdentity(rsa, id(IdType.ID_FQDN, 'vpn.example.test'))).toBe(true);
    expect(matchIdentity(rsa, id(IdType.ID_FQDN, 'ALT.Example.Test.'))).toBe(true);
    expect(matchIdentity(rsa, id(IdType.ID_FQDN, 'other.example.test'))).toBe(false);
    expect(matchIdentity(der('leaf-dn'), id(IdType.ID_FQDN, 'bob'))).toBe(false);
  });

  it('matches iPAddress SANs by octets, per family', () => {
    expect(matchIdentity(rsa, id(IdType.ID_IPV4_ADDR, Uint8Array.of(192, 0, 2, 1)))).toBe(true);
    expect(matchIdentity(rsa, id(IdType.ID_IPV4_ADDR, Uint8Array.of(192, 0, 2, 2)))).toBe(false);
    const v6 = parseIpAddress('2001:db8::1') ?? new Uint8Array();
    expect(matchIdentity(rsa, id(IdType.ID_IPV6_ADDR, v6))).toBe(true);
    expect(matchIdentity(rsa, id(IdType.ID_IPV4_ADDR, v6))).toBe(false);
  });

  it('matches rfc822Name SANs', () => {
    expect(matchIdentity(der('leaf-ec'), id(IdType.ID_RFC822_ADDR, 'alice@example.test'))).toBe(true);
    expect(matchIdentity(der('leaf-ec'), id(IdType.ID_RFC822_ADDR, 'Alice@Example.test'))).toBe(true);
    expect(matchIdentity(der('leaf-ec'), id(IdType.ID_RFC822_ADDR, 'bob@example.test'))).toBe(false);
    expect(matchIdentity(der('leaf-ec'), id(IdType.ID_FQDN, 'alice@example.test'))).toBe(false);
    expect(matchIdentity(vec('client'), id(IdType.ID_RFC822_ADDR, 'client@example.test'))).toBe(true);
  });

  it('compares ID_DER_ASN1_DN with the subject as a DN', () => {
    const c = der('leaf-dn');
    expect(matchIdentity(c, id(IdType.ID_DER_ASN1_DN, dnFromString('C=XX, O=Kite PKI Test, OU=Road Warriors, CN=bob')))).toBe(true);
    expect(matchIdentity(c, id(IdType.ID_DER_ASN1_DN, dnFromString('c=xx/o=kite pki test/ou=road warriors/cn=BOB')))).toBe(true);
    expect(matchIdentity(c, id(IdType.ID_DER_ASN1_DN, dnFromString('C=XX, O=Kite PKI Test, CN=bob')))).toBe(false);
    expect(matchIdentity(c, id(IdType.ID_KEY_ID, 'bob'))).toBe(false);
  });
});

describe('checkPeerIdentity', () => {
  it('passes silently on a match and lists what the certificate has otherwise', () => {
    expect(() => checkPeerIdentity(vec('gw'), id(IdType.ID_FQDN, 'gw.example.test'))).not.toThrow();
    let err: unknown;
    try {
      checkPeerIdentity(vec('gw'), id(IdType.ID_FQDN, 'vpn.example.test'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IdentityError);
    expect(err instanceof KiteError && err.code).toBe('ID_MISMATCH');
    expect(err instanceof Error && err.message).toBe("the peer's certificate (CN=gw.example.test,O=Kite Test,C=XX) does not contain the identity " +
      'FQDN vpn.example.test; it contains FQDN gw.example.test, DN CN=gw.example.test,O=Kite Test,C=XX; fix: set the remote ID to one ' +
      "of these, or have the peer's certificate issued for FQDN vpn.example.test");
  });
});

describe('identityFromCertificate', () => {
  it('picks the preferred SAN kind, falling back to the subject DN', () => {
    const rsa = der('leaf-rsa');
    expect(identityToString(identityFromCertificate(rsa, 'dns'))).toBe('FQDN vpn.example.test');
    expect(identityToString(identityFromCertificate(rsa, 'ip'))).toBe('IP 192.0.2.1');
    expect(identityToString(identityFromCertificate(rsa, 'rfc822'))).toBe('DN CN=vpn.example.test,O=Kite PKI Test,C=XX');
    expect(identityToString(identityFromCertificate(rsa))).toBe('DN CN=vpn.example.test,O=Kite PKI Test,C=XX');
    expect(identityToString(identityFromCertificate(vec('client-ecdsa'), 'rfc822'))).toBe('email client@example.test');
    // What we send as IDi must be backed by our own certificate.
    for (const p of ['dns', 'ip', 'rfc822', 'dn'] as const) expect(matchIdentity(rsa, identityFromCertificate(rsa, p))).toBe(true);
  });

  it('lists every identity a certificate backs', () => {
    expect(certificateIdentities(der('leaf-rsa')).map(identityToString)).toEqual([
      'FQDN vpn.example.test', 'FQDN alt.example.test', 'IP 192.0.2.1', 'IP 2001:db8::1', 'DN CN=vpn.example.test,O=Kite PKI Test,C=XX',
    ]);
  });
});

describe('parseIdentity', () => {
  it('reads strongSwan-style identity text', () => {
    expect(identityToString(parseIdentity('@gw.example.test'))).toBe('FQDN gw.example.test');
    expect(identityToString(parseIdentity('gw.example.test'))).toBe('FQDN gw.example.test');
    expect(identityToString(parseIdentity('client@example.test'))).toBe('email client@example.test');
    expect(identityToString(parseIdentity('192.0.2.7'))).toBe('IP 192.0.2.7');
    expect(identityToString(parseIdentity('2001:db8::7'))).toBe('IP 2001:db8::7');
    expect(identityToString(parseIdentity('C=XX, O=Kite Test, CN=gw.example.test'))).toBe('DN CN=gw.example.test,O=Kite Test,C=XX');
    expect(parseIdentity('C=XX, O=Kite Test, CN=gw.example.test').idType).toBe(IdType.ID_DER_ASN1_DN);
  });

  it('encodes a DN the way strongSwan pki does, and refuses bad text', () => {
    // strongSwan encodes printable values as PrintableString: the CA's subject, byte for byte.
    expect(dnFromString('C=XX, O=Kite Té, CN=x')[24]).toBe(0x0c); // not printable: UTF8String
    expect(identityToString(parseIdentity('C=XX, O=Kite Té, CN=x'))).toBe('DN CN=x,O=Kite Té,C=XX');
    const ca = new X509Certificate(pem('../../vectors/strongswan/pki/ca.crt.pem'));
    const subjectHex = Buffer.from(dnFromString('C=XX, O=Kite Test, CN=Kite Test CA')).toString('hex');
    expect(Buffer.from(ca.raw).toString('hex')).toContain(subjectHex);
    expect(() => parseIdentity('C=XX, FOO=bar')).toThrow(/cannot read "FOO=bar"/);
    expect(() => parseIdentity('  ')).toThrow(/empty identity/);
    expect(parseIpAddress('1.2.3.256')).toBeUndefined();
    expect(parseIpAddress('::ffff:192.0.2.1')).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1));
    expect(parseIpAddress('1::2::3')).toBeUndefined();
  });
});

describe('createPeerTrust', () => {
  const trust = createPeerTrust({ cas: [der('root'), vec('ca')] });
  const now = new Date('2030-01-01T00:00:00Z');
  it('advertises our CAs and returns the verified peer key', () => {
    expect(trust.certreqData).toEqual(new Uint8Array([...certreqHash(der('root')), ...certreqHash(vec('ca'))]));
    const key = trust.verifyPeer([vec('gw-ecdsa')], id(IdType.ID_FQDN, 'gw.example.test'), now.getTime());
    expect(key.asymmetricKeyType).toBe('ec');
    expect(trust.verifyPeer([der('leaf-rsa'), der('int')], id(IdType.ID_IPV4_ADDR, Uint8Array.of(192, 0, 2, 1)), now).asymmetricKeyType).toBe('rsa');
  });

  it('refuses a missing certificate, an unbacked IDr, a wrong configured remote ID and an untrusted chain', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return e instanceof KiteError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => trust.verifyPeer([], id(IdType.ID_FQDN, 'gw.example.test'), now))).toBe('NO_PEER_CERTIFICATE');
    expect(code(() => trust.verifyPeer([vec('gw')], id(IdType.ID_FQDN, 'vpn.example.test'), now))).toBe('ID_MISMATCH');
    const pinned = createPeerTrust({ cas: [vec('ca')], remoteId: id(IdType.ID_FQDN, 'other.example.test') });
    expect(code(() => pinned.verifyPeer([vec('gw')], id(IdType.ID_FQDN, 'gw.example.test'), now))).toBe('ID_MISMATCH');
    expect(code(() => pinned.verifyPeer([der('leaf-rsa'), der('int')], id(IdType.ID_FQDN, 'vpn.example.test'), now))).toBe('CHAIN_UNTRUSTED');
    expect(code(() => createPeerTrust({ cas: [] }))).toBe('NO_CA');
  });
});

describe('SAN kinds beyond DNS, email and IP (certificate made with openssl in a temporary directory)', () => {
  let dir = '';
  let cert = new Uint8Array();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kite-pki-'));
    writeFileSync(join(dir, 'c.cnf'), [
      '[req]', 'distinguished_name = dn', '[dn]', '[ext]',
      'subjectAltName = dirName:alt_dn, URI:https://vpn.example.test/, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@example.test, DNS:Mixed.Example.TEST',
      '[alt_dn]', 'C = XX', 'O = Alt Org', 'CN = alt name', '',
    ].join('\n'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'),
      '-subj', '/CN=san test', '-days', '2', '-config', join(dir, 'c.cnf'), '-extensions', 'ext', '-out', join(dir, 'c.pem')], { stdio: 'pipe' });
    cert = new Uint8Array(new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads directoryName, URI and otherName entries', () => {
    expect(parseCertificate(cert).altNames.map((n) => n.kind)).toEqual(['dn', 'uri', 'other', 'dns']);
    expect(certificateIdentities(cert).map(identityToString)).toEqual(['DN CN=alt name,O=Alt Org,C=XX', 'FQDN Mixed.Example.TEST', 'DN CN=san test']);
  });

  it('matches ID_DER_ASN1_DN against a directoryName SAN and FQDN case-insensitively', () => {
    expect(matchIdentity(cert, parseIdentity('C=XX, O=Alt Org, CN=alt name'))).toBe(true);
    expect(matchIdentity(cert, parseIdentity('CN=san test'))).toBe(true);
    expect(matchIdentity(cert, parseIdentity('C=XX, O=Other, CN=alt name'))).toBe(false);
    expect(matchIdentity(cert, parseIdentity('@mixed.example.test'))).toBe(true);
    expect(matchIdentity(cert, parseIdentity('user@example.test'))).toBe(false); // a UPN otherName is not an rfc822Name
  });
});
