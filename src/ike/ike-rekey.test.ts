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
