import { describe, expect, it } from 'vitest';
import { KeGroup } from '../iana/ikev2.js';
import { Harness } from './testing/harness.testkit.js';

describe('initiator against the test responder', () => {
  it('establishes IKE SA and CHILD_SA with a virtual IP (RSA-2048, fragmented IKE_AUTH)', () => {
    const h = new Harness().start();
    const errs = h.eventsOf('failed');
    expect(errs.map((e) => e.error.message)).toEqual([]);
    expect(h.eventsOf('established')).toHaveLength(1);
    expect(h.installed).toHaveLength(1);
    const st = h.initiator.status();
    expect(st.state).toBe('established');
    expect(st.config?.ip4Addresses).toEqual(['10.99.1.1']);
    expect(st.config?.preferredIp4).toBe('10.99.1.1');
    expect(st.config?.ip4Dns).toEqual(['10.99.0.53']);
    expect(h.responder.initiatorAuthVerified).toBe(true);
    const c = h.installed[0]!;
    const rc = h.responder.child!;
    expect(c.params.spiIn).toBe(rc.spiI);
    expect(c.params.spiOut).toBe(rc.spiR);
    expect(Buffer.from(c.params.encrKeyOut)).toEqual(Buffer.from(rc.keys.encrI));
    expect(Buffer.from(c.params.encrKeyIn)).toEqual(Buffer.from(rc.keys.encrR));
    // RSA-2048 IKE_AUTH exceeds 1228 octets: fragmented both ways
    const toR = h.wire.filter((f) => f.toResponder);
    expect(toR.length).toBeGreaterThan(2);
    expect(toR.every((f) => f.data.length <= 1228)).toBe(true);
    expect(toR[1]!.remote.port).toBe(4500);
    expect(st.algorithms?.group).toBe(KeGroup.CURVE25519);
  });
});
