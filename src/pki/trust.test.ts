import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KiteError } from '../errors.js';
import { IdType } from '../iana/ikev2.js';
import { CertificateError, verifyChain } from './chain.js';
import { crlDers, parseCrl } from './crl.js';
import { IdentityError } from './identity.js';
import { createPeerTrust } from './trust.js';
import { parseCertificate } from './x509.js';

const pem = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const der = (name: string): Uint8Array => new Uint8Array(new X509Certificate(pem(`./testdata/${name}.crt.pem`)).raw);
const crl = (): Uint8Array => crlDers(pem('./testdata/int.crl.pem'))[0] ?? new Uint8Array();
const fqdn = (s: string): { idType: number; data: Uint8Array } => ({ idType: IdType.ID_FQDN, data: new TextEncoder().encode(s) });
const NOW = new Date('2030-01-01T00:00:00Z');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('createPeerTrust', () => {
  it('verifies the peer chain, checks IDr and the configured remote ID, returns the leaf key', () => {
    const trust = createPeerTrust({ cas: [der('root')], remoteId: fqdn('alt.example.test') });
    const key = trust.verifyPeer([der('leaf-rsa'), der('int')], fqdn('vpn.example.test'), NOW);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(thrown(() => trust.verifyPeer([der('leaf-rsa'), der('int')], fqdn('other.example.test'), NOW))).toBeInstanceOf(IdentityError);
    const strict = createPeerTrust({ cas: [der('root')], remoteId: fqdn('nope.example.test') });
    expect(thrown(() => strict.verifyPeer([der('leaf-rsa'), der('int')], fqdn('vpn.example.test'), NOW))).toBeInstanceOf(IdentityError);
  });

  it('applies the CRLs it was given (parsed once, at creation)', () => {
    const trust = createPeerTrust({ cas: [der('root')], crls: [crl()] });
    const e = thrown(() => trust.verifyPeer([der('leaf-revoked'), der('int')], fqdn('revoked.example.test'), NOW));
    expect(e).toBeInstanceOf(CertificateError);
    expect((e as CertificateError).code).toBe('CERT_REVOKED');
    // an unparsable CRL is refused when the trust is built, not at the first handshake
    const bad = thrown(() => createPeerTrust({ cas: [der('root')], crls: [Uint8Array.of(0x30, 0)] }));
    expect(bad).toBeInstanceOf(KiteError);
    expect((bad as KiteError).code).toBe('CRL_INVALID');
  });

  it('names the missing certificate and the fix', () => {
    const trust = createPeerTrust({ cas: [der('root')] });
    const e = thrown(() => trust.verifyPeer([], fqdn('vpn.example.test'), NOW));
    expect((e as KiteError).code).toBe('NO_PEER_CERTIFICATE');
    expect((e as KiteError).message).toContain('fix:');
    expect((thrown(() => createPeerTrust({ cas: [] })) as KiteError).code).toBe('NO_CA');
  });
});

describe('verifyChain with parsed inputs', () => {
  it('gives the same path and revocation state as with DER', () => {
    const fromDer = verifyChain({ leaf: der('leaf-ec'), intermediates: [der('int')], trustAnchors: [der('root')], now: NOW, crls: [crl()] });
    const parsed = verifyChain({ leaf: parseCertificate(der('leaf-ec')), intermediates: [parseCertificate(der('int'))], trustAnchors: [parseCertificate(der('root'))], now: NOW, crls: [parseCrl(crl())] });
    expect(parsed.path.map((c) => c.subjectText)).toEqual(fromDer.path.map((c) => c.subjectText));
    expect(parsed.revocation).toEqual(['good', 'unknown']);
    expect(fromDer.revocation).toEqual(['good', 'unknown']);
  });
});
