// The datapath in memory: a fake port records what it sends, delivers and asks for; the gateway's
// side is a plain ChildSa with the mirrored keys.
import { describe, expect, it } from 'vitest';
import { ChildSa, type ChildSaParams } from '../esp/child-sa.js';
import { espDecap } from '../esp/inbound.js';
import { espEncap } from '../esp/outbound.js';
import { espTestSuite, saPair, type SaPairExtra } from '../esp/suites.testkit.js';
import { IpcompTransform } from '../iana/ikev2.js';
import { ipToBytes } from '../ike/addr.js';
import type { Endpoint, InstalledChildSa } from '../ike/types.js';
import { deflateCodec } from '../ipcomp/deflate.js';
import { decodeIpUdp, encodeIpUdp } from '../wire/ip.js';
import type { TrafficSelector } from '../wire/payloads/ts.js';
import { Datapath, type DatapathPort } from './pipeline.js';

const GW: Endpoint = { address: '192.0.2.2', port: 4500 };
const ts4 = (start: string, end: string, ipProtocol = 0, startPort = 0, endPort = 65535): TrafficSelector => ({ tsType: 7, ipProtocol, startPort, endPort, startAddress: ipToBytes(start), endAddress: ipToBytes(end) });
const ts6 = (start: string, end: string): TrafficSelector => ({ tsType: 8, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(start), endAddress: ipToBytes(end) });
const ANY4 = ts4('0.0.0.0', '255.255.255.255');
const NET = ts4('10.99.0.0', '10.99.0.255');

function udp(src: string, dst: string, text: string, dstPort = 7777): Uint8Array {
  return encodeIpUdp({ src: ipToBytes(src), dst: ipToBytes(dst), srcPort: 40000, dstPort, payload: new TextEncoder().encode(text) });
}
const payload = (p: Uint8Array): string => new TextDecoder().decode(decodeIpUdp(p).payload);

function installed(params: ChildSaParams, tsLocal = [ANY4], tsRemote = [NET], encap: { local: Endpoint; remote: Endpoint } | null = { local: { address: '192.0.2.1', port: 4500 }, remote: GW }): InstalledChildSa {
  return { params, tsLocal, tsRemote, ...(encap === null ? {} : { encap }) };
}

class FakePort implements DatapathPort {
  room = true;
  readonly sent: { packet: Uint8Array; remote: Endpoint }[] = [];
  readonly delivered: Uint8Array[] = [];
  readonly rekeys: number[] = [];
  inboundAt = -1;
  canSend(): boolean { return this.room; }
  sendEsp(packet: Uint8Array, remote: Endpoint): void { this.sent.push({ packet, remote }); }
  deliver(packet: Uint8Array): void { this.delivered.push(packet); }
  noteInbound(now: number): void { this.inboundAt = now; }
  rekey(spiIn: number): void { this.rekeys.push(spiIn); }
}

function setup(extra: SaPairExtra = {}, suite = 'aes256gcm16'): { dp: Datapath; port: FakePort; gw: ChildSa; mine: ChildSaParams } {
  const { a, b } = saPair(espTestSuite(suite), extra);
  const port = new FakePort();
  const dp = new Datapath(port);
  dp.install(installed(a));
  const codec = b.ipcomp === undefined ? {} : { ipcompCodec: deflateCodec() };
  return { dp, port, gw: new ChildSa(b, codec), mine: a };
}

/** The gateway answers: encrypt `inner` on its SA. */
function fromGw(gw: ChildSa, inner: Uint8Array): Uint8Array {
  const p = espEncap(gw, inner, 0);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

describe('Datapath', () => {
  it('carries inner packets both ways, notes inbound traffic, counts bytes and packets per SA', () => {
    const { dp, port, gw, mine } = setup();
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'ping'), 5)).toBe(true);
    expect(port.sent).toHaveLength(1);
    expect(port.sent[0]?.remote).toEqual(GW);
    const inner = espDecap(gw, port.sent[0]?.packet ?? new Uint8Array(), 5);
    expect(typeof inner === 'string' ? inner : payload(inner)).toBe('ping');
    dp.inbound(fromGw(gw, udp('10.99.0.1', '10.99.1.1', 'pong')), 7);
    expect(port.delivered.map(payload)).toEqual(['pong']);
    expect(port.inboundAt).toBe(7);
    const st = dp.status();
    expect(st.children).toHaveLength(1);
    expect(st.children[0]).toMatchObject({ spiIn: mine.spiIn, spiOut: mine.spiOut, packetsIn: 1, packetsOut: 1, encapRemote: '192.0.2.2:4500' });
    expect(st.children[0]?.bytesOut).toBe(udp('10.99.1.1', '10.99.0.1', 'ping').length);
    expect(st.totals).toMatchObject({ packetsIn: 1, packetsOut: 1 });
  });

  it('selects the CHILD_SA by traffic selectors (IPv4, IPv6, ports) and drops what matches none', () => {
    const p4 = saPair(espTestSuite('aes128gcm16'));
    const p6 = saPair(espTestSuite('aes128gcm16'));
    const pDns = saPair(espTestSuite('aes128gcm16'));
    const port = new FakePort();
    const dp = new Datapath(port);
    dp.install(installed(p4.a));
    dp.install(installed(p6.a, [ts6('2001:db8:1::', '2001:db8:1::ffff')], [ts6('2001:db8::', '2001:db8::ffff')]));
    dp.install(installed(pDns.a, [ANY4], [ts4('10.99.0.53', '10.99.0.53', 17, 53, 53)]));
    const v6 = encodeIpUdp({ src: ipToBytes('2001:db8:1::5'), dst: ipToBytes('2001:db8::1'), srcPort: 1, dstPort: 2, payload: new Uint8Array(3) });
    expect(dp.send(v6, 0)).toBe(true);
    expect(dp.send(udp('10.99.1.1', '10.99.0.53', 'dns', 53), 0)).toBe(true);
    expect(dp.send(udp('10.99.1.1', '10.99.0.53', 'not dns', 54), 0)).toBe(true); // falls to the /24 SA
    expect(port.sent.map((s) => s.packet.subarray(0, 4).reduce((a, b) => a * 256 + b, 0))).toEqual([p6.a.spiOut, pDns.a.spiOut, p4.a.spiOut]);
    expect(dp.send(udp('10.99.1.1', '198.51.100.7', 'elsewhere'), 0)).toBe(false);
    expect(dp.send(encodeIpUdp({ src: ipToBytes('2001:db8:2::5'), dst: ipToBytes('2001:db8::1'), srcPort: 1, dstPort: 2, payload: new Uint8Array(0) }), 0)).toBe(false);
    expect(dp.send(Uint8Array.of(0x45, 0, 0), 0)).toBe(false);
    expect(dp.status().drops).toMatchObject({ 'no-sa': 2, 'not-ip': 1 });
  });

  it('make-before-break: the new SA takes outbound at once, the old one still delivers until removed', () => {
    const { dp, port, gw, mine } = setup();
    const next = saPair(espTestSuite('aes256gcm16'));
    const gwNext = new ChildSa(next.b);
    dp.install(installed(next.a));
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'after rekey'), 0)).toBe(true);
    expect(typeof espDecap(gwNext, port.sent[0]?.packet ?? new Uint8Array(), 0)).not.toBe('string');
    dp.inbound(fromGw(gw, udp('10.99.0.1', '10.99.1.1', 'late on old')), 0);
    dp.inbound(fromGw(gwNext, udp('10.99.0.1', '10.99.1.1', 'on new')), 0);
    expect(port.delivered.map(payload)).toEqual(['late on old', 'on new']);
    expect(dp.remove(mine.spiIn)).toBe(true);
    dp.inbound(fromGw(gw, udp('10.99.0.1', '10.99.1.1', 'too late')), 0);
    expect(port.delivered).toHaveLength(2);
    const st = dp.status();
    expect(st.children.map((c) => c.spiIn)).toEqual([next.a.spiIn]);
    expect(st.drops['unknown-spi']).toBe(1);
    expect(st.totals).toMatchObject({ packetsIn: 2, packetsOut: 1 }); // the removed SA's packet is kept
  });

  it('a peer-rekeyed SA takes outbound only after inbound traffic on it or the old SA\'s removal (RFC 7296 §2.8)', () => {
    for (const confirm of ['inbound', 'remove'] as const) {
      const { dp, port, gw, mine } = setup();
      const next = saPair(espTestSuite('aes256gcm16'));
      const gwNext = new ChildSa(next.b);
      dp.install({ ...installed(next.a), replaces: mine.spiIn });
      // The peer may not have installed its inbound SA yet: keep sending on the old one.
      expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'still old'), 0)).toBe(true);
      expect(port.sent[0]?.packet.subarray(0, 4)).toEqual(Uint8Array.of(mine.spiOut >>> 24, (mine.spiOut >>> 16) & 255, (mine.spiOut >>> 8) & 255, mine.spiOut & 255));
      expect(typeof espDecap(gw, port.sent[0]?.packet ?? new Uint8Array(), 0)).not.toBe('string');
      if (confirm === 'inbound') dp.inbound(fromGw(gwNext, udp('10.99.0.1', '10.99.1.1', 'peer uses new')), 0);
      else expect(dp.remove(mine.spiIn)).toBe(true);
      expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'now new'), 0)).toBe(true);
      const last = port.sent.at(-1)?.packet ?? new Uint8Array();
      expect(typeof espDecap(gwNext, last, 0)).not.toBe('string');
    }
  });

  it('a peer-rekeyed SA still carries traffic when the old one has expired', () => {
    const { dp, port, mine } = setup();
    const next = saPair(espTestSuite('aes256gcm16'));
    dp.install({ ...installed(next.a), replaces: mine.spiIn });
    const old = dp.childSa(mine.spiIn);
    if (old === undefined) throw new Error('old SA missing');
    old.expired = true;
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'x'), 0)).toBe(true);
    expect(typeof espDecap(new ChildSa(next.b), port.sent.at(-1)?.packet ?? new Uint8Array(), 0)).not.toBe('string');
  });

  it('counts a replay, a forgery and garbage without throwing', () => {
    const { dp, port, gw } = setup();
    const pkt = fromGw(gw, udp('10.99.0.1', '10.99.1.1', 'once'));
    dp.inbound(pkt, 0);
    dp.inbound(pkt, 0);
    const forged = fromGw(gw, udp('10.99.0.1', '10.99.1.1', 'forged'));
    forged[forged.length - 1] = (forged.at(-1) ?? 0) ^ 1;
    dp.inbound(forged, 0);
    dp.inbound(Uint8Array.of(0, 0, 1, 0), 0);
    expect(port.delivered.map(payload)).toEqual(['once']);
    expect(dp.status().drops).toMatchObject({ replay: 1, icv: 1, 'unknown-spi': 1 });
    expect(dp.status().children[0]?.drops).toEqual({ replay: 1, icv: 1 });
  });

  it('refuses with queue-full while the send queue is at its bound, without burning a sequence number', () => {
    const { dp, port, mine } = setup();
    port.room = false;
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'x'), 0)).toBe(false);
    expect(dp.status().drops['queue-full']).toBe(1);
    expect(dp.childSa(mine.spiIn)?.seqOut).toBe(0);
    port.room = true;
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'y'), 0)).toBe(true);
  });

  it('asks for one rekey at the soft limit and stops using the SA at the hard limit', () => {
    const { dp, port, mine } = setup({ lifetime: { softPackets: 2, hardPackets: 3 } });
    for (let i = 0; i < 3; i++) expect(dp.send(udp('10.99.1.1', '10.99.0.1', `p${i}`), 0)).toBe(true);
    expect(port.rekeys).toEqual([mine.spiIn]);
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'p3'), 0)).toBe(false);
    expect(dp.status().children[0]).toMatchObject({ rekeyNeeded: true, expired: true, packetsOut: 3 });
    expect(dp.status().drops['no-sa']).toBe(1);
  });

  it('keeps keys, window and sequence numbers when a MOBIKE move re-announces an SA', () => {
    const { dp, port, mine } = setup();
    dp.send(udp('10.99.1.1', '10.99.0.1', 'a'), 0);
    const sa = dp.childSa(mine.spiIn);
    const moved = { address: '198.51.100.9', port: 4500 };
    dp.install(installed(mine, [ANY4], [NET], { local: { address: '192.0.2.3', port: 4500 }, remote: moved }));
    expect(dp.childSa(mine.spiIn)).toBe(sa);
    dp.send(udp('10.99.1.1', '10.99.0.1', 'b'), 0);
    expect(port.sent.map((s) => s.remote)).toEqual([GW, moved]);
    expect(sa?.seqOut).toBe(2);
  });

  it('drops what is not UDP-encapsulated (Kite sends ESP only over UDP)', () => {
    const { a } = saPair(espTestSuite('aes128gcm16'));
    const port = new FakePort();
    const dp = new Datapath(port);
    dp.install(installed(a, [ANY4], [NET], null));
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'x'), 0)).toBe(false);
    expect(dp.status().drops['no-encap']).toBe(1);
  });

  it('decompresses IPComp (transport mode, next header 108, as OpenBSD iked sends it)', () => {
    const ipcomp = { cpiIn: 0x4100, cpiOut: 0x4200, transform: IpcompTransform.IPCOMP_DEFLATE };
    const { dp, port, gw } = setup({ mode: 'transport', ipcomp });
    const big = udp('10.99.0.1', '10.99.1.1', 'z'.repeat(600));
    dp.inbound(fromGw(gw, big), 0);
    expect(gw.stats.compressedOut).toBe(1);
    expect(port.delivered.map((p) => p.length)).toEqual([big.length]);
    expect(dp.send(udp('10.99.1.1', '10.99.0.1', 'y'.repeat(600)), 0)).toBe(true);
    const back = espDecap(gw, port.sent[0]?.packet ?? new Uint8Array(), 0);
    expect(typeof back === 'string' ? back : payload(back)).toBe('y'.repeat(600));
    expect(dp.status().children[0]).toMatchObject({ ipcomp: true, compressedOut: 1, mode: 'transport' });
  });
});
