import { readFileSync } from 'node:fs';
import { sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KiteError } from '../errors.js';
import { caMatchesCertreq, certDer, certreqData, certreqHash, checkKeyFileMode, loadCertificates, loadPrivateKey, publicKeyOf } from './certs.js';

const text = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const vector = (name: string): string => readFileSync(new URL(`../../vectors/strongswan/pki/${name}`, import.meta.url), 'utf8');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof KiteError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return 'no error';
};

describe('loadCertificates', () => {
  it('reads a bundle in order and a single DER certificate', () => {
    const bundle = loadCertificates(`${text('leaf-rsa.crt.pem')}\n${text('int.crt.pem')}\n${text('root.crt.pem')}`);
    expect(bundle.map((c) => c.subject.split('\n').at(-1))).toEqual(['CN=vpn.example.test', 'CN=Kite Intermediate CA', 'CN=Kite Root CA']);
    const [der] = loadCertificates(certDer(bundle[1] ?? new Uint8Array()));
    expect(der?.subject).toBe(bundle[1]?.subject);
    expect(loadCertificates(new TextEncoder().encode(text('root.crt.pem')))).toHaveLength(1);
  });

  it('names the problem when there is no certificate or a block is broken', () => {
    expect(code(() => loadCertificates(text('leaf-ec.key.pem')))).toMatch(/^NO_CERTIFICATE: /);
    const broken = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
    expect(code(() => loadCertificates(text('root.crt.pem') + broken))).toMatch(/^BAD_CERTIFICATE: PEM block 2 /);
  });
});

describe('loadPrivateKey', () => {
  it('reads PEM (RSA and EC), DER and encrypted PKCS#8 keys', () => {
    expect(loadPrivateKey(text('leaf-rsa.key.pem')).asymmetricKeyType).toBe('rsa');
    const ec = loadPrivateKey(text('leaf-ec.key.pem'));
    expect(ec.asymmetricKeyType).toBe('ec');
    const der = loadPrivateKey(new Uint8Array(readFileSync(new URL('./testdata/leaf-ec.key.der', import.meta.url))));
    expect(der.equals(ec)).toBe(true);
    expect(loadPrivateKey(text('leaf-ec.enc.key.pem'), 'kite-test').equals(ec)).toBe(true);
  });

  it('asks for a missing or wrong passphrase and refuses garbage', () => {
    expect(code(() => loadPrivateKey(text('leaf-ec.enc.key.pem')))).toMatch(/^KEY_PASSPHRASE: .*encrypted/);
    expect(code(() => loadPrivateKey(text('leaf-ec.enc.key.pem'), 'wrong'))).toMatch(/^KEY_PASSPHRASE: .*passphrase/);
    expect(code(() => loadPrivateKey(Uint8Array.of(0x30, 1, 0)))).toMatch(/^BAD_PRIVATE_KEY: /);
    expect(code(() => loadPrivateKey(text('root.crt.pem')))).toMatch(/^BAD_PRIVATE_KEY: /);
  });
});

describe('checkKeyFileMode', () => {
  it('accepts owner-only modes and names chmod 600 otherwise', () => {
    expect(code(() => checkKeyFileMode(0o100600, '/etc/kite/key.pem'))).toBe('no error');
    expect(code(() => checkKeyFileMode(0o100400, 'k.pem'))).toBe('no error');
    expect(code(() => checkKeyFileMode(0o100644, '/etc/kite/key.pem'))).toBe(
      'KEY_FILE_PERMISSIONS: private key /etc/kite/key.pem is accessible by group or others (mode 0644); fix: chmod 600 /etc/kite/key.pem');
    expect(code(() => checkKeyFileMode(0o100601, 'k.pem'))).toMatch(/chmod 600 k\.pem$/);
    expect(code(() => checkKeyFileMode(0o100640, 'k.pem'))).toMatch(/mode 0640/);
  });
});

describe('publicKeyOf', () => {
  it('verifies signatures made with the matching private key', () => {
    for (const [cert, key] of [['leaf-rsa.crt.pem', 'leaf-rsa.key.pem'], ['leaf-ec.crt.pem', 'leaf-ec.key.pem']] as const) {
      const [c] = loadCertificates(text(cert));
      if (c === undefined) throw new Error('fixture');
      const data = new TextEncoder().encode('signed octets');
      const sig = sign('sha256', data, loadPrivateKey(text(key)));
      expect(verify('sha256', data, publicKeyOf(c), sig)).toBe(true);
      expect(verify('sha256', data.subarray(1), publicKeyOf(certDer(c)), sig)).toBe(false);
    }
  });
});

describe('certreqHash', () => {
  // Expected values: `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha1sum`, and for
  // the strongSwan CA also `pki --keyid` ("SHA-1 of subjectPublicKeyInfo").
  it('is the SHA-1 of the SubjectPublicKeyInfo', () => {
    const [ca] = loadCertificates(vector('ca.crt.pem'));
    if (ca === undefined) throw new Error('fixture');
    expect(hex(certreqHash(ca))).toBe('9ae00b50872f8e682b6c18af2131b85f4b29d552');
    const [root] = loadCertificates(text('root.crt.pem'));
    const [int] = loadCertificates(text('int.crt.pem'));
    if (root === undefined || int === undefined) throw new Error('fixture');
    expect(hex(certreqHash(root))).toBe('7014501ff20078287a48f413453a9c7cb54e2d94');
    expect(hex(certreqHash(int))).toBe('76b0ae5f1b723d893ceb8f2cefaa8e3ecfcd85c3');
  });

  it('finds a CA in CERTREQ data holding several hashes', () => {
    const [ca] = loadCertificates(vector('ca.crt.pem'));
    const [root] = loadCertificates(text('root.crt.pem'));
    const [int] = loadCertificates(text('int.crt.pem'));
    const [other] = loadCertificates(text('other.crt.pem'));
    if (ca === undefined || root === undefined || int === undefined || other === undefined) throw new Error('fixture');
    const data = certreqData([ca, root]);
    expect(data).toHaveLength(40);
    expect(caMatchesCertreq(root, data)).toBe(true);
    expect(caMatchesCertreq(ca, data)).toBe(true);
    expect(caMatchesCertreq(int, data)).toBe(false);
    expect(caMatchesCertreq(other, data)).toBe(false); // same subject as root, other key
    expect(caMatchesCertreq(root, data.subarray(0, 39))).toBe(false); // root's hash cut short
    expect(caMatchesCertreq(ca, new Uint8Array())).toBe(false);
  });
});
