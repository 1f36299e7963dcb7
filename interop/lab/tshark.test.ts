/**
 * The committed strongSwan fixtures, judged by tshark: the key tables are right (tshark decrypts
 * every SK, SKF and ESP packet of the AES-CBC and AES-GCM captures), tshark's dissection agrees
 * with meta.json and with the payload lists strongSwan itself logged, and the keys in keys.json
 * are what both charons logged.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossCheckedKeys } from './fixture.js';
import { STRONGSWAN_FIXTURE_SUITES, strongswanFixture, strongswanPayloadTypes, type StrongswanFixture } from './fixtures.js';
import {
  allDecrypted,
  payloadTypeSummary,
  tsharkDissect,
  tsharkEspPackets,
  tsharkIkeMessages,
  tsharkVersion,
  type TsharkIkeMessage,
  type TsharkPayload,
} from './tshark.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const PURPOSES = [
  'IKE_SA_INIT',
  'IKE_AUTH',
  'rekey CHILD_SA',
  'delete CHILD_SA',
  'rekey IKE_SA',
  'delete IKE_SA',
  'DPD (liveness check)',
  'delete IKE_SA',
];

function ipv4Hex(addr: string): string {
  return addr
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('');
}

function innerOf(m: TsharkIkeMessage): readonly TsharkPayload[] {
  const enc = m.payloads.find((p) => p.type === 46 || p.type === 53);
  if (enc?.inner === undefined) throw new Error(`frame ${m.frame}: nothing decrypted`);
  return enc.inner;
}

function frame(msgs: readonly TsharkIkeMessage[], n: number | undefined): TsharkIkeMessage {
  const m = msgs.find((x) => x.frame === n);
  if (m === undefined) throw new Error(`no IKE message in frame ${String(n)}`);
  return m;
}

beforeAll(async () => {
  // Fails with "install it with: apt-get install -y tshark" when tshark is missing.
  await tsharkVersion();
});

describe.each(STRONGSWAN_FIXTURE_SUITES.map((s) => [s]))('strongSwan fixture %s', (suite) => {
  let fx: StrongswanFixture;
  let plain: TsharkIkeMessage[];

  beforeAll(async () => {
    fx = strongswanFixture(suite);
    plain = tsharkIkeMessages(await tsharkDissect(fx.pcap));
  });

  it('tshark sees the IKE frames listed in meta.json (headers, NAT-T, fragments)', () => {
    expect(plain.map((m) => m.frame)).toEqual(fx.meta.ikeFrames.map((f) => f.frame));
    expect(plain.filter((m) => m.malformed).map((m) => m.frame)).toEqual([]);
    plain.forEach((m, i) => {
      const f = fx.meta.ikeFrames[i];
      expect(f).toBeDefined();
      if (f === undefined) return;
      expect([m.exchangeType, m.messageId, m.initiator, m.response, m.spiI, m.spiR, m.natT]).toEqual([
        f.exchangeType, f.messageId, f.initiator, f.response, f.spiI, f.spiR, f.natT,
      ]);
      // IKE_SA_INIT on 500, everything after it on 4500 behind the non-ESP marker (libipsec forces NAT-T).
      expect(m.natT).toBe(m.exchangeType !== 34);
      expect(m.srcPort).toBe(m.exchangeType === 34 ? 500 : 4500);
    });
    const auth = fx.meta.exchanges[1];
    expect(auth?.exchange).toBe('IKE_AUTH');
    for (const frames of [auth?.requestFrames ?? [], auth?.responseFrames ?? []]) {
      expect(frames).toHaveLength(2);
      frames.forEach((n, i) => {
        const skf = frame(plain, n).payloads[0];
        expect(skf?.type).toBe(53);
        expect(skf?.fragment).toEqual({ number: i + 1, total: 2 });
      });
    }
  });

  it('covers every exchange of the scenario, on the initial and the rekeyed IKE SA', () => {
    expect(fx.meta.exchanges.map((e) => e.purpose)).toEqual(PURPOSES);
    expect(fx.meta.exchanges.map((e) => e.ikeSa)).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(fx.meta.ikeSas).toHaveLength(2);
    expect(fx.meta.ikeSas[1]?.spiI).not.toBe(fx.meta.ikeSas[0]?.spiI);
    expect(fx.meta.childSas).toHaveLength(2);
    // Message IDs restart at 0 on the rekeyed IKE SA.
    expect(fx.meta.exchanges[6]?.messageId).toBe(0);
    const authResp = fx.meta.exchanges[1]?.initiatorLog.at(-1) ?? '';
    expect(authResp).toMatch(/^parsed IKE_AUTH response 1 \[ IDr CERT AUTH CPRP\(ADDR\) SA TSi TSr/);
  });

  it('keys.json holds what both charons logged, and the key tables agree with it', () => {
    const keys = crossCheckedKeys(readFileSync(fx.initiatorLog, 'utf8'), readFileSync(fx.responderLog, 'utf8'));
    expect(keys.ike.map((k) => [hex(k.skeyseed), hex(k.skD), hex(k.skEi), hex(k.skEr), hex(k.skAi), hex(k.skAr), hex(k.skPi), hex(k.skPr)])).toEqual(
      fx.keys.ikeSas.map((k) => [k.skeyseed, k.skD, k.skEi, k.skEr, k.skAi, k.skAr, k.skPi, k.skPr]),
    );
    expect(keys.ike.every((k) => k.gir !== undefined && k.gir.length > 0)).toBe(true);
    expect(fx.keys.ikeSas.map((k) => [k.spiI, k.spiR])).toEqual(fx.meta.ikeSas.map((s) => [s.spiI, s.spiR]));
    expect(fx.keys.childSas.map((c) => [c.spiInitiatorToResponder, c.spiResponderToInitiator])).toEqual(
      fx.meta.childSas.map((c) => [c.spiInitiatorToResponder, c.spiResponderToInitiator]),
    );
    if (fx.ikev2DecryptionTable !== undefined) {
      const rows = readFileSync(fx.ikev2DecryptionTable, 'utf8').trim().split('\n').map((l) => l.split(','));
      expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5], r[6]])).toEqual(
        fx.keys.ikeSas.map((k) => [k.spiI, k.spiR, k.skEi, k.skEr, k.skAi, k.skAr]),
      );
    }
  });

  if (suite === 'chacha20poly1305-x25519') {
    it('tshark 4.0 cannot decrypt ChaCha20-Poly1305: SK payloads stay opaque, strongSwan logs carry the payload lists', () => {
      expect(fx.ikev2DecryptionTable).toBeUndefined();
      const sk = plain.flatMap((m) => m.payloads).filter((p) => p.type === 46 || p.type === 53);
      expect(sk.length).toBeGreaterThan(0);
      expect(sk.every((p) => p.inner === undefined)).toBe(true);
      for (const e of fx.meta.exchanges) {
        expect(e.initiatorLog.length).toBeGreaterThanOrEqual(2);
        expect(e.responderLog.length).toBeGreaterThanOrEqual(2);
      }
      // ChaCha20-Poly1305 keys carry a 4-byte salt (RFC 7634): 36 bytes, no integrity key.
      expect(fx.keys.ikeSas.every((k) => k.skEi.length === 72 && k.skAi === '')).toBe(true);
    });
    return;
  }

  describe('decrypted by tshark with the committed key tables', () => {
    let dec: TsharkIkeMessage[];
    let esp: ReturnType<typeof tsharkEspPackets>;

    beforeAll(async () => {
      const packets = await tsharkDissect(fx.pcap, { keysDir: fx.dir });
      dec = tsharkIkeMessages(packets);
      esp = tsharkEspPackets(packets);
    });

    it('decrypts every SK payload and every reassembled SKF message', () => {
      expect(allDecrypted(dec)).toBe(true);
    });

    it("matches the payload lists strongSwan logged for each message (tshark reassembles SKF on the last fragment)", () => {
      for (const e of fx.meta.exchanges) {
        const req = e.initiatorLog.find((l) => l.startsWith('generating') && !l.includes('EF('));
        const resp = e.initiatorLog.find((l) => l.startsWith('parsed') && !l.includes('EF('));
        const lastReq = frame(dec, e.requestFrames.at(-1));
        const lastResp = frame(dec, e.responseFrames.at(-1));
        const types = (m: TsharkIkeMessage): number[] =>
          e.exchange === 'IKE_SA_INIT' ? m.payloads.map((p) => p.type) : innerOf(m).map((p) => p.type);
        expect(types(lastReq), `${e.purpose} request`).toEqual(strongswanPayloadTypes(req ?? ''));
        expect(types(lastResp), `${e.purpose} response`).toEqual(strongswanPayloadTypes(resp ?? ''));
      }
    });

    it('shows the IKE_AUTH identities, CP virtual IP and traffic selectors', () => {
      const auth = fx.meta.exchanges[1];
      const req = innerOf(frame(dec, auth?.requestFrames.at(-1)));
      const resp = innerOf(frame(dec, auth?.responseFrames.at(-1)));
      expect(req.find((p) => p.type === 35)?.id).toEqual({ type: 3, value: 'client@example.test' });
      expect(req.find((p) => p.type === 36)?.id).toEqual({ type: 2, value: 'gw.example.test' });
      expect(req.find((p) => p.type === 47)?.cp).toEqual({ cfgType: 1, attributes: [{ type: 1, length: 0, valueHex: '' }] });
      expect(resp.find((p) => p.type === 36)?.id).toEqual({ type: 2, value: 'gw.example.test' });
      expect(resp.find((p) => p.type === 39)?.auth).toEqual({ method: 14 });
      const vip = fx.meta.network.virtualIp;
      expect(resp.find((p) => p.type === 47)?.cp).toEqual({
        cfgType: 2,
        attributes: [{ type: 1, length: 4, valueHex: ipv4Hex(vip) }],
      });
      const sel = { tsType: 7, protocol: 0, startPort: 0, endPort: 65535 };
      expect(resp.find((p) => p.type === 44)?.ts).toEqual([{ ...sel, startAddress: vip, endAddress: vip }]);
      expect(resp.find((p) => p.type === 45)?.ts).toEqual([{ ...sel, startAddress: '10.99.0.0', endAddress: '10.99.0.255' }]);
    });

    it('shows REKEY_SA and the Delete naming the old CHILD SA, and the IKE rekey without TS', () => {
      const [rekeyChild, delChild, rekeyIke] = [2, 3, 4].map((i) => fx.meta.exchanges[i]);
      const oldInbound = fx.meta.childSas[0]?.spiResponderToInitiator;
      const rekeySa = innerOf(frame(dec, rekeyChild?.requestFrames[0])).find((p) => p.notify?.type === 16393);
      expect(rekeySa?.notify).toMatchObject({ protocolId: 3, spi: oldInbound });
      expect(innerOf(frame(dec, delChild?.requestFrames[0])).find((p) => p.type === 42)?.delete).toEqual({
        protocolId: 3,
        spis: [oldInbound],
      });
      expect(payloadTypeSummary(frame(dec, rekeyIke?.requestFrames[0]).payloads)).toBe('46[33 40 34]');
    });

    it('decrypts every ESP packet: UDP probes between the virtual IP and the inner host', () => {
      expect(esp.map((p) => p.frame)).toEqual(fx.meta.espFrames.map((f) => f.frame));
      expect(esp).toHaveLength(12);
      const spis = new Set(fx.meta.childSas.flatMap((c) => [c.spiInitiatorToResponder, c.spiResponderToInitiator]));
      for (const p of esp) {
        expect(spis.has(p.spi)).toBe(true);
        const inner = p.decryptedHex ?? '';
        expect(inner.slice(0, 2)).toBe('45'); // IPv4, no options
        const fromInitiator = p.src === fx.meta.network.initiator;
        expect(inner.slice(24, 32)).toBe(ipv4Hex(fromInitiator ? fx.meta.network.virtualIp : fx.meta.network.innerHost));
        expect(Buffer.from(inner, 'hex').toString('latin1')).toContain('kite esp probe');
      }
    });
  });
});
