import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdType } from '../iana/ikev2.js';
import { createPeerTrust } from '../pki/trust.js';
import { ipToBytes } from './addr.js';
import { Harness } from './testing/harness.testkit.js';

const PKI = resolve(import.meta.dirname, '../pki/testdata');
const der = (name: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(resolve(PKI, `${name}.crt.pem`))).raw);
const key = (name: string) => createPrivateKey(readFileSync(resolve(PKI, `${name}.key.pem`)));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function gateway(id: { idType: number; data: Uint8Array }, chain = true) {
  return { privateKey: key('leaf-rsa'), certificates: chain ? [der('leaf-rsa'), der('int')] : [der('leaf-rsa')], id };
}

describe('peer certificate chain and identity', () => {
  it('accepts a gateway whose certificate chains through an intermediate it sends (FQDN IDr)', () => {
    const fqdn = { idType: IdType.ID_FQDN, data: text('vpn.example.test') };
    const h = new Harness({ trust: createPeerTrust({ cas: [der('root')] }), remoteId: fqdn }, gateway(fqdn)).start();
    expect(h.eventsOf('failed').map((e) => e.error.message)).toEqual([]);
    expect(h.initiator.status().state).toBe('established');
  });

  it('accepts an IPv4 identity present in the certificate\'s SAN', () => {
    const ip = { idType: IdType.ID_IPV4_ADDR, data: ipToBytes('192.0.2.1') };
    const h = new Harness({ trust: createPeerTrust({ cas: [der('root')], remoteId: ip }) }, gateway(ip)).start();
    expect(h.initiator.status().state).toBe('established');
  });

  it('refuses when the intermediate is missing', () => {
    const fqdn = { idType: IdType.ID_FQDN, data: text('vpn.example.test') };
    const h = new Harness({ trust: createPeerTrust({ cas: [der('root')] }) }, gateway(fqdn, false)).start();
    expect(h.eventsOf('failed')[0]?.error.code).toBe('CHAIN_UNTRUSTED');
  });

  it('refuses an IDr that the certificate does not contain, naming what it does contain', () => {
    const other = { idType: IdType.ID_FQDN, data: text('other.example.test') };
    const h = new Harness({ trust: createPeerTrust({ cas: [der('root')] }) }, gateway(other)).start();
    const err = h.eventsOf('failed')[0]?.error;
    expect(err?.code).toMatch(/ID/);
    expect(err?.message).toMatch(/vpn\.example\.test/);
  });

  it('refuses a gateway that is not the configured remote identity', () => {
    const alt = { idType: IdType.ID_FQDN, data: text('alt.example.test') };
    const h = new Harness({ trust: createPeerTrust({ cas: [der('root')], remoteId: { idType: IdType.ID_FQDN, data: text('vpn2.example.test') } }) }, gateway(alt)).start();
    expect(h.eventsOf('failed')).toHaveLength(1);
  });
});
