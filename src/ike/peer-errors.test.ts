import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KiteError, ParseError } from '../errors.js';
import { ExchangeType, IdType, NotifyError, NotifyStatus, PayloadType } from '../iana/ikev2.js';
import { createPeerTrust } from '../pki/trust.js';
import { buildProposals } from './proposal.js';
import { buildTrafficSelectors, checkResponderTs, parseTrafficSelector } from './ts.js';
import { isErrorNotify, LOCAL_ERROR_NOTIFY, notifyForLocalError, PeerError, peerError } from './peer-errors.js';

describe('peerError: every error notify from the peer', () => {
  it('has a cause and a fix for every registered error type', () => {
    for (const [name, type] of Object.entries(NotifyError)) {
      const e = peerError(type, { exchange: ExchangeType.IKE_AUTH });
      expect(e).toBeInstanceOf(PeerError);
      expect(e).toBeInstanceOf(KiteError);
      expect(e.code).toBe(name);
      expect(e.notifyType).toBe(type);
      expect(e.exchange).toBe('IKE_AUTH');
      expect(e.cause).not.toMatch(/no description/);
      expect(e.fix.length).toBeGreaterThan(5);
      expect(e.message).toBe(`the gateway answered IKE_AUTH with ${name}: ${e.cause}; fix: ${e.fix}`);
    }
  });

  it('NO_PROPOSAL_CHOSEN prints what we offered; in IKE_AUTH only the CHILD_SA is lost', () => {
    const offered = buildProposals({ protocol: 'esp', proposals: 'aes256gcm16-noesn' });
    const e = peerError(NotifyError.NO_PROPOSAL_CHOSEN, { exchange: ExchangeType.IKE_AUTH, offered });
    expect(e.message).toBe('the gateway answered IKE_AUTH with NO_PROPOSAL_CHOSEN: none of our proposals is acceptable to the gateway ' +
      '(we offered ESP:AES_GCM_16_256/NO_EXT_SEQ); fix: add one the gateway accepts (openiked 7.2\'s Linux default for ESP is aes256-sha512 / ' +
      'aes256-sha384, no ESN; see the gateway\'s log for its list)');
    expect(e.scope).toBe('child');
    const init = peerError(NotifyError.NO_PROPOSAL_CHOSEN, { exchange: ExchangeType.IKE_SA_INIT, offered: buildProposals({ protocol: 'ike' }) });
    expect(init.scope).toBe('ike');
    expect(init.cause).toContain('we offered IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519/ECP_256/MODP_2048, IKE:AES_CBC_256');
  });

  it('AUTHENTICATION_FAILED points at IDs, CA and certificate and ends the IKE SA', () => {
    const e = peerError(NotifyError.AUTHENTICATION_FAILED, { exchange: 'IKE_AUTH' });
    expect(e.scope).toBe('ike');
    expect(e.fix).toMatch(/CA the gateway trusts.*our ID.*private key/);
  });

  it('TS_UNACCEPTABLE prints the selectors we proposed', () => {
    const offeredTs = buildTrafficSelectors({ local: ['dynamic'], remote: ['192.168.101.0/24'] }, { requestVirtualIp4: true });
    const e = peerError(NotifyError.TS_UNACCEPTABLE, { exchange: ExchangeType.CREATE_CHILD_SA, offeredTs });
    expect(e.cause).toBe('the gateway\'s policy does not allow our traffic selectors (we proposed TSi 0.0.0.0/0, TSr 192.168.101.0/24)');
    expect(e.scope).toBe('child');
  });

  it('decodes the notification data it understands', () => {
    expect(peerError(NotifyError.INVALID_KE_PAYLOAD, { exchange: ExchangeType.IKE_SA_INIT, data: Uint8Array.of(0, 19) }).cause)
      .toBe('the gateway wants a different key exchange group: ECP_256');
    expect(peerError(NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD, { exchange: ExchangeType.IKE_AUTH, data: Uint8Array.of(PayloadType.CP) }).cause)
      .toContain('(payload type CP)');
    expect(peerError(NotifyError.CHILD_SA_NOT_FOUND, { exchange: ExchangeType.CREATE_CHILD_SA, data: Uint8Array.of(0xc1, 2, 3, 4) }).cause).toContain('(SPI 0xc1020304)');
    expect(peerError(NotifyError.CHILD_SA_NOT_FOUND, { exchange: ExchangeType.CREATE_CHILD_SA }).fix).toMatch(/drops its copy .* creates a fresh one/);
    expect(peerError(NotifyError.INVALID_KE_PAYLOAD, { exchange: ExchangeType.IKE_SA_INIT, data: Uint8Array.of(19) }).cause).not.toContain(':');
  });

  it('names unknown error types and tells errors from status notifies', () => {
    const e = peerError(9999, { exchange: 99 });
    expect(e.code).toBe('UNKNOWN_9999');
    expect(e.exchange).toBe('UNKNOWN_99');
    expect(e.message).toContain('no description');
    expect(isErrorNotify(NotifyError.TS_MAX_QUEUE)).toBe(true);
    expect(isErrorNotify(NotifyStatus.INITIAL_CONTACT)).toBe(false);
  });
});

describe('notifyForLocalError: what we send back', () => {
  it('UNSUPPORTED_CRITICAL_PAYLOAD carries the payload type', () => {
    const r = notifyForLocalError(new ParseError('UNSUPPORTED_CRITICAL_PAYLOAD', 'payload', 40, 'critical', 99));
    expect(r).toEqual({ notifyType: NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD, data: Uint8Array.of(99) });
  });

  it('malformed messages get INVALID_SYNTAX', () => {
    for (const code of ['INVALID_SYNTAX', 'TRUNCATED', 'BAD_LENGTH', 'BAD_VALUE', 'LIMIT'] as const) {
      expect(notifyForLocalError(new ParseError(code, 'x', 0))?.notifyType).toBe(NotifyError.INVALID_SYNTAX);
    }
  });

  it('TS_UNACCEPTABLE from checkResponderTs and AUTHENTICATION_FAILED from real certificate failures', () => {
    let tsError: unknown;
    try {
      checkResponderTs({ tsi: [parseTrafficSelector('10.0.0.0/8')], tsr: [parseTrafficSelector('10.1.0.0/16')] },
        { tsi: [parseTrafficSelector('11.0.0.0/8')], tsr: [parseTrafficSelector('10.1.0.0/16')] });
    } catch (e) {
      tsError = e;
    }
    expect(notifyForLocalError(tsError)?.notifyType).toBe(NotifyError.TS_UNACCEPTABLE);
    const der = (p: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(new URL(p, import.meta.url))).raw);
    const trust = createPeerTrust({ cas: [der('../pki/testdata/root.crt.pem')] });
    const fails: unknown[] = [];
    for (const [certs, id] of [
      [[der('../../vectors/strongswan/pki/gw.crt.pem')], 'gw.example.test'], // untrusted CA
      [[der('../pki/testdata/leaf-expired.crt.pem'), der('../pki/testdata/int.crt.pem')], 'expired.example.test'],
      [[der('../pki/testdata/leaf-rsa.crt.pem'), der('../pki/testdata/int.crt.pem')], 'wrong.example.test'],
      [[], 'x'],
    ] as const) {
      try {
        trust.verifyPeer(certs, { idType: IdType.ID_FQDN, data: new TextEncoder().encode(id) }, new Date('2030-01-01T00:00:00Z'));
      } catch (e) {
        fails.push(e);
      }
    }
    expect(fails.map((e) => (e instanceof KiteError ? e.code : '?'))).toEqual(['CHAIN_UNTRUSTED', 'CERT_EXPIRED', 'ID_MISMATCH', 'NO_PEER_CERTIFICATE']);
    for (const e of fails) expect(notifyForLocalError(e)).toEqual({ notifyType: NotifyError.AUTHENTICATION_FAILED, data: new Uint8Array(0) });
  });

  it('nothing for failures that are not answered with a notify', () => {
    expect(notifyForLocalError(new KiteError('TIMEOUT', 'x'))).toBeUndefined();
    expect(notifyForLocalError(new Error('x'))).toBeUndefined();
    expect(notifyForLocalError('x')).toBeUndefined();
    expect(Object.values(LOCAL_ERROR_NOTIFY).every((t) => isErrorNotify(t))).toBe(true);
  });
});
