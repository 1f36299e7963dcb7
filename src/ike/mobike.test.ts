import { describe, expect, it } from 'vitest';
import { Harness } from './testing/harness.testkit.js';

describe('MOBIKE (RFC 4555)', () => {
  it('moves the IKE SA and CHILD_SAs to a new local address with UPDATE_SA_ADDRESSES', () => {
    const h = new Harness().start();
    expect(h.initiator.status().peerMobike).toBe(true);
    const newLocal = { address: '198.51.100.7', port: 4500 };
    h.apply(h.initiator.updateLocalAddress(newLocal, h.now));
    h.settle();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect(h.responder.pathUpdates).toEqual([newLocal]);
    const moved = h.eventsOf('pathChanged');
    expect(moved).toHaveLength(1);
    expect(moved[0]?.local).toEqual(newLocal);
    expect(h.wire.at(-2)?.local).toEqual(newLocal);
    expect(h.initiator.status().natLocal).toBe(false);
    // the responder still answers on the new path
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.initiator.status().state).toBe('established');
  });

  it('learns about a NAT on the new path and re-announces CHILD_SAs with UDP encapsulation', () => {
    const h = new Harness({}, { natInitiator: false }).start();
    h.responder.natInitiator = true;
    h.apply(h.initiator.updateLocalAddress({ address: '198.51.100.7', port: 4500 }, h.now));
    h.settle();
    expect(h.initiator.status().natLocal).toBe(true);
    const last = h.installed.at(-1);
    expect(last?.encap?.local.address).toBe('198.51.100.7');
    expect(h.installed).toHaveLength(2);
  });

  it('refuses a response that does not echo COOKIE2', () => {
    const h = new Harness({}, { badCookie2: true }).start();
    h.apply(h.initiator.updateLocalAddress({ address: '198.51.100.7', port: 4500 }, h.now));
    h.settle();
    expect(h.eventsOf('pathChanged')).toHaveLength(0);
    expect(h.eventsOf('log').some((e) => e.message.includes('COOKIE2'))).toBe(true);
  });

  it('does nothing without MOBIKE', () => {
    const h = new Harness({}, { mobike: false }).start();
    h.apply(h.initiator.updateLocalAddress({ address: '198.51.100.7', port: 4500 }, h.now));
    expect(h.eventsOf('log').some((e) => e.message.includes('MOBIKE is not negotiated'))).toBe(true);
  });
});

describe('NAT rebinding (RFC 4555 §3.8)', () => {
  it('carries NAT-D in liveness checks and updates the path when the gateway sees us elsewhere', () => {
    const h = new Harness().start();
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.pathUpdates).toHaveLength(0);
    h.responder.natInitiator = true; // the gateway now sees another address for us
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.pathUpdates).toHaveLength(1);
    expect(h.eventsOf('pathChanged')).toHaveLength(1);
    expect(h.initiator.status().natLocal).toBe(true);
  });

  it('sends plain liveness checks without MOBIKE', () => {
    const h = new Harness({ mobike: false }).start();
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.requests.at(-1)?.payloads).toEqual([]);
  });
});
