import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { Harness } from './testing/harness.testkit.js';

describe('IKE SA rekey', () => {
  it('we rekey: the new IKE SA takes over, CHILD_SAs stay, the old one is deleted, message IDs restart', () => {
    const h = new Harness().start();
    const before = h.initiator.status();
    h.apply(h.initiator.rekeyIke(h.now));
    h.settle();
    expect(h.eventsOf('failed')).toHaveLength(0);
    const after = h.initiator.status();
    expect(after.state).toBe('established');
    expect(after.spiI).not.toBe(before.spiI);
    expect(after.spiR).toBe(toHex(h.responder.sa!.spiR));
    expect(h.eventsOf('ikeRekeyed')).toHaveLength(1);
    expect(h.responder.retired).toHaveLength(0); // old one deleted
    expect(h.removed).toHaveLength(0);
    expect(after.children).toHaveLength(1);
    // the new SA works: liveness at message ID 0, then a CHILD_SA rekey with the new SK_d
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.sa!.nextPeerRequestId).toBe(1);
    h.apply(h.initiator.rekeyChild(after.children[0]!.params.spiIn, h.now));
    h.settle();
    const fresh = h.installed.at(-1)!;
    expect(Buffer.from(fresh.params.encrKeyOut)).toEqual(Buffer.from(h.responder.child!.encrToR));
    expect(h.initiator.status().children).toHaveLength(1);
  });

  it('rekeys by itself at ikeRekeyMs', () => {
    const h = new Harness({ ikeRekeyMs: 60_000, rekeyJitterMs: 0 }).start();
    const spi = h.initiator.status().spiI;
    h.advance(60_000);
    expect(h.initiator.status().spiI).not.toBe(spi);
    expect(h.eventsOf('ikeRekeyed')).toHaveLength(1);
  });

  it('answers the peer\'s rekey and retires the old SA on the peer\'s Delete without closing', () => {
    const h = new Harness().start();
    const oldSa = h.responder.sa!;
    h.fromResponder(h.responder.request('rekey-ike'));
    h.settle();
    expect(h.responder.sa).not.toBe(oldSa);
    expect(h.initiator.status().spiI).toBe(toHex(h.responder.sa!.spiI));
    expect(h.initiator.sa.initiator).toBe(false);
    h.fromResponder(h.responder.request('delete-ike', undefined, undefined, oldSa));
    h.settle();
    expect(h.eventsOf('closed')).toHaveLength(0);
    expect(h.initiator.status().state).toBe('established');
    expect(h.initiator.status().children).toHaveLength(1);
    // the new SA (where we are the responder) carries our requests
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.responses.at(-1)?.exchangeType).toBe(ExchangeType.INFORMATIONAL);
    h.apply(h.initiator.close(h.now));
    h.settle();
    expect(h.responder.closed).toBe(true);
  });
});

describe('IKE SA rekey: a replaced SA the peer never deletes', () => {
  it('is dropped after twice the retransmission budget (4 s x 1.8^n, 5 retries: 2 x 165.3 s)', () => {
    const h = new Harness().start();
    const oldSa = h.responder.sa!;
    h.fromResponder(h.responder.request('rekey-ike'));
    h.settle();
    const budget = 4000 + 7200 + 12960 + 23328 + 41990 + 75583;
    expect(h.initiator.nextDeadline()).toBe(h.now + 2 * budget);
    h.advance(2 * budget - 1);
    expect(h.eventsOf('log').some((e) => e.message.includes('never deleted'))).toBe(false);
    h.advance(1);
    expect(h.eventsOf('log').some((e) => e.message.includes('never deleted'))).toBe(true);
    // its requests are no longer answered; the new SA is untouched
    const answered = h.responder.responses.length;
    h.fromResponder(h.responder.request('dpd', undefined, undefined, oldSa));
    h.settle();
    expect(h.responder.responses).toHaveLength(answered);
    expect(h.initiator.status().state).toBe('established');
    expect(h.initiator.status().spiI).toBe(toHex(h.responder.sa!.spiI));
  });
});

describe('IKE SA rekey hand-over', () => {
  it('moves exchanges queued on the old IKE SA to the new one', () => {
    const h = new Harness().start();
    const spiIn = h.installed[0]!.params.spiIn;
    const hold: Parameters<Harness['post']>[0][] = [];
    h.filter = (f) => (f.toResponder ? (hold.push(f), []) : [f]);
    h.apply(h.initiator.rekeyIke(h.now));
    h.apply(h.initiator.rekeyChild(spiIn, h.now)); // queued behind the IKE rekey
    h.filter = (f) => [f];
    for (const f of hold) h.post(f);
    h.settle();
    expect(h.eventsOf('ikeRekeyed')).toHaveLength(1);
    expect(h.eventsOf('childRekeyed')).toHaveLength(1);
    const childReq = h.responder.requests.filter((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA).at(-1);
    expect(childReq).toBeDefined();
    // the CHILD rekey ran on the new IKE SA (its keys derive from the new SK_d and agree)
    expect(Buffer.from(h.installed.at(-1)!.params.encrKeyOut)).toEqual(Buffer.from(h.responder.child!.encrToR));
    expect(h.responder.retired).toHaveLength(0);
    // CREATE_CHILD_SA (0) and the old CHILD_SA's Delete (1) went over the new IKE SA
    expect(h.responder.sa!.nextPeerRequestId).toBe(2);
  });
});
