import { describe, expect, it } from 'vitest';
import { AuthMethod, EncrId, KeGroup, NotifyType, PayloadType } from '../iana/ikev2.js';
import { findPayload } from '../wire/payload.js';
import { Harness, ikeProposals } from './testing/harness.testkit.js';

function established(h: Harness): void {
  expect(h.eventsOf('failed').map((e) => e.error.message)).toEqual([]);
  expect(h.eventsOf('established')).toHaveLength(1);
  expect(h.initiator.status().state).toBe('established');
  expect(h.responder.initiatorAuthVerified).toBe(true);
}

function authMethodSent(h: Harness): number | undefined {
  const req = h.responder.requests.find((r) => r.exchangeType === 35);
  return req === undefined ? undefined : findPayload(req.payloads, PayloadType.AUTH)?.method;
}

describe('initiator against the test responder', () => {
  it('establishes IKE SA and CHILD_SA with a virtual IP (RSA-2048, fragmented IKE_AUTH)', () => {
    const h = new Harness().start();
    established(h);
    expect(h.installed).toHaveLength(1);
    const st = h.initiator.status();
    expect(st.config?.ip4Addresses).toEqual(['10.99.1.1']);
    expect(st.config?.preferredIp4).toBe('10.99.1.1');
    expect(st.config?.ip4Dns).toEqual(['10.99.0.53']);
    expect(st.config?.ip4Netmask).toBe('255.255.255.255');
    const c = h.installed[0]!;
    const rc = h.responder.child!;
    expect(c.params.spiIn).toBe(rc.spiI);
    expect(c.params.spiOut).toBe(rc.spiR);
    expect(Buffer.from(c.params.encrKeyOut)).toEqual(Buffer.from(rc.encrToR));
    expect(Buffer.from(c.params.encrKeyIn)).toEqual(Buffer.from(rc.encrToI));
    expect(c.params.encrId).toBe(EncrId.ENCR_AES_GCM_16);
    expect(c.params.mode).toBe('tunnel');
    expect(c.tsLocal).toHaveLength(1);
    const toR = h.wire.filter((f) => f.toResponder);
    expect(toR.length).toBeGreaterThan(2);
    expect(toR.every((f) => f.data.length <= 1228)).toBe(true);
    expect(toR[1]!.remote.port).toBe(4500);
    expect(st.algorithms?.group).toBe(KeGroup.CURVE25519);
    expect(authMethodSent(h)).toBe(AuthMethod.DIGITAL_SIGNATURE);
    expect(h.eventsOf('childUp')[0]?.config?.preferredIp4).toBe('10.99.1.1');
  });

  for (const group of [KeGroup.CURVE25519, KeGroup.ECP_256, KeGroup.MODP_2048]) {
    it(`negotiates KE group ${group} (INVALID_KE_PAYLOAD retry when not first)`, () => {
      const h = new Harness({}, { groups: [group] }).start();
      established(h);
      expect(h.initiator.status().algorithms?.group).toBe(group);
      const inits = h.wire.filter((f) => f.toResponder && f.data[18] === 34).length;
      expect(inits).toBe(group === KeGroup.CURVE25519 ? 1 : 2);
    });
  }

  it('uses AES-CBC + HMAC-SHA2-256 for IKE when that proposal is the one offered', () => {
    const h = new Harness({ ikeProposals: ikeProposals('aes256-sha256-prfsha256-modp2048') }, {}).start();
    established(h);
    expect(h.initiator.status().algorithms).toEqual({ encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: 12, prfId: 5, group: KeGroup.MODP_2048 });
  });

  it('ECDSA P-256 certificates on both sides fit in one datagram', () => {
    const h = new Harness({}, {}, { client: 'client-ecdsa', gw: 'gw-ecdsa' }).start();
    established(h);
    const auth = h.wire.filter((f) => f.toResponder && f.data[18] === 35);
    expect(auth).toHaveLength(1);
  });

  it('signs with method 1 (RSA) / 9 (ECDSA P-256) when the peer sent no SIGNATURE_HASH_ALGORITHMS', () => {
    const rsa = new Harness({}, { signatureHashes: false }).start();
    established(rsa);
    expect(authMethodSent(rsa)).toBe(AuthMethod.RSA_DIGITAL_SIGNATURE);
    const ec = new Harness({}, { signatureHashes: false }, { client: 'client-ecdsa', gw: 'gw-ecdsa' }).start();
    established(ec);
    expect(authMethodSent(ec)).toBe(AuthMethod.ECDSA_SHA256_P256);
  });

  it('does not fragment when the peer does not support it', () => {
    const h = new Harness({}, { fragmentation: false }).start();
    established(h);
    const auth = h.wire.filter((f) => f.toResponder && f.data[18] === 35);
    expect(auth).toHaveLength(1);
    expect(auth[0]!.data.length).toBeGreaterThan(1228);
  });

  it('fragments to a small configured size', () => {
    const h = new Harness({ fragmentSize: 500 }, { fragmentSize: 500 }).start();
    established(h);
    const auth = h.wire.filter((f) => f.toResponder && f.data[18] === 35);
    expect(auth.length).toBeGreaterThanOrEqual(4);
    expect(auth.every((f) => f.data.length <= 500)).toBe(true);
  });

  it('echoes a COOKIE', () => {
    const h = new Harness({}, { cookie: true }).start();
    established(h);
    expect(h.wire.filter((f) => f.toResponder && f.data[18] === 34)).toHaveLength(2);
  });

  it('detects a NAT in front of us, moves to 4500 and sends keepalives', () => {
    const h = new Harness({ mobike: false, keepaliveMs: 20_000 }, { natInitiator: true }).start();
    established(h);
    const st = h.initiator.status();
    expect(st.natLocal).toBe(true);
    expect(st.local.port).toBe(4500);
    expect(h.installed[0]?.encap?.remote.port).toBe(4500);
    h.advance(20_000);
    expect(h.wire.at(-1)?.data).toEqual(Uint8Array.of(0xff));
  });

  it('stays on 500 without NAT and without MOBIKE', () => {
    const h = new Harness({ mobike: false }, {}).start();
    established(h);
    expect(h.initiator.status().remote.port).toBe(500);
    expect(h.installed[0]?.encap).toBeUndefined();
  });

  it('fakes NAT detection so the peer encapsulates', () => {
    const h = new Harness({ fakeNat: true, mobike: false }, {}).start();
    established(h);
    expect(h.initiator.status().natLocal).toBe(true);
    expect(h.initiator.status().remote.port).toBe(4500);
  });

  it('exposes several assigned addresses and uses the preferred one', () => {
    const h = new Harness({ virtualIp: { ip4: true, ip6: false, preferredIp4: '192.168.101.7' } }, { pool: ['192.168.101.1', '192.168.101.7'] }).start();
    established(h);
    const cfg = h.initiator.status().config;
    expect(cfg?.ip4Addresses).toEqual(['192.168.101.1', '192.168.101.7']);
    expect(cfg?.preferredIp4).toBe('192.168.101.7');
  });

  it('asks for a specific address and IPv6 when configured', () => {
    const h = new Harness({ virtualIp: { ip4: true, ip6: true, requestIp4: '10.99.1.9' } }, {}).start();
    established(h);
    const cp = findPayload(h.responder.requests[0]!.payloads, PayloadType.CP);
    expect(cp?.attributes.map((a) => a.type)).toEqual([1, 3, 8, 10]);
    expect([...(cp?.attributes[0]?.value ?? [])]).toEqual([10, 99, 1, 9]);
  });

  it('offers IPComp with our CPI and records the peer\'s', () => {
    const h = new Harness({ ipcompCpi: 0x4321 }, {}).start();
    established(h);
    expect(h.installed[0]?.params.ipcomp).toEqual({ cpiIn: 0x4321, cpiOut: 0x1234, transform: 2 });
  });

  it('sends INITIAL_CONTACT, MOBIKE_SUPPORTED, CERTREQ and IDr', () => {
    const h = new Harness().start();
    const req = h.responder.requests[0]!.payloads;
    const types = req.map((p) => (p.type === PayloadType.NOTIFY && 'notifyType' in p ? `N${p.notifyType}` : String(p.type)));
    expect(types).toContain(`N${NotifyType.INITIAL_CONTACT}`);
    expect(types).toContain(`N${NotifyType.MOBIKE_SUPPORTED}`);
    expect(findPayload(req, PayloadType.CERTREQ)?.data.length).toBe(20);
    expect(findPayload(req, PayloadType.IDr)).toBeDefined();
    expect(h.initiator.status().peerMobike).toBe(true);
  });
});

describe('other paths and peers', () => {
  it('works over IPv6 (NAT detection hashes 16-octet addresses)', () => {
    const h = new Harness({ local: { address: '2001:db8::1', port: 500 }, remote: { address: '2001:db8::2', port: 500 }, mobike: false },
      { local: { address: '2001:db8::2', port: 500 } }).start();
    established(h);
    expect(h.initiator.status().natLocal).toBe(false);
    expect(h.initiator.status().remote.port).toBe(500);
  });

  it('reassembles an iked-style IKE_AUTH response in three small fragments with two addresses', () => {
    const h = new Harness({ virtualIp: { ip4: true, ip6: false } }, { fragmentSize: 594, pool: ['192.168.101.1', '192.168.101.5'] }).start();
    established(h);
    const frags = h.wire.filter((f) => !f.toResponder && f.data[18] === 35);
    expect(frags.length).toBeGreaterThanOrEqual(3);
    expect(frags.every((f) => f.data.length <= 594)).toBe(true);
    expect(h.initiator.status().config?.ip4Addresses).toEqual(['192.168.101.1', '192.168.101.5']);
    expect(h.initiator.status().config?.preferredIp4).toBe('192.168.101.1');
  });
});
