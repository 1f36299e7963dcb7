import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExchangeType, NotifyType, PayloadType } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { decodeHeader } from '../wire/header.js';
import { filterPayloads, findNotifies } from '../wire/payload.js';
import type { IkeSa } from './ike-sa.js';
import { Harness, type Flight } from './testing/harness.testkit.js';

/**
 * A harness whose network holds every datagram until the test delivers it, so the two rekey
 * exchanges can be made to cross in a chosen order. `nonces` are the fill octets of our next
 * 32-octet random draws: the Ni of our rekey, then the Nr of our answer to the peer's.
 */
function crossing(nonces: readonly number[]): { h: Harness; held: Flight[]; deliver: (pick: (f: Flight) => boolean) => void; open: () => void } {
  const fixed: number[] = [];
  const h = new Harness({ random: (n) => { const f = n === 32 ? fixed.shift() : undefined; return f === undefined ? new Uint8Array(randomBytes(n)) : new Uint8Array(32).fill(f); } }).start();
  fixed.push(...nonces);
  const held: Flight[] = [];
  let pass = false;
  h.filter = (f) => (pass ? [f] : (held.push(f), []));
  const deliver = (pick: (f: Flight) => boolean): void => {
    const i = held.findIndex(pick);
    const f = held.splice(i, 1)[0];
    if (i < 0 || f === undefined) throw new Error('no such datagram held');
    pass = true;
    h.post(f);
    pass = false;
    h.settle();
  };
  const open = (): void => {
    h.filter = (f) => [f];
    for (const f of held.splice(0)) h.post(f);
    h.settle();
  };
  return { h, held, deliver, open };
}

const header = (f: Flight): ReturnType<typeof decodeHeader> => decodeHeader(f.data);
const onSa = (sa: IkeSa) => (f: Flight): boolean => toHex(header(f).spiI) === toHex(sa.spiI) && toHex(header(f).spiR) === toHex(sa.spiR);
const rekeyRequestTo = (toResponder: boolean) => (f: Flight): boolean => f.toResponder === toResponder && header(f).exchangeType === ExchangeType.CREATE_CHILD_SA && !header(f).response;
const responseTo = (toResponder: boolean) => (f: Flight): boolean => f.toResponder === toResponder && header(f).response;

/** Distinct requests we sent on `sa` (a held datagram is on the wire twice: held, then released). */
function sentOn(h: Harness, sa: IkeSa, exchangeType?: number): number {
  const sent = h.wire.filter((f) => f.toResponder && onSa(sa)(f) && !header(f).response && (exchangeType === undefined || header(f).exchangeType === exchangeType));
  return new Set(sent.map((f) => f.data)).size;
}

const ikeDeletesOn = (h: Harness, sa: IkeSa): number => sentOn(h, sa, ExchangeType.INFORMATIONAL);

/** The IKE SA of the responder whose SPIs the initiator now uses. */
function survivorOf(h: Harness, candidates: readonly (IkeSa | undefined)[]): IkeSa {
  const s = h.initiator.status();
  const sa = candidates.find((x) => x !== undefined && toHex(x.spiI) === s.spiI && toHex(x.spiR) === s.spiR);
  if (sa === undefined) throw new Error('the initiator uses none of the responder\'s SAs');
  return sa;
}

function expectHealthy(h: Harness, survivor: IkeSa): void {
  expect(h.eventsOf('failed')).toHaveLength(0);
  expect(h.eventsOf('closed')).toHaveLength(0);
  expect(h.eventsOf('ikeRekeyed')).toEqual([{ type: 'ikeRekeyed', spiI: toHex(survivor.spiI), spiR: toHex(survivor.spiR) }]);
  expect(h.initiator.status().state).toBe('established');
  expect(h.initiator.status().children).toHaveLength(1);
  expect(h.removed).toHaveLength(0);
  // the survivor carries our requests from message ID 0 on
  h.responder.promote(survivor);
  const before = survivor.nextPeerRequestId;
  h.apply(h.initiator.checkLiveness(h.now));
  h.settle();
  expect(survivor.nextPeerRequestId).toBe(before + 1);
  expect(h.responder.responses.length).toBeGreaterThan(0);
}

describe('simultaneous IKE SA rekeys (RFC 7296 §2.8.2)', () => {
  for (const oursLowest of [true, false]) {
    it(`both sides notice: the new SA with the lowest nonce (${oursLowest ? 'ours' : 'the peer\'s'}) is deleted by its creator, the other inherits the CHILD_SA`, () => {
      const { h, deliver, open } = crossing(oursLowest ? [0x00, 0xff] : [0xff, 0x00]);
      const old = h.responder.sa!;
      h.apply(h.initiator.rekeyIke(h.now)); // our request, held
      h.fromResponder(h.responder.request('rekey-ike')); // the peer's request, held: they cross
      deliver(rekeyRequestTo(false)); // we answer the peer's rekey while ours is outstanding
      deliver(rekeyRequestTo(true)); // the peer answers ours while its own is outstanding
      deliver(responseTo(false)); // our rekey completes: resolve
      deliver(responseTo(true)); // the peer's rekey completes
      const peerNew = h.responder.sa!;
      const ourNew = h.responder.retired.find((x) => x !== old)!;
      expect(ourNew.initiator).toBe(false);
      expect(peerNew.initiator).toBe(true);
      open();
      if (oursLowest) {
        // we delete our redundant SA at once; the old one is the peer's to delete
        expect(ikeDeletesOn(h, ourNew)).toBe(1);
        expect(ikeDeletesOn(h, old)).toBe(0);
        expect(h.responder.retired).not.toContain(ourNew);
        expect(survivorOf(h, [peerNew, ourNew, old])).toBe(peerNew);
        expect(h.initiator.sa.initiator).toBe(false);
        h.fromResponder(h.responder.request('delete-ike', undefined, undefined, old));
        h.settle();
        expect(h.responder.responses.at(-1)?.exchangeType).toBe(ExchangeType.INFORMATIONAL);
        expectHealthy(h, peerNew);
      } else {
        // ours survives: we delete the old SA as after any rekey; the peer deletes its redundant one
        expect(ikeDeletesOn(h, old)).toBe(1);
        expect(ikeDeletesOn(h, peerNew)).toBe(0);
        expect(h.responder.retired).not.toContain(old);
        expect(survivorOf(h, [peerNew, ourNew, old])).toBe(ourNew);
        expect(h.initiator.sa.initiator).toBe(true);
        h.fromResponder(h.responder.request('delete-ike', undefined, undefined, peerNew));
        h.settle();
        expect(h.responder.responses.at(-1)?.payloads).toEqual([]);
        expectHealthy(h, ourNew);
      }
      expect(h.eventsOf('log').some((e) => e.message.includes('simultaneous IKE SA rekey'))).toBe(true);
    });
  }

  it('the peer did not notice and deletes the old SA under our rekey: its new SA takes over, ours is forgotten', () => {
    const { h, held, deliver, open } = crossing([0x80, 0x80]);
    const old = h.responder.sa!;
    h.apply(h.initiator.rekeyIke(h.now));
    h.fromResponder(h.responder.request('rekey-ike'));
    deliver(rekeyRequestTo(false)); // we notice: ours is outstanding
    deliver(responseTo(true)); // the peer completes its rekey first
    const peerNew = h.responder.sa!;
    h.fromResponder(h.responder.request('delete-ike', undefined, undefined, old));
    deliver((f) => !f.toResponder && onSa(old)(f));
    expect(survivorOf(h, [peerNew])).toBe(peerNew);
    // our rekey request, still on the wire, meets an SA the peer is closing
    expect(held.filter(rekeyRequestTo(true))).toHaveLength(1);
    open();
    const answer = h.responder.requests.filter((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA).length;
    expect(answer).toBe(1);
    // nothing more goes out on the old SA: no retransmission of our abandoned rekey
    const sentOnOld = sentOn(h, old);
    h.advance(120_000);
    expect(sentOn(h, old)).toBe(sentOnOld);
    expectHealthy(h, peerNew);
  });

  it('the peer finished first and refuses ours with TEMPORARY_FAILURE: its new SA takes over, the old waits for its Delete', () => {
    const { h, deliver, open } = crossing([0x80, 0x80]);
    const old = h.responder.sa!;
    h.apply(h.initiator.rekeyIke(h.now));
    h.fromResponder(h.responder.request('rekey-ike'));
    deliver(rekeyRequestTo(false));
    deliver(responseTo(true)); // the peer's rekey is done: it is closing the old SA
    const peerNew = h.responder.sa!;
    deliver(rekeyRequestTo(true)); // ours arrives on the old SA
    const refusal = h.responder.requests.at(-1);
    expect(refusal?.exchangeType).toBe(ExchangeType.CREATE_CHILD_SA);
    deliver(responseTo(false));
    expect(h.eventsOf('log').some((e) => e.message.includes('TEMPORARY_FAILURE'))).toBe(true);
    expect(survivorOf(h, [peerNew])).toBe(peerNew);
    expect(ikeDeletesOn(h, old)).toBe(0);
    open();
    h.fromResponder(h.responder.request('delete-ike', undefined, undefined, old));
    h.settle();
    expect(h.responder.responses.at(-1)?.payloads).toEqual([]);
    expectHealthy(h, peerNew);
  });

  it('we did not notice (ours completed first): the peer\'s request on the old SA gets TEMPORARY_FAILURE', () => {
    const { h, deliver, open } = crossing([0x80, 0x80]);
    const old = h.responder.sa!;
    h.apply(h.initiator.rekeyIke(h.now));
    h.fromResponder(h.responder.request('rekey-ike'));
    deliver(rekeyRequestTo(true)); // the peer answers ours (it noticed)
    deliver(responseTo(false)); // ours completes: new SA, Delete of the old one queued
    const ourNew = survivorOf(h, h.responder.retired);
    deliver(rekeyRequestTo(false)); // the peer's request reaches the SA we are closing
    deliver(responseTo(true));
    const answer = h.responder.responses.at(-1)!;
    expect(answer.exchangeType).toBe(ExchangeType.CREATE_CHILD_SA);
    expect(findNotifies(answer.payloads, NotifyType.TEMPORARY_FAILURE)).toHaveLength(1);
    expect(filterPayloads(answer.payloads, PayloadType.SA)).toHaveLength(0);
    // the peer forgets its attempt when our Delete of the old SA arrives
    h.responder.promote(ourNew);
    open();
    expect(ikeDeletesOn(h, old)).toBe(1);
    expect(h.responder.retired).not.toContain(old);
    expect(h.responder.closed).toBe(false);
    expectHealthy(h, ourNew);
  });

  it('our rekey still queued behind another exchange: the peer\'s rekey replaces it and ours is never sent', () => {
    const { h, deliver, open } = crossing([0x80]);
    h.apply(h.initiator.checkLiveness(h.now)); // occupies the window
    h.apply(h.initiator.rekeyIke(h.now)); // queued behind it
    h.fromResponder(h.responder.request('rekey-ike'));
    deliver(rekeyRequestTo(false));
    open();
    expect(h.wire.filter(rekeyRequestTo(true))).toHaveLength(0);
    expect(survivorOf(h, [h.responder.sa])).toBe(h.responder.sa);
    expect(h.initiator.status().nextIkeRekey).toBeGreaterThan(h.now);
    expect(h.initiator.status().nextIkeRekey).toBeLessThan(Infinity);
    expectHealthy(h, h.responder.sa!);
  });
});
