import { describe, expect, it } from 'vitest';
import { ExchangeType } from '../iana/ikev2.js';
import { Harness, type Flight } from './testing/harness.testkit.js';

const exch = (f: Flight): number => f.data[18] as number;
const isResp = (f: Flight): boolean => ((f.data[19] as number) & 0x20) !== 0;

function up(h: Harness): void {
  expect(h.eventsOf('failed').map((e) => e.error.message)).toEqual([]);
  expect(h.initiator.status().state).toBe('established');
}

describe('retransmission, loss, duplication, reordering', () => {
  it('retransmits a lost IKE_SA_INIT after 4 s', () => {
    const h = new Harness();
    h.filter = (f, i) => (i === 0 ? [] : [f]);
    h.start();
    expect(h.initiator.nextDeadline()).toBe(4000);
    h.advance(4000);
    up(h);
    expect(h.now).toBe(4000);
  });

  it('gives up after 5 retransmissions at 4 s x 1.8^n (165.5 s) with a timeout failure', () => {
    const h = new Harness();
    h.filter = () => [];
    h.start();
    const sent: number[] = [];
    const times: number[] = [0];
    for (let n = 0; n < 10 && h.initiator.status().state === 'connecting'; n++) {
      h.advanceTo(h.initiator.nextDeadline());
      times.push(h.now);
    }
    sent.push(h.wire.length);
    expect(sent[0]).toBe(6);
    expect(times.slice(1, 6)).toEqual([4000, 11200, 24160, 47488, 89478]);
    expect(times.at(-1)).toBe(89478 + Math.round(4000 * 1.8 ** 5));
    expect(h.eventsOf('failed')[0]?.error.code).toBe('TIMEOUT');
  });

  it('honours a configured schedule', () => {
    const h = new Harness({ retransmit: { timeoutMs: 100, base: 2, tries: 2 } });
    h.filter = () => [];
    h.start();
    h.advance(10_000);
    expect(h.wire.length).toBe(3);
    expect(h.eventsOf('failed')[0]?.error.code).toBe('TIMEOUT');
    expect(h.now).toBe(10_000);
  });

  it('recovers from a lost IKE_AUTH response fragment (the responder resends its cached response)', () => {
    const h = new Harness();
    let dropped = false;
    h.filter = (f) => {
      if (!dropped && !f.toResponder && exch(f) === ExchangeType.IKE_AUTH) { dropped = true; return []; }
      return [f];
    };
    h.start();
    expect(h.initiator.status().state).toBe('connecting');
    h.advance(4000);
    up(h);
    expect(h.responder.requests.filter((r) => r.exchangeType === ExchangeType.IKE_AUTH)).toHaveLength(1);
  });

  it('recovers from a lost IKE_AUTH request fragment', () => {
    const h = new Harness();
    let n = 0;
    h.filter = (f) => (f.toResponder && exch(f) === ExchangeType.IKE_AUTH && n++ === 1 ? [] : [f]);
    h.start();
    h.advance(4000);
    up(h);
  });

  it('is unaffected by every datagram arriving twice', () => {
    const h = new Harness();
    h.filter = (f) => [f, f];
    h.start();
    up(h);
    expect(h.eventsOf('established')).toHaveLength(1);
    expect(h.installed).toHaveLength(1);
  });

  it('reassembles fragments delivered in reverse order', () => {
    const h = new Harness();
    const held: Flight[] = [];
    h.filter = (f) => {
      if (f.toResponder || exch(f) !== ExchangeType.IKE_AUTH) return [f];
      held.push(f);
      return held.length === 2 ? [held[1]!, held[0]!] : [];
    };
    h.start();
    up(h);
  });

  it('drops garbage, truncated and corrupted datagrams without effect', () => {
    const h = new Harness();
    h.filter = (f) => {
      if (f.toResponder || exch(f) !== ExchangeType.IKE_AUTH) return [f];
      const corrupt = f.data.slice();
      corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
      return [{ ...f, data: Uint8Array.of(1, 2, 3) }, { ...f, data: f.data.subarray(0, 40) }, { ...f, data: corrupt }, f];
    };
    h.start();
    up(h);
    expect(h.eventsOf('log').some((e) => e.message.startsWith('dropped'))).toBe(true);
  });

  it('ignores a replayed old response', () => {
    const h = new Harness().start();
    up(h);
    const initResp = h.wire.find((f) => !f.toResponder && exch(f) === ExchangeType.IKE_SA_INIT)!;
    const authResp = h.wire.find((f) => !f.toResponder && exch(f) === ExchangeType.IKE_AUTH)!;
    h.post(initResp);
    h.post(authResp);
    h.settle();
    up(h);
    expect(h.installed).toHaveLength(1);
  });
});

describe('peer requests and liveness', () => {
  it('answers an empty INFORMATIONAL and a duplicate of it from the cache', () => {
    const h = new Harness().start();
    const req = h.responder.request('dpd');
    h.fromResponder(req);
    h.settle();
    h.fromResponder(req);
    h.settle();
    const answers = h.wire.filter((f) => f.toResponder && exch(f) === ExchangeType.INFORMATIONAL && isResp(f));
    expect(answers).toHaveLength(2);
    expect(answers[0]!.data).toEqual(answers[1]!.data);
  });

  it('answers strongSwan\'s NAT-D-carrying INFORMATIONAL with NAT-D', () => {
    const h = new Harness().start();
    h.fromResponder(h.responder.request('natd'));
    h.settle();
    expect(h.responder.sa?.nextRequestId).toBe(1);
    const answer = h.wire.filter((f) => f.toResponder && isResp(f) && exch(f) === ExchangeType.INFORMATIONAL);
    expect(answer).toHaveLength(1);
    expect(answer[0]!.data.length).toBeGreaterThan(28 + 4 + 16 + 2 * (8 + 20));
  });

  it('removes a CHILD_SA the peer deletes and answers with ours', () => {
    const h = new Harness().start();
    const spiIn = h.installed[0]!.params.spiIn;
    h.fromResponder(h.responder.request('delete-child'));
    h.settle();
    expect(h.removed).toEqual([{ spiIn, spiOut: h.installed[0]!.params.spiOut }]);
    expect(h.eventsOf('childDown')[0]?.byPeer).toBe(true);
    expect(h.initiator.status().children).toHaveLength(0);
  });

  it('closes when the peer deletes the IKE SA', () => {
    const h = new Harness().start();
    h.fromResponder(h.responder.request('delete-ike'));
    h.settle();
    expect(h.eventsOf('closed')[0]?.byPeer).toBe(true);
    expect(h.removed).toHaveLength(1);
    expect(h.initiator.status().state).toBe('closed');
  });

  it('checks liveness after the configured idle time and declares the peer dead on timeout', () => {
    const h = new Harness({ dpdDelayMs: 30_000 }).start();
    up(h);
    h.advance(30_000);
    expect(h.responder.requests.at(-1)?.exchangeType).toBe(ExchangeType.INFORMATIONAL);
    expect(h.initiator.status().state).toBe('established');
    h.filter = () => [];
    h.advance(30_000 + 200_000);
    expect(h.eventsOf('dead')).toHaveLength(1);
    expect(h.removed).toHaveLength(1);
  });
});

describe('close', () => {
  it('deletes the IKE SA and reports closed when the peer answers', () => {
    const h = new Harness().start();
    h.apply(h.initiator.close(h.now));
    h.settle();
    expect(h.responder.closed).toBe(true);
    expect(h.eventsOf('closed')[0]?.byPeer).toBe(false);
    expect(h.removed).toHaveLength(1);
  });

  it('gives up waiting after the close timeout', () => {
    const h = new Harness({ closeTimeoutMs: 2000 }).start();
    h.filter = () => [];
    h.apply(h.initiator.close(h.now));
    h.advance(2000);
    expect(h.eventsOf('closed')).toHaveLength(1);
    expect(h.now).toBe(2000);
  });

  it('deletes one CHILD_SA on request', () => {
    const h = new Harness().start();
    const c = h.installed[0]!;
    h.apply(h.initiator.deleteChild(c.params.spiIn, h.now));
    h.settle();
    expect(h.removed).toEqual([{ spiIn: c.params.spiIn, spiOut: c.params.spiOut }]);
    expect(h.responder.child).toBeUndefined();
  });
});

describe('status and activity', () => {
  it('reports the next rekey times and postpones DPD on dataplane activity', () => {
    const h = new Harness({ dpdDelayMs: 30_000, childRekeyMs: 100_000, rekeyJitterMs: 0, ikeRekeyMs: 200_000 }).start();
    const st = h.initiator.status();
    expect(st.nextIkeRekey).toBe(200_000);
    expect(st.nextChildRekeys).toEqual([{ spiIn: h.installed[0]!.params.spiIn, at: 100_000 }]);
    h.advance(20_000);
    h.initiator.noteInbound(h.now);
    h.advance(20_000);
    expect(h.responder.requests.filter((r) => r.exchangeType === ExchangeType.INFORMATIONAL)).toHaveLength(0);
    h.advance(10_000);
    expect(h.responder.requests.filter((r) => r.exchangeType === ExchangeType.INFORMATIONAL)).toHaveLength(1);
  });
});

describe('malformed peer requests', () => {
  it('answers an authentic but malformed request with INVALID_SYNTAX and keeps the SA', () => {
    const h = new Harness().start();
    h.fromResponder(h.responder.requestPayloads(ExchangeType.INFORMATIONAL, [{ type: 40, critical: false, data: new Uint8Array(32) }]));
    h.settle();
    const answer = h.responder.responses.at(-1);
    expect(answer?.payloads.some((p) => p.type === 41 && 'notifyType' in p && p.notifyType === 7)).toBe(true);
    expect(h.initiator.status().state).toBe('established');
    // the window moved on: the next request is answered normally
    h.fromResponder(h.responder.request('dpd'));
    h.settle();
    expect(h.responder.sa?.nextRequestId).toBe(2);
  });
});
