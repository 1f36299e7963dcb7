import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../crypto/backend.js';
import { IpcompTransform } from '../iana/ikev2.js';
import { IpProto } from '../iana/ipsec.js';
import { deflateCodec } from '../ipcomp/deflate.js';
import { ESP_HEADER_LENGTH, encodeEspHeader, readU32 } from '../wire/esp.js';
import { encodeIpUdp } from '../wire/ip.js';
import { ChildSa, EspDrop } from './child-sa.js';
import { EspSaTable, espDecap } from './inbound.js';
import { espDummy, espEncap } from './outbound.js';
import { ESP_TEST_SUITES, espTestSuite, saPair } from './suites.testkit.js';

const TWO32 = 0x1_0000_0000;
const v4 = (n: number, fill?: number): Uint8Array =>
  encodeIpUdp({ src: Uint8Array.of(10, 99, 1, 1), dst: Uint8Array.of(10, 99, 0, 1), srcPort: 40000, dstPort: 7777, payload: fill === undefined ? randomBytes(n) : new Uint8Array(n).fill(fill) });
const v6 = (n: number): Uint8Array =>
  encodeIpUdp({ src: new Uint8Array(16).fill(0x20), dst: new Uint8Array(16).fill(0x30), srcPort: 1, dstPort: 2, payload: randomBytes(n) });

/** Protect an arbitrary plaintext (payload + trailer as given) so inbound sees exactly it. */
function sealRaw(sa: ChildSa, plain: Uint8Array, seq: number): Uint8Array {
  const c = sa.outCipher;
  const pkt = new Uint8Array(ESP_HEADER_LENGTH + c.ivLength + plain.length + c.icvLength);
  encodeEspHeader(pkt, sa.params.spiOut, seq >>> 0);
  pkt.set(plain, ESP_HEADER_LENGTH + c.ivLength);
  c.seal(pkt, seq);
  return pkt;
}

function ok(r: Uint8Array | EspDrop): Uint8Array {
  if (typeof r === 'string') throw new Error(`dropped: ${r}`);
  return r;
}

describe.each(ESP_TEST_SUITES)('ESP round trip, $name', (suite) => {
  const combos = BACKENDS.flatMap((x) => BACKENDS.map((y) => [x, y] as const));
  it.each(combos.flatMap(([x, y]) => [false, true].map((esn) => ({ x, y, esn }))))('$x -> $y, esn $esn', ({ x, y, esn }) => {
    const { a, b } = saPair(suite, { esn });
    const tx = new ChildSa(a, { backend: x });
    const rx = new ChildSa(b, { backend: y });
    for (const inner of [v4(0), v4(1), v4(35), v4(1372), v6(3), v6(1300)]) {
      const pkt = ok(espEncap(tx, inner, 1));
      const c = tx.outCipher;
      expect((pkt.length - ESP_HEADER_LENGTH - c.ivLength - c.icvLength) % c.blockSize).toBe(0);
      expect(readU32(pkt, 0)).toBe(a.spiOut);
      expect(readU32(pkt, 4)).toBe(tx.seqOut);
      expect(ok(espDecap(rx, pkt, 2))).toEqual(inner);
      expect(rx.lastNextHeader).toBe(inner[0] === 0x45 ? IpProto.IPV4 : IpProto.IPV6);
    }
    expect(rx.stats.packetsIn).toBe(6);
    expect(tx.stats.packetsOut).toBe(6);
    expect(rx.lastInboundAt).toBe(2);
  });

  it('a bit flipped anywhere fails the ICV and does not move the window', () => {
    const { a, b } = saPair(suite);
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    const pkt = ok(espEncap(tx, v4(100), 0));
    for (let i = 4; i < pkt.length; i += 7) {
      const bad = pkt.slice();
      bad[i] = (bad[i] as number) ^ 0x10;
      expect([i, espDecap(rx, bad, 0)]).toEqual([i, EspDrop.ICV]); // a changed Seq is in the AAD / ICV too
    }
    expect(rx.replay.top).toBe(0);
    expect(ok(espDecap(rx, pkt, 0))).toBeDefined();
  });
});

describe('ESP sequence numbers and lifetimes', () => {
  const gcm = espTestSuite('aes256gcm16');

  it('32-bit: the last number is 2^32-1, then the SA stops (never wraps)', () => {
    const { a, b } = saPair(gcm);
    const tx = new ChildSa(a, { initialSeqOut: TWO32 - 2, seqSoftMargin: 5 });
    const rx = new ChildSa(b);
    expect(tx.rekeyNeeded).toBe(false);
    const pkt = ok(espEncap(tx, v4(10), 0));
    expect(readU32(pkt, 4)).toBe(TWO32 - 1);
    expect(tx.rekeyNeeded).toBe(true);
    expect(ok(espDecap(rx, pkt, 0)).length).toBe(38);
    expect(espEncap(tx, v4(10), 0)).toBe(EspDrop.SEQ_EXHAUSTED);
    expect(tx.expired).toBe(true);
    expect(espEncap(tx, v4(10), 0)).toBe(EspDrop.EXPIRED);
  });

  it('ESN: crosses 2^32 with the high half only in the ICV, receiver follows', () => {
    const { a, b } = saPair(gcm, { esn: true });
    const tx = new ChildSa(a, { initialSeqOut: TWO32 - 3 });
    const rx = new ChildSa(b);
    rx.replay.commit(TWO32 - 100); // receiver already in the same epoch
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const pkt = ok(espEncap(tx, v4(20), 0));
      seen.push(readU32(pkt, 4));
      ok(espDecap(rx, pkt, 0));
    }
    expect(seen).toEqual([TWO32 - 2, TWO32 - 1, 0, 1, 2, 3]);
    expect(rx.replay.top).toBe(TWO32 + 3);
  });

  it('ESN: a receiver that assumes the wrong epoch fails the ICV', () => {
    const { a, b } = saPair(espTestSuite('aes256-sha256'), { esn: true });
    const tx = new ChildSa(a, { initialSeqOut: TWO32 + 10 });
    const rx = new ChildSa(b);
    expect(espDecap(rx, ok(espEncap(tx, v4(20), 0)), 0)).toBe(EspDrop.ICV);
  });

  it('packet and byte lifetimes: soft asks for a rekey, hard stops', () => {
    const { a, b } = saPair(gcm, { lifetime: { softPackets: 2, hardPackets: 3, softBytes: 1e9, hardBytes: 2e9 } });
    const tx = new ChildSa(a);
    const rx = new ChildSa(b, {});
    ok(espDecap(rx, ok(espEncap(tx, v4(10), 0)), 0));
    expect(tx.rekeyNeeded || rx.rekeyNeeded).toBe(false);
    ok(espDecap(rx, ok(espEncap(tx, v4(10), 0)), 0));
    expect([tx.rekeyNeeded, rx.rekeyNeeded, tx.expired]).toEqual([true, true, false]);
    const third = ok(espEncap(tx, v4(10), 0));
    expect(tx.expired).toBe(true);
    ok(espDecap(rx, third, 0));
    expect(rx.expired).toBe(true);
    expect(espEncap(tx, v4(10), 0)).toBe(EspDrop.EXPIRED);
    const { a: a2, b: b2 } = saPair(gcm, { lifetime: { softBytes: 100, hardBytes: 150 } });
    const t2 = new ChildSa(a2);
    ok(espEncap(t2, v4(100), 0));
    expect([t2.rekeyNeeded, t2.expired]).toEqual([true, false]);
    ok(espEncap(t2, v4(100), 0));
    expect(t2.expired).toBe(true);
    expect(new ChildSa(b2).expired).toBe(false);
  });
});

describe('ESP payload checks', () => {
  const [gcm, cbc] = [espTestSuite('aes128gcm16'), espTestSuite('aes256-sha256')];

  it.each([gcm, cbc])('padding must be 1, 2, 3, … and fit ($name)', (suite) => {
    const { a, b } = saPair(suite);
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    const inner = v4(10); // 38 bytes
    const good = new Uint8Array(48);
    good.set(inner);
    for (let i = 0; i < 8; i++) good[38 + i] = i + 1;
    good[46] = 8;
    good[47] = 4;
    expect(ok(espDecap(rx, sealRaw(tx, good, 1), 0))).toEqual(inner);
    const wrongByte = good.slice();
    wrongByte[40] = 0;
    expect(espDecap(rx, sealRaw(tx, wrongByte, 2), 0)).toBe(EspDrop.BAD_PADDING);
    const tooLong = good.slice();
    tooLong[46] = 47;
    expect(espDecap(rx, sealRaw(tx, tooLong, 3), 0)).toBe(EspDrop.BAD_PADDING);
    expect(rx.stats.drops['bad-padding']).toBe(2);
    expect(rx.replay.top).toBe(3); // authentic packets are committed even when their content is bad
  });

  it('next header 59 is dropped silently and counted', () => {
    const { a, b } = saPair(gcm);
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    expect(espDecap(rx, ok(espDummy(tx, 200, 0)), 0)).toBe(EspDrop.DUMMY);
    expect(rx.stats.drops.dummy).toBe(1);
    expect(rx.stats.packetsIn).toBe(0);
  });

  it('TFC padding is added outbound and cut off by the inner length inbound', () => {
    const { a, b } = saPair(gcm);
    const tx = new ChildSa(a, { tfcPadTo: 1000 });
    const rx = new ChildSa(b);
    const inner = v6(10);
    const pkt = ok(espEncap(tx, inner, 0));
    expect(pkt.length).toBeGreaterThanOrEqual(1000 + 8 + 8 + 16 + 2);
    expect(ok(espDecap(rx, pkt, 0))).toEqual(inner);
  });

  it.each([gcm, cbc])('pooled output buffers carry no stale bytes: plaintext is exactly inner | TFC zeros | 1, 2, … | trailer ($name)', (suite) => {
    const { a, b } = saPair(suite);
    const tx = new ChildSa(a, { tfcPadTo: 120 });
    const rx = new ChildSa(b);
    for (let i = 0; i < 50; i++) {
      Buffer.allocUnsafe(200).fill(0xaa); // dirty the pool the next packet is cut from
      const inner = v4(i);
      const pkt = ok(espEncap(tx, inner, 0));
      const plain = rx.inCipher.open(pkt, 0);
      if (plain === undefined) throw new Error('ICV');
      const padLength = plain[plain.length - 2] as number;
      const expected = new Uint8Array(plain.length);
      expected.set(inner);
      for (let p = 0; p < padLength; p++) expected[plain.length - 2 - padLength + p] = p + 1;
      expected[plain.length - 2] = padLength;
      expected[plain.length - 1] = IpProto.IPV4;
      expect(plain).toEqual(expected);
      expect(plain.length - 2 - padLength).toBe(Math.max(120, inner.length));
    }
  });

  it('writes into a caller-provided send buffer, refusing one that is too small', () => {
    const { a, b } = saPair(cbc);
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    const out = new Uint8Array(2048).fill(0xee);
    const inner = v4(100);
    const pkt = ok(espEncap(tx, inner, 0, undefined, out));
    expect(pkt.buffer).toBe(out.buffer);
    expect(pkt.byteOffset).toBe(0);
    expect(ok(espDecap(rx, pkt, 0))).toEqual(inner);
    expect(espEncap(tx, inner, 0, undefined, new Uint8Array(100))).toBe(EspDrop.OVERSIZE);
  });

  it('tunnel mode: non-IP payloads are refused both ways', () => {
    const { a, b } = saPair(gcm);
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    expect(espEncap(tx, Uint8Array.of(0x10, 1, 2, 3), 0)).toBe(EspDrop.BAD_INNER_HEADER);
    expect(espEncap(tx, v4(10), 0, IpProto.GRE)).toBe(EspDrop.BAD_INNER_HEADER);
    const lying = v4(10);
    lying[3] = 200; // total length beyond the payload
    expect(espDecap(rx, ok(espEncap(tx, lying, 0)), 0)).toBe(EspDrop.BAD_INNER_HEADER);
    // GRE (47) inside a tunnel-mode SA.
    expect(espDecap(rx, sealRaw(tx, Uint8Array.of(9, 9, 0, IpProto.GRE), 5), 0)).toBe(EspDrop.BAD_NEXT_HEADER);
  });

  it('transport mode carries other protocols (GRE) and reports the next header', () => {
    const { a, b } = saPair(cbc, { mode: 'transport' });
    const tx = new ChildSa(a);
    const rx = new ChildSa(b);
    const gre = randomBytes(60);
    expect(ok(espDecap(rx, ok(espEncap(tx, gre, 0, IpProto.GRE)), 0))).toEqual(new Uint8Array(gre));
    expect(rx.lastNextHeader).toBe(IpProto.GRE);
  });

  it('size checks: truncated, misaligned, oversize, wrong SPI, unknown SPI', () => {
    const { a, b } = saPair(cbc);
    const tx = new ChildSa(a, { maxPacket: 200 });
    const rx = new ChildSa(b);
    const pkt = ok(espEncap(tx, v4(10), 0));
    expect(espDecap(rx, pkt.subarray(0, 20), 0)).toBe(EspDrop.TRUNCATED);
    expect(espDecap(rx, pkt.subarray(0, pkt.length - 1), 0)).toBe(EspDrop.BAD_LENGTH);
    expect(espEncap(tx, v4(500), 0)).toBe(EspDrop.OVERSIZE);
    const other = pkt.slice();
    other[0] = 1;
    expect(espDecap(rx, other, 0)).toBe(EspDrop.UNKNOWN_SPI);
    const table = new EspSaTable();
    table.add(rx);
    expect(table.decap(other, 0)).toBe(EspDrop.UNKNOWN_SPI);
    expect(table.decap(pkt.subarray(0, 3), 0)).toBe(EspDrop.UNKNOWN_SPI);
    expect(table.unknownSpi).toBe(2);
    expect(ok(table.decap(pkt, 0)).length).toBe(38);
    expect(table.remove(b.spiIn)).toBe(true);
    expect(table.get(b.spiIn)).toBeUndefined();
  });

  it('refuses misconfiguration at construction', () => {
    const { a } = saPair(gcm);
    expect(() => new ChildSa({ ...a, encrKeyIn: new Uint8Array(16) })).toThrow(/key bytes/);
    expect(() => new ChildSa({ ...a, encrId: 3 })).toThrow(/not implemented/);
    expect(() => new ChildSa({ ...a, integId: 12 })).toThrow(/AEAD/);
    expect(() => new ChildSa({ ...a, replayWindow: 5000 })).toThrow(RangeError);
    const lzs = { ...a, ipcomp: { cpiIn: 300, cpiOut: 301, transform: IpcompTransform.IPCOMP_LZS } };
    expect(() => new ChildSa(lzs, { ipcompCodec: deflateCodec() })).toThrow(/IPComp transform 3/);
    expect(() => new ChildSa({ ...lzs, ipcomp: { ...lzs.ipcomp, transform: IpcompTransform.IPCOMP_DEFLATE } })).toThrow(/ipcompCodec/);
  });
});

describe('ESP with IPComp (iked style: ESP | IPComp | inner IP)', () => {
  const suite = espTestSuite('aes256gcm16');
  const ipcomp = { cpiIn: 0x1234, cpiOut: 0x4321, transform: IpcompTransform.IPCOMP_DEFLATE };

  it('compresses when it pays, sends the rest as plain IP, receiver takes both', () => {
    const { a, b } = saPair(suite, { ipcomp });
    const tx = new ChildSa(a, { ipcompCodec: deflateCodec() });
    const rx = new ChildSa(b, { ipcompCodec: deflateCodec() });
    const text = v4(1300, 0x41);
    const pkt = ok(espEncap(tx, text, 0));
    expect(pkt.length).toBeLessThan(300);
    expect(tx.stats.compressedOut).toBe(1);
    expect(ok(espDecap(rx, pkt, 0))).toEqual(text);
    for (const inner of [v4(1300), v4(20)]) {
      const p = ok(espEncap(tx, inner, 0));
      expect(p.length).toBeGreaterThan(inner.length);
      expect(ok(espDecap(rx, p, 0))).toEqual(inner);
    }
    expect(tx.stats.compressedOut).toBe(1);
  });

  it('drops bombs, corrupt streams, a wrong CPI and IPComp on an SA without it', () => {
    const { a, b } = saPair(suite, { ipcomp });
    const tx = new ChildSa(a, { ipcompCodec: deflateCodec() });
    const rx = new ChildSa(b, { ipcompCodec: deflateCodec({ maxOutput: 4000 }) });
    const frame = (nh: number, cpi: number, body: Uint8Array): Uint8Array => {
      const plain = new Uint8Array(4 + body.length + 2 + ((4 - ((body.length + 6) % 4)) % 4));
      plain.set([nh, 0, cpi >> 8, cpi & 0xff]);
      plain.set(body, 4);
      const pad = plain.length - 6 - body.length;
      for (let i = 0; i < pad; i++) plain[4 + body.length + i] = i + 1;
      plain[plain.length - 2] = pad;
      plain[plain.length - 1] = IpProto.IPCOMP;
      return plain;
    };
    const bomb = deflateRawSync(v4(8000, 0));
    expect(espDecap(rx, sealRaw(tx, frame(4, 0x4321, bomb), 1), 0)).toBe(EspDrop.IPCOMP_BOMB);
    expect(espDecap(rx, sealRaw(tx, frame(4, 0x4321, Uint8Array.of(1, 2, 3, 4, 5)), 2), 0)).toBe(EspDrop.IPCOMP_CORRUPT);
    expect(espDecap(rx, sealRaw(tx, frame(4, 0x9999, deflateRawSync(v4(200, 1))), 3), 0)).toBe(EspDrop.BAD_INNER_HEADER);
    expect(ok(espDecap(rx, sealRaw(tx, frame(4, 0x4321, deflateRawSync(v4(200, 1))), 4), 0))).toEqual(v4(200, 1));
    const { a: a2, b: b2 } = saPair(suite);
    expect(espDecap(new ChildSa(b2), sealRaw(new ChildSa(a2), frame(4, 0x4321, deflateRawSync(v4(200, 1))), 1), 0)).toBe(EspDrop.BAD_NEXT_HEADER);
    expect(rx.stats.drops['ipcomp-bomb'] + rx.stats.drops['ipcomp-corrupt']).toBe(2);
  });
});
