import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { namesEqual, parseCertificate, safeDn } from './x509.js';

const der = (name: string): Uint8Array =>
  new Uint8Array(new X509Certificate(readFileSync(new URL(`./testdata/${name}.crt.pem`, import.meta.url))).raw);

describe('parseCertificate', () => {
  it('reads names, validity, SAN of every kind, keyUsage and basicConstraints', () => {
    const c = parseCertificate(der('leaf-rsa'));
    expect(c.subjectText).toBe('CN=vpn.example.test,O=Kite PKI Test,C=XX');
    expect(c.issuerText).toBe('CN=Kite Intermediate CA,O=Kite PKI Test,C=XX');
    expect(c.basicConstraints).toEqual({ ca: false });
    expect([...(c.keyUsage ?? [])]).toEqual(['digitalSignature']);
    expect(c.altNames).toEqual([
      { kind: 'dns', value: 'vpn.example.test' },
      { kind: 'dns', value: 'alt.example.test' },
      { kind: 'ip', value: Uint8Array.of(192, 0, 2, 1) },
      { kind: 'ip', value: Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) },
    ]);
    expect(c.notAfter.getUTCFullYear()).toBeGreaterThan(2100);
    expect(c.unknownCritical).toEqual([]);
  });

  it('reads pathLen and CA key usages', () => {
    const c = parseCertificate(der('int'));
    expect(c.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    expect([...(c.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'keyCertSign']);
    expect(parseCertificate(der('root')).basicConstraints).toEqual({ ca: true });
  });

  it('reads an email SAN and exact validity dates', () => {
    expect(parseCertificate(der('leaf-ec')).altNames).toEqual([{ kind: 'email', value: 'alice@example.test' }]);
    const e = parseCertificate(der('leaf-expired'));
    expect(e.notBefore.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(e.notAfter.toISOString()).toBe('2021-01-01T00:00:00.000Z');
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() => parseCertificate(Uint8Array.of(0x30, 0x03, 1, 2))).toThrow(/certificate/);
  });
});

describe('namesEqual', () => {
  it('matches equal names and ignores case and spacing', () => {
    const a = parseCertificate(der('leaf-rsa'));
    const b = parseCertificate(der('leaf-other'));
    expect(namesEqual(a.subject, b.subject)).toBe(true);
    expect(namesEqual(a.subject, a.issuer)).toBe(false);
    expect(safeDn(Uint8Array.of(1, 2))).toBe('#0102');
  });
});
