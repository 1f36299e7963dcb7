import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KiteError } from '../errors.js';
import { CertificateError, verifyChain, type ChainInput } from './chain.js';
import { crlDers, parseCrl } from './crl.js';

const pem = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const der = (name: string): Uint8Array => new Uint8Array(new X509Certificate(pem(`./testdata/${name}.crt.pem`)).raw);
const vec = (name: string): Uint8Array => new Uint8Array(new X509Certificate(pem(`../../vectors/strongswan/pki/${name}.crt.pem`)).raw);
const crl = (): Uint8Array => crlDers(pem('./testdata/int.crl.pem'))[0] ?? new Uint8Array();
const NOW = new Date('2030-01-01T00:00:00Z');

function base(leaf: string, extra: Partial<ChainInput> = {}): ChainInput {
  return { leaf: der(leaf), intermediates: [der('int')], trustAnchors: [der('root')], now: NOW, ...extra };
}

function failure(input: ChainInput): { code: string; message: string; cert: string } {
  try {
    verifyChain(input);
  } catch (e) {
    if (e instanceof CertificateError) return { code: e.code, message: e.message, cert: e.certificate };
    if (e instanceof KiteError) return { code: e.code, message: e.message, cert: '' };
    throw e;
  }
  throw new Error('chain was accepted');
}

describe('verifyChain: good chains', () => {
  it('accepts RSA and ECDSA leaves through the ECDSA intermediate to the RSA root', () => {
    for (const leaf of ['leaf-rsa', 'leaf-ec', 'leaf-dn']) {
      const r = verifyChain(base(leaf));
      expect(r.path.map((c) => c.subjectText.split(',')[0])).toEqual([r.leaf.subjectText.split(',')[0], 'CN=Kite Intermediate CA', 'CN=Kite Root CA']);
      expect(r.anchor.subjectText).toBe('CN=Kite Root CA,O=Kite PKI Test,C=XX');
      expect(r.revocation).toEqual(['unknown', 'unknown']);
    }
  });

  it('verifies the committed strongSwan test PKI (RSA-2048 and ECDSA-P256, gateway and client)', () => {
    for (const leaf of ['gw', 'gw-ecdsa', 'client', 'client-ecdsa']) {
      const r = verifyChain({ leaf: vec(leaf), intermediates: [], trustAnchors: [vec('ca')], now: new Date('2027-06-01T00:00:00Z') });
      expect(r.path).toHaveLength(2);
      expect(r.anchor.subjectText).toBe('CN=Kite Test CA,O=Kite Test,C=XX');
    }
  });

  it('ignores unrelated certificates and their order, takes `now` as a number, and picks the right anchor', () => {
    const r = verifyChain({
      leaf: der('leaf-rsa'), intermediates: [der('leaf-ec'), der('other'), der('int')],
      trustAnchors: [vec('ca'), der('other'), der('root')], now: NOW.getTime(),
    });
    expect(r.path).toHaveLength(3);
    expect(Buffer.compare(r.anchor.der, der('root'))).toBe(0);
  });

  it('accepts a leaf configured directly as trusted', () => {
    expect(verifyChain({ leaf: der('leaf-ec'), intermediates: [], trustAnchors: [der('leaf-ec')], now: NOW }).path).toHaveLength(1);
  });
});

describe('verifyChain: refusals', () => {
  it('CHAIN_UNTRUSTED for a missing CA or intermediate, naming subject, issuer and the fix', () => {
    const f = failure({ leaf: der('leaf-rsa'), intermediates: [der('int')], trustAnchors: [vec('ca')], now: NOW });
    expect(f.code).toBe('CHAIN_UNTRUSTED');
    expect(f.message).toBe('certificate for CN=vpn.example.test,O=Kite PKI Test,C=XX is not signed by a configured CA ' +
      '(subject "CN=Kite Intermediate CA,O=Kite PKI Test,C=XX", issuer "CN=Kite Root CA,O=Kite PKI Test,C=XX") ' +
      '(its chain reached CN=Kite Intermediate CA,O=Kite PKI Test,C=XX); fix: add the CA that issued it with --ca');
    const g = failure(base('leaf-rsa', { intermediates: [] }));
    expect(g.code).toBe('CHAIN_UNTRUSTED');
    expect(g.message).toContain('issuer "CN=Kite Intermediate CA,O=Kite PKI Test,C=XX")');
  });

  it('CHAIN_UNTRUSTED when a CA of the same name did not sign it (wrong key)', () => {
    const f = failure(base('leaf-other'));
    expect(f.code).toBe('CHAIN_UNTRUSTED');
    expect(f.message).toContain('its key did not sign it');
    const g = failure({ leaf: der('leaf-rsa'), intermediates: [der('int')], trustAnchors: [der('other')], now: NOW });
    expect(g.code).toBe('CHAIN_UNTRUSTED');
  });

  it('CERT_EXPIRED and CERT_NOT_YET_VALID with the dates', () => {
    const f = failure(base('leaf-expired'));
    expect(f.code).toBe('CERT_EXPIRED');
    expect(f.message).toBe('certificate CN=expired.example.test,O=Kite PKI Test,C=XX expired on 2021-01-01T00:00:00Z ' +
      '(valid from 2020-01-01T00:00:00Z, now 2030-01-01T00:00:00Z); fix: renew it, or check this machine\'s clock');
    const g = failure(base('leaf-future'));
    expect(g.code).toBe('CERT_NOT_YET_VALID');
    expect(g.message).toContain('not valid before 2060-01-01T00:00:00Z');
    // The same certificates are fine at a time inside their validity.
    expect(verifyChain(base('leaf-future', { now: new Date('2060-06-01T00:00:00Z') })).path).toHaveLength(3);
    // A CA that is not yet valid fails too, and the error names the CA.
    const h = failure(base('leaf-rsa', { now: new Date('2020-06-01T00:00:00Z') }));
    expect(h.code).toBe('CERT_NOT_YET_VALID');
  });

  it('CA_CONSTRAINTS for an issuer without CA:TRUE and for a pathLen violation', () => {
    const f = failure(base('under-notca', { intermediates: [der('notca'), der('int')] }));
    expect(f.code).toBe('CA_CONSTRAINTS');
    expect(f.cert).toBe('CN=Not A CA,O=Kite PKI Test,C=XX');
    expect(f.message).toContain('is not a CA (basicConstraints CA:FALSE)');
    const g = failure(base('under-sub', { intermediates: [der('sub'), der('int')] }));
    expect(g.code).toBe('CA_CONSTRAINTS');
    expect(g.message).toContain('CA CN=Kite Intermediate CA,O=Kite PKI Test,C=XX has pathLen 0 but 1 intermediate CA(s) follow it');
  });

  it('KEY_USAGE for a CA without keyCertSign and a leaf without digitalSignature', () => {
    const f = failure(base('under-nosign', { intermediates: [der('nosign')] }));
    expect(f.code).toBe('KEY_USAGE');
    expect(f.message).toContain('without keyCertSign');
    const g = failure(base('leaf-badku'));
    expect(g.code).toBe('KEY_USAGE');
    expect(g.message).toContain('keyUsage keyEncipherment without digitalSignature');
  });
});

describe('verifyChain: revocation', () => {
  it('CERT_REVOKED for a serial on the intermediate\'s CRL, with date and reason', () => {
    const f = failure(base('leaf-revoked', { crls: [crl()] }));
    expect(f.code).toBe('CERT_REVOKED');
    expect(f.message).toMatch(/^certificate CN=revoked\.example\.test,O=Kite PKI Test,C=XX \(serial [0-9a-f]+\) was revoked on \d{4}-\d\d-\d\dT[\d:]+Z \(keyCompromise\) by CN=Kite Intermediate CA/);
    // Without the CRL the same chain passes, with revocation unknown.
    expect(verifyChain(base('leaf-revoked')).revocation).toEqual(['unknown', 'unknown']);
  });

  it('reports good for a certificate the fresh CRL does not list, stale once it is past nextUpdate', () => {
    expect(verifyChain(base('leaf-ec', { crls: [crl()] })).revocation).toEqual(['good', 'unknown']);
    expect(verifyChain(base('leaf-ec', { crls: [crl()], now: new Date('2095-01-01T00:00:00Z') })).revocation).toEqual(['stale', 'unknown']);
  });

  it('CRL_INVALID for a CRL whose signature does not verify or that does not parse', () => {
    const bad = crl().slice();
    bad[bad.length - 5] = (bad[bad.length - 5] ?? 0) ^ 0xff;
    expect(failure(base('leaf-ec', { crls: [bad] })).code).toBe('CRL_INVALID');
    expect(failure(base('leaf-ec', { crls: [Uint8Array.of(0x30, 0)] })).code).toBe('CRL_INVALID');
  });

  it('parses the CRL fields', () => {
    const c = parseCrl(crl());
    expect(c.issuerText).toBe('CN=Kite Intermediate CA,O=Kite PKI Test,C=XX');
    expect(c.nextUpdate?.toISOString()).toBe('2090-01-01T00:00:00.000Z');
    expect(c.revoked).toHaveLength(1);
    expect(c.revoked[0]?.reason).toBe('keyCompromise');
    expect(crlDers(crl())).toHaveLength(1);
    expect(() => crlDers('nothing')).toThrow(/X509 CRL/);
  });
});

describe('verifyChain: critical extensions', () => {
  it('CERT_CRITICAL_EXTENSION for a critical extension Kite does not process (leaf signed in a temporary directory)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kite-chain-'));
    try {
      const td = (f: string): string => new URL(`./testdata/${f}`, import.meta.url).pathname;
      writeFileSync(join(dir, 'ext'), 'keyUsage=critical,digitalSignature\n1.3.6.1.4.1.99999.1=critical,ASN1:NULL\n');
      execFileSync('openssl', ['req', '-new', '-key', td('leaf-ec.key.pem'), '-subj', '/CN=crit.example.test', '-out', join(dir, 'req')], { stdio: 'pipe' });
      execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'req'), '-CA', td('int.crt.pem'), '-CAkey', td('int.key.pem'), '-set_serial', '7',
        '-days', '2', '-extfile', join(dir, 'ext'), '-out', join(dir, 'crt')], { stdio: 'pipe' });
      const leaf = new Uint8Array(new X509Certificate(readFileSync(join(dir, 'crt'))).raw);
      const f = failure({ leaf, intermediates: [der('int')], trustAnchors: [der('root')], now: new Date() });
      expect(f.code).toBe('CERT_CRITICAL_EXTENSION');
      expect(f.message).toContain('1.3.6.1.4.1.99999.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
