import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExchangeType, KeGroup, NotifyType, PayloadType, ProtocolId } from '../iana/ikev2.js';
import { findNotifies, findPayload, type Payload } from '../wire/payload.js';
import { espProposals, Harness } from './testing/harness.testkit.js';
import type { InstalledChildSa } from './types.js';
import { ChildRecreateTask } from './tasks/child-rekey.js';
import type { TaskContext } from './tasks/task.js';
import { TEMPORARY_FAILURE_GIVE_UP_MS } from './children.js';
import type { ResponderChild } from './testing/responder.testkit.js';

function agree(c: InstalledChildSa, r: ResponderChild): void {
  expect(c.params.spiIn).toBe(r.spiI);
  expect(c.params.spiOut).toBe(r.spiR);
  expect(Buffer.from(c.params.encrKeyOut)).toEqual(Buffer.from(r.encrToR));
  expect(Buffer.from(c.params.encrKeyIn)).toEqual(Buffer.from(r.encrToI));
}

describe('CHILD_SA rekey', () => {
  it('we rekey make-before-break: new pair installed first, then the old one deleted', () => {
    const h = new Harness().start();
    const old = h.installed[0]!;
    h.apply(h.initiator.rekeyChild(old.params.spiIn, h.now));
    h.settle();
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect(h.installed).toHaveLength(2);
    const fresh = h.installed[1]!;
    agree(fresh, h.responder.child!);
    expect(h.removed).toEqual([{ spiIn: old.params.spiIn, spiOut: old.params.spiOut }]);
    expect(h.eventsOf('childRekeyed')[0]?.oldSpiIn).toBe(old.params.spiIn);
    expect(h.eventsOf('childDown')).toHaveLength(0);
    expect(h.responder.children).toHaveLength(1);
    expect(h.initiator.status().children.map((c) => c.params.spiIn)).toEqual([fresh.params.spiIn]);
    expect(fresh.replaces).toBeUndefined(); // our own rekey: the peer installed before answering
    // the install came before the removal
    expect(fresh.tsRemote).toEqual(old.tsRemote);
  });

  it('rekeys by itself at the soft lifetime minus jitter', () => {
    const h = new Harness({ childRekeyMs: 10_000, rekeyJitterMs: 1000 }).start();
    h.advance(8999);
    expect(h.installed).toHaveLength(1);
    h.advance(1001);
    expect(h.installed).toHaveLength(2);
    expect(h.removed).toHaveLength(1);
    agree(h.installed[1]!, h.responder.child!);
  });

  it('rekeys with PFS when the ESP proposal names a group', () => {
    const h = new Harness({ espProposals: espProposals('aes256gcm16-x25519') }).start();
    h.apply(h.initiator.rekeyChild(h.installed[0]!.params.spiIn, h.now));
    h.settle();
    expect(h.eventsOf('failed')).toHaveLength(0);
    const req = h.responder.requests.find((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA)!;
    expect(findPayload(req.payloads, PayloadType.KE)?.group).toBe(KeGroup.CURVE25519);
    agree(h.installed[1]!, h.responder.child!);
  });

  it('answers the peer\'s rekey and drops the old pair on the peer\'s Delete', () => {
    const h = new Harness().start();
    const old = h.installed[0]!;
    const oldR = h.responder.child!;
    h.fromResponder(h.responder.request('rekey-child'));
    h.settle();
    expect(h.installed).toHaveLength(2);
    agree(h.installed[1]!, h.responder.child!);
    // the peer installs its new SAs only on our response: the dataplane must wait before sending on it
    expect(h.installed[1]!.replaces).toBe(old.params.spiIn);
    expect(h.removed).toHaveLength(0);
    h.fromResponder(h.responder.request('delete-child', oldR));
    h.settle();
    expect(h.removed).toEqual([{ spiIn: old.params.spiIn, spiOut: old.params.spiOut }]);
    expect(h.eventsOf('childDown')).toHaveLength(0);
    expect(h.initiator.status().children).toHaveLength(1);
    // our own rekey of the peer-made pair: the successor does not wait for the peer
    h.apply(h.initiator.rekeyChild(h.installed[1]!.params.spiIn, h.now));
    h.settle();
    expect(h.installed).toHaveLength(3);
    expect(h.installed[2]!.replaces).toBeUndefined();
  });

  it('answers the peer\'s PFS rekey', () => {
    const h = new Harness({ espProposals: espProposals(['aes256gcm16', 'aes256gcm16-ecp256']) }).start();
    h.fromResponder(h.responder.request('rekey-child', h.responder.child, KeGroup.ECP_256));
    h.settle();
    expect(h.responder.responses.at(-1)?.payloads.some((p) => p.type === PayloadType.KE)).toBe(true);
    agree(h.installed[1]!, h.responder.child!);
  });

  for (const ourNoncesLowest of [true, false]) {
    it(`resolves a simultaneous rekey by nonce (${ourNoncesLowest ? 'ours' : 'the peer\'s'} lowest)`, () => {
      // our next two nonces: Ni of our rekey, then Nr of our answer to the peer's
      const fixed: number[] = [];
      const h = new Harness({ random: (n) => { const f = n === 32 ? fixed.shift() : undefined; return f === undefined ? new Uint8Array(randomBytes(n)) : new Uint8Array(32).fill(f); } }, { rekeyNonceFill: 0x80 }).start();
      const old = h.installed[0]!;
      const oldR = h.responder.child!;
      fixed.push(...(ourNoncesLowest ? [0x00, 0xff] : [0xff, 0x00]));
      const held: Parameters<Harness['post']>[0][] = [];
      h.filter = (f) => (f.toResponder && f.data[18] === ExchangeType.CREATE_CHILD_SA && ((f.data[19] as number) & 0x20) === 0 ? (held.push(f), []) : [f]);
      h.apply(h.initiator.rekeyChild(old.params.spiIn, h.now));
      h.settle();
      // the peer's rekey of the same SA crosses ours
      h.fromResponder(h.responder.request('rekey-child', oldR));
      h.settle();
      h.filter = (f) => [f];
      for (const f of held) h.post(f);
      h.settle();
      expect(h.eventsOf('failed')).toHaveLength(0);
      expect(h.installed).toHaveLength(3);
      const peerNew = h.installed[1]!;
      const ourNew = h.installed[2]!;
      if (ourNoncesLowest) {
        // our new SA is redundant: we delete it, the old one is left to the peer
        expect(h.removed).toEqual([{ spiIn: ourNew.params.spiIn, spiOut: ourNew.params.spiOut }]);
      } else {
        expect(h.removed).toEqual([{ spiIn: old.params.spiIn, spiOut: old.params.spiOut }]);
      }
      expect(h.initiator.status().children.map((c) => c.params.spiIn)).toContain(peerNew.params.spiIn);
    });
  }

  it('keeps the old pair and retries at the next rekey time when the rekey is refused', () => {
    const h = new Harness({ childRekeyMs: 10_000, rekeyJitterMs: 0 }, { error: { where: 'rekey', notifyType: NotifyType.NO_PROPOSAL_CHOSEN } }).start();
    h.advance(10_000);
    expect(h.initiator.status().state).toBe('established');
    expect(h.initiator.status().children).toHaveLength(1);
    expect(h.eventsOf('log').some((e) => e.message.includes('NO_PROPOSAL_CHOSEN'))).toBe(true);
    expect(h.initiator.nextDeadline()).toBe(20_000);
    // the refused exchange used up its Message ID: the next request gets a fresh one, and an answer
    h.apply(h.initiator.checkLiveness(h.now));
    h.settle();
    expect(h.responder.requests.map((r) => r.exchangeType)).toEqual([ExchangeType.IKE_AUTH, ExchangeType.CREATE_CHILD_SA, ExchangeType.INFORMATIONAL]);
    expect(h.initiator.sa.nextRequestId).toBe(4);
    expect(h.initiator.status().state).toBe('established');
  });

  it('after TEMPORARY_FAILURE retries 10 to 15 s later; refused for several minutes, it deletes the IKE SA (RFC 7296 §2.25)', () => {
    const h = new Harness({ childRekeyMs: 600_000, rekeyJitterMs: 0 }, { error: { where: 'rekey', notifyType: NotifyType.TEMPORARY_FAILURE } }).start();
    const child = h.installed[0]!;
    h.advance(600_000);
    expect(h.eventsOf('log').some((e) => e.message.includes('TEMPORARY_FAILURE'))).toBe(true);
    const first = h.now;
    let at = h.now;
    let retries = 0;
    for (;;) {
      const next = h.initiator.nextDeadline();
      expect(next - at).toBeGreaterThanOrEqual(10_000);
      expect(next - at).toBeLessThanOrEqual(15_000);
      h.advanceTo(next);
      at = next;
      retries++;
      if (next - first >= TEMPORARY_FAILURE_GIVE_UP_MS) break;
      expect(h.initiator.status().state).toBe('established');
      expect(h.eventsOf('failed')).toHaveLength(0);
    }
    expect(retries).toBeGreaterThanOrEqual(TEMPORARY_FAILURE_GIVE_UP_MS / 15_000);
    expect(h.responder.requests.filter((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA)).toHaveLength(1 + retries);
    // out of sync: the IKE SA is deleted and the failure names cause and fix
    expect(h.initiator.status().state).toBe('failed');
    expect(h.responder.closed).toBe(true);
    const failed = h.eventsOf('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error.code).toBe('OUT_OF_SYNC');
    expect(failed[0]?.error.message).toMatch(/TEMPORARY_FAILURE for 5 minutes.*out of sync.*RFC 7296 §2.25.*deleting the IKE SA/);
    expect(failed[0]?.error.message).toMatch(/fix: .*reconnect policy/);
    expect(h.eventsOf('childDown')).toEqual([{ type: 'childDown', spiIn: child.params.spiIn, spiOut: child.params.spiOut, byPeer: false }]);
    expect(h.removed).toEqual([{ spiIn: child.params.spiIn, spiOut: child.params.spiOut }]);
    expect(h.eventsOf('log').some((e) => e.level === 0 && e.message.includes('out of sync'))).toBe(true);
    expect(h.initiator.nextDeadline()).toBe(Infinity);
  });

  it('an IKE rekey refused with TEMPORARY_FAILURE for several minutes deletes the IKE SA (RFC 7296 §2.25)', () => {
    const h = new Harness({ ikeRekeyMs: 600_000, rekeyJitterMs: 0 }, { error: { where: 'ike-rekey', notifyType: NotifyType.TEMPORARY_FAILURE } }).start();
    h.advance(600_000);
    const first = h.now;
    h.advance(TEMPORARY_FAILURE_GIVE_UP_MS - 15_000);
    expect(h.initiator.status().state).toBe('established');
    h.advance(30_000);
    expect(h.now - first).toBeGreaterThanOrEqual(TEMPORARY_FAILURE_GIVE_UP_MS);
    expect(h.initiator.status().state).toBe('failed');
    expect(h.eventsOf('failed')[0]?.error.code).toBe('OUT_OF_SYNC');
    expect(h.eventsOf('failed')[0]?.error.message).toContain('IKE SA rekey');
    expect(h.responder.closed).toBe(true);
    expect(h.eventsOf('childDown')).toHaveLength(1);
  });

  it('an IKE rekey refused with TEMPORARY_FAILURE is retried 10 to 15 s later; one refused otherwise at the next rekey time', () => {
    for (const [notifyType, soon] of [[NotifyType.TEMPORARY_FAILURE, true], [NotifyType.NO_PROPOSAL_CHOSEN, false]] as const) {
      const h = new Harness({ ikeRekeyMs: 600_000, rekeyJitterMs: 0 }, { error: { where: 'ike-rekey', notifyType } }).start();
      h.advance(600_000);
      const next = h.initiator.status().nextIkeRekey - h.now;
      if (soon) {
        expect(next).toBeGreaterThanOrEqual(10_000);
        expect(next).toBeLessThanOrEqual(15_000);
      } else {
        expect(next).toBe(600_000);
      }
      expect(h.initiator.status().state).toBe('established');
      expect(h.eventsOf('ikeRekeyed')).toHaveLength(0);
    }
  });

  it('a rekey that times out means the peer is dead', () => {
    const h = new Harness({ childRekeyMs: 10_000, rekeyJitterMs: 0 }).start();
    h.filter = () => [];
    h.advance(10_000 + 170_000);
    expect(h.eventsOf('dead')).toHaveLength(1);
  });
});

describe('our CHILD_SA rekey answered with CHILD_SA_NOT_FOUND (RFC 7296 §2.25)', () => {
  it('drops our copy and creates a fresh CHILD_SA (no REKEY_SA, same proposals and selectors), installed like the first', () => {
    const h = new Harness().start();
    const old = h.installed[0]!;
    h.responder.children = []; // the gateway lost it
    h.apply(h.initiator.rekeyChild(old.params.spiIn, h.now));
    h.settle();
    const [rekey, create] = h.responder.requests.filter((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA);
    expect(findNotifies(rekey?.payloads ?? [], NotifyType.REKEY_SA)).toHaveLength(1);
    const p = create?.payloads ?? [];
    expect(findNotifies(p, NotifyType.REKEY_SA)).toHaveLength(0);
    expect(findPayload(p, PayloadType.NONCE)?.data).toHaveLength(32);
    expect(findPayload(p, PayloadType.SA)?.proposals.map((x) => x.transforms)).toEqual(h.initiator.config.espProposals.map((x) => x.transforms));
    expect(findPayload(p, PayloadType.TSi)?.selectors).toEqual(old.tsLocal);
    expect(findPayload(p, PayloadType.TSr)?.selectors).toEqual(old.tsRemote);
    expect(h.removed).toEqual([{ spiIn: old.params.spiIn, spiOut: old.params.spiOut }]);
    expect(h.installed).toHaveLength(2);
    const fresh = h.installed[1]!;
    expect(fresh.params.spiIn).not.toBe(old.params.spiIn);
    expect(fresh.replaces).toBeUndefined();
    agree(fresh, h.responder.children[0]!);
    expect(h.eventsOf('childUp').map((e) => e.child)).toEqual([old, fresh]);
    expect(h.eventsOf('childDown')).toHaveLength(0);
    expect(h.eventsOf('failed')).toHaveLength(0);
    expect(h.initiator.status().state).toBe('established');
    expect(h.initiator.status().children.map((c) => [c.params.spiIn, c.params.spiOut])).toEqual([[fresh.params.spiIn, fresh.params.spiOut]]);
    expect(h.eventsOf('log').some((e) => e.message.includes('CHILD_SA_NOT_FOUND') && e.message.includes('creating a fresh one'))).toBe(true);
    // the fresh one is an ordinary CHILD_SA: it rekeys as usual
    h.apply(h.initiator.rekeyChild(fresh.params.spiIn, h.now));
    h.settle();
    expect(h.eventsOf('childRekeyed').map((e) => e.oldSpiIn)).toEqual([fresh.params.spiIn]);
  });

  it('the fresh CHILD_SA asks for transport mode when the lost one was in transport mode (USE_TRANSPORT_MODE, RFC 7296 §1.3.1)', () => {
    const h = new Harness().start();
    const ctx: TaskContext = { sa: h.initiator.sa, config: h.initiator.config, now: h.now, emit: () => undefined, log: () => undefined, random: (n) => new Uint8Array(randomBytes(n)) };
    const tunnel = h.installed[0]!;
    const transport: InstalledChildSa = { ...tunnel, params: { ...tunnel.params, mode: 'transport' } };
    for (const [lost, modeNotifies] of [[tunnel, 0], [transport, 1]] as const) {
      const p = new ChildRecreateTask(lost).build(ctx);
      expect(findNotifies(p, NotifyType.USE_TRANSPORT_MODE)).toHaveLength(modeNotifies);
      expect(findNotifies(p, NotifyType.REKEY_SA)).toHaveLength(0);
      expect(p.map((x) => x.type)).toEqual([...(modeNotifies === 1 ? [PayloadType.NOTIFY] : []), PayloadType.SA, PayloadType.NONCE, PayloadType.TSi, PayloadType.TSr]);
    }
  });

  it('when the fresh CHILD_SA is refused too: childDown for the lost one and the failure with cause and fix', () => {
    const h = new Harness({}, { error: { where: 'create', notifyType: NotifyType.NO_PROPOSAL_CHOSEN } }).start();
    const old = h.installed[0]!;
    h.responder.children = [];
    h.apply(h.initiator.rekeyChild(old.params.spiIn, h.now));
    h.settle();
    expect(h.responder.requests.filter((r) => r.exchangeType === ExchangeType.CREATE_CHILD_SA)).toHaveLength(2);
    expect(h.installed).toHaveLength(1);
    expect(h.removed).toEqual([{ spiIn: old.params.spiIn, spiOut: old.params.spiOut }]);
    expect(h.eventsOf('childDown')).toEqual([{ type: 'childDown', spiIn: old.params.spiIn, spiOut: old.params.spiOut, byPeer: true }]);
    expect(h.eventsOf('log').some((e) => e.message.includes('CHILD_CREATE failed') && e.message.includes('NO_PROPOSAL_CHOSEN') && e.message.includes('fix:'))).toBe(true);
    expect(h.initiator.status().children).toHaveLength(0);
  });
});

describe('CHILD_SA rekey with IPComp', () => {
  it('renegotiates IPComp for the new pair (IPCOMP_SUPPORTED in CREATE_CHILD_SA)', () => {
    const h = new Harness({ ipcompCpi: 0x4321 }).start();
    expect(h.installed[0]?.params.ipcomp?.cpiOut).toBe(0x1234);
    h.apply(h.initiator.rekeyChild(h.installed[0]!.params.spiIn, h.now));
    h.settle();
    expect(h.installed[1]?.params.ipcomp).toEqual({ cpiIn: 0x4321, cpiOut: 0x1235, transform: 2 });
  });
});

describe('peer CREATE_CHILD_SA that is not a rekey of ours (RFC 7296 §3.10.1)', () => {
  const nonce = { type: PayloadType.NONCE, critical: false, data: new Uint8Array(32).fill(7) } as const;
  function answer(h: Harness, payloads: Parameters<Harness['responder']['requestPayloads']>[1]): readonly Payload[] {
    h.fromResponder(h.responder.requestPayloads(ExchangeType.CREATE_CHILD_SA, payloads));
    h.settle();
    const r = h.responder.responses.at(-1);
    expect(r?.exchangeType).toBe(ExchangeType.CREATE_CHILD_SA);
    return r?.payloads ?? [];
  }

  it('refuses an additional CHILD_SA with NO_ADDITIONAL_SAS and keeps the IKE SA and the CHILD_SA', () => {
    const h = new Harness().start();
    const child = h.responder.child!;
    const p = answer(h, [{ type: PayloadType.SA, critical: false, proposals: [{ ...child.proposal, spi: Uint8Array.of(1, 2, 3, 4) }] }, nonce,
      { type: PayloadType.TSi, critical: false, selectors: child.tsr }, { type: PayloadType.TSr, critical: false, selectors: child.tsi }]);
    expect(p).toEqual([{ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.NO_ADDITIONAL_SAS, data: new Uint8Array(0) }]);
    expect(h.installed).toHaveLength(1);
    expect(h.initiator.status().state).toBe('established');
    expect(h.initiator.status().children).toHaveLength(1);
  });

  it('answers a rekey of an unknown CHILD_SA with CHILD_SA_NOT_FOUND naming its protocol and SPI, and a request without Nonce with INVALID_SYNTAX', () => {
    const h = new Harness().start();
    const child = h.responder.child!;
    const sa = { type: PayloadType.SA, critical: false, proposals: [{ ...child.proposal, spi: Uint8Array.of(1, 2, 3, 4) }] } as const;
    const rekey = { type: PayloadType.NOTIFY, critical: false, protocolId: ProtocolId.ESP, spi: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), notifyType: NotifyType.REKEY_SA, data: new Uint8Array(0) } as const;
    const p = answer(h, [rekey, sa, nonce]);
    expect(p).toEqual([{ ...rekey, notifyType: NotifyType.CHILD_SA_NOT_FOUND }]);
    expect(findNotifies(answer(h, [sa]), NotifyType.INVALID_SYNTAX)).toHaveLength(1);
    expect(h.installed).toHaveLength(1);
    expect(h.initiator.status().state).toBe('established');
  });
});
