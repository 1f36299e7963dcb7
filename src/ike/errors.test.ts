import { describe, expect, it } from 'vitest';
import { NotifyType } from '../iana/ikev2.js';
import { IdType } from '../iana/ikev2.js';
import { decodeMessage, encodeMessage } from '../wire/message.js';
import { decodeHeader } from '../wire/header.js';
import { Harness, ts4 } from './testing/harness.testkit.js';
import type { KiteError } from '../errors.js';
import { notifyForLocalError } from './peer-errors.js';

function failure(h: Harness): (KiteError & { fix?: string; notifyType?: number }) | undefined {
  return h.eventsOf('failed')[0]?.error;
}

describe('error notifies from the peer', () => {
  for (const n of ['NO_PROPOSAL_CHOSEN', 'INVALID_SYNTAX', 'TEMPORARY_FAILURE'] as const) {
    it(`${n} in IKE_SA_INIT is unauthenticated: reported only after the wait, with cause and fix`, () => {
      const h = new Harness({ unauthenticatedErrorWaitMs: 3000 }, { error: { where: 'init', notifyType: NotifyType[n] } }).start();
      expect(h.eventsOf('failed')).toHaveLength(0);
      expect(h.initiator.status().state).toBe('connecting');
      h.advance(3000);
      const f = failure(h);
      expect(f?.code).toBe(n);
      expect(f?.notifyType).toBe(NotifyType[n]);
      expect(f?.message).toContain(n);
      expect(f?.fix?.length).toBeGreaterThan(0);
      if (n === 'NO_PROPOSAL_CHOSEN') expect(f?.message).toMatch(/we offered/);
    });
  }

  it('a forged IKE_SA_INIT error before the real response does not stop the handshake (RFC 7296 §2.21)', () => {
    const h = new Harness();
    h.filter = (f) => {
      if (!f.toResponder || f.data[18] !== 34) return [f];
      const hdr = decodeHeader(f.data);
      const forged = encodeMessage({
        header: { ...hdr, spiR: new Uint8Array(8), flags: 0x20, initiator: false, response: true },
        payloads: [{ type: 41, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.NO_PROPOSAL_CHOSEN, data: new Uint8Array(0) }],
      });
      return [{ toResponder: false, data: forged, local: f.remote, remote: f.local }, f];
    };
    h.start();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect(h.eventsOf('established')).toHaveLength(1);
  });

  for (const n of ['AUTHENTICATION_FAILED', 'TEMPORARY_FAILURE', 'INVALID_SYNTAX'] as const) {
    it(`${n} in IKE_AUTH ends the attempt at once`, () => {
      const h = new Harness({}, { error: { where: 'auth', notifyType: NotifyType[n] } }).start();
      const f = failure(h);
      expect(f?.code).toBe(n);
      expect(f?.message).toMatch(/IKE_AUTH/);
      expect(h.initiator.status().state).toBe('failed');
      expect(h.installed).toHaveLength(0);
    });
  }

  for (const n of ['NO_PROPOSAL_CHOSEN', 'TS_UNACCEPTABLE', 'INTERNAL_ADDRESS_FAILURE', 'FAILED_CP_REQUIRED', 'SINGLE_PAIR_REQUIRED', 'NO_ADDITIONAL_SAS'] as const) {
    it(`${n} for the CHILD_SA in IKE_AUTH fails with cause and fix`, () => {
      const h = new Harness({}, { error: { where: 'child', notifyType: NotifyType[n] } }).start();
      const f = failure(h);
      expect(f?.code).toBe(n);
      expect(f?.notifyType).toBe(NotifyType[n]);
      expect(f?.fix?.length).toBeGreaterThan(0);
      expect(h.installed).toHaveLength(0);
      // the IKE SA exists on the gateway: we delete it
      expect(h.responder.closed).toBe(true);
    });
  }

  it('a peer AUTH that does not verify is refused', () => {
    const h = new Harness({}, { badAuth: true }).start();
    expect(failure(h)?.code).toBe('AUTHENTICATION_FAILED');
    expect(h.installed).toHaveLength(0);
  });

  it('a peer that sends no certificate is refused with the same code as the trust check (NO_PEER_CERTIFICATE)', () => {
    const h = new Harness({}, { certificates: [] }).start();
    const f = failure(h);
    expect(f?.code).toBe('NO_PEER_CERTIFICATE');
    expect(f?.fix).toMatch(/send its certificate/);
    expect(h.installed).toHaveLength(0);
    expect(notifyForLocalError(f)).toEqual({ notifyType: NotifyType.AUTHENTICATION_FAILED, data: new Uint8Array(0) });
  });

  it('a peer whose certificate does not match the expected identity is refused', () => {
    const h = new Harness({}, { id: { idType: IdType.ID_FQDN, data: new TextEncoder().encode('evil.example.test') } }).start();
    expect(failure(h)?.code).toMatch(/ID/);
    expect(h.installed).toHaveLength(0);
  });

  it('a peer certificate from another CA is refused', () => {
    const h = new Harness({}, {}, { gw: 'client' }).start();
    expect(failure(h)).toBeDefined();
    expect(h.installed).toHaveLength(0);
  });

  it('refuses a TSr disjoint from what we proposed', () => {
    const h = new Harness({ tsRemote: [ts4('10.99.0.0', '10.99.0.255')] }, { tsr: [ts4('192.168.0.0', '192.168.255.255')] }).start();
    expect(failure(h)?.code).toBe('TS_UNACCEPTABLE');
  });

  it('accepts an unnarrowed (wider) TSr like iked\'s, cut down to our policy', () => {
    const h = new Harness({ tsRemote: [ts4('10.99.0.0', '10.99.0.255')] }, { tsr: [ts4('10.0.0.0', '10.255.255.255')] }).start();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect([...(h.installed[0]?.tsRemote[0]?.endAddress ?? [])]).toEqual([10, 99, 0, 255]);
  });

  it('accepts a TSr narrowed within what we proposed', () => {
    const h = new Harness({}, { tsr: [{ tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: Uint8Array.of(10, 99, 0, 0), endAddress: Uint8Array.of(10, 99, 0, 255) }] }).start();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect([...(h.installed[0]?.tsRemote[0]?.startAddress ?? [])]).toEqual([10, 99, 0, 0]);
  });

  it('INVALID_KE_PAYLOAD asking for a group we did not offer is not followed', () => {
    const h = new Harness({ unauthenticatedErrorWaitMs: 1000 }, { error: { where: 'init', notifyType: NotifyType.INVALID_KE_PAYLOAD, data: Uint8Array.of(0, 15) } }).start();
    expect(h.wire.filter((f) => f.toResponder)).toHaveLength(1);
    h.advance(1000);
    expect(failure(h)?.code).toBe('INVALID_KE_PAYLOAD');
    expect(failure(h)?.message).toMatch(/did not offer/);
  });
});

describe('forged IKE_SA_INIT responses', () => {
  it('a response with an invalid KE value does not end the attempt; the genuine one completes it', () => {
    const h = new Harness();
    h.filter = (f) => {
      if (f.toResponder || f.data[18] !== 34) return [f];
      // the same response with an all-zero X25519 value (RFC 7748 §6.1 check fails)
      const m = decodeMessage(f.data);
      const forged = encodeMessage({ header: m.header, payloads: m.payloads.map((p) => (p.type === 34 && 'group' in p ? { ...p, data: new Uint8Array(p.data.length) } : p)) });
      return [{ ...f, data: forged }, f];
    };
    h.start();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect(h.eventsOf('log').some((e) => e.message.startsWith('ignoring unauthenticated error'))).toBe(true);
    expect(h.initiator.status().state).toBe('established');
  });
});
