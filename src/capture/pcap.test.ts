import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { LinkType } from '../iana/ipsec.js';
import { hasCommand, parseErrorOf } from '../util/testing.testkit.js';
import type { CaptureRecord, UdpRecord } from './frame.js';
import { extractIkeDatagrams } from './ike-datagrams.js';
import { isCaptureFile, readCapture, readFrames } from './pcap.js';

// ---- a tiny capture writer, enough to build every container and link variant ----

type Endian = 'le' | 'be';
function u16(v: number, e: Endian): number[] {
  return e === 'be' ? [(v >> 8) & 0xff, v & 0xff] : [v & 0xff, (v >> 8) & 0xff];
}
function u32(v: number, e: Endian): number[] {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return e === 'be' ? b : b.reverse();
}
function pcap(linkType: number, frames: readonly number[][], e: Endian = 'le', nano = false): Uint8Array {
  const out = [...u32(nano ? 0xa1b23c4d : 0xa1b2c3d4, e), ...u16(2, e), ...u16(4, e), ...u32(0, e), ...u32(0, e), ...u32(65535, e), ...u32(linkType, e)];
  frames.forEach((f, i) => out.push(...u32(1000 + i, e), ...u32(nano ? 500_000_000 : 500_000, e), ...u32(f.length, e), ...u32(f.length, e), ...f));
  return new Uint8Array(out);
}
function block(type: number, body: number[], e: Endian): number[] {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  return [...u32(type, e), ...u32(total, e), ...body, ...new Array<number>(pad).fill(0), ...u32(total, e)];
}
function shb(e: Endian): number[] {
  return block(0x0a0d0d0a, [...u32(0x1a2b3c4d, e), ...u16(1, e), ...u16(0, e), ...u32(0xffffffff, e), ...u32(0xffffffff, e)], e);
}
function idb(linkType: number, e: Endian, tsresol?: number): number[] {
  const opts = tsresol === undefined ? [] : [...u16(9, e), ...u16(1, e), tsresol, 0, 0, 0, ...u16(0, e), ...u16(0, e)];
  return block(1, [...u16(linkType, e), ...u16(0, e), ...u32(0, e), ...opts], e);
}
function epb(iface: number, ts: bigint, data: number[], e: Endian): number[] {
  return block(6, [...u32(iface, e), ...u32(Number(ts >> 32n), e), ...u32(Number(ts & 0xffffffffn), e), ...u32(data.length, e), ...u32(data.length, e), ...data], e);
}

function udp(sport: number, dport: number, payload: number[]): number[] {
  return [...u16(sport, 'be'), ...u16(dport, 'be'), ...u16(8 + payload.length, 'be'), 0, 0, ...payload];
}
function ipv4(proto: number, body: number[], opts: { options?: number[]; frag?: number } = {}): number[] {
  const options = opts.options ?? [];
  const ihl = 20 + options.length;
  return [0x40 | (ihl / 4), 0, ...u16(ihl + body.length, 'be'), 0, 1, ...u16(opts.frag ?? 0, 'be'), 64, proto, 0, 0, 192, 0, 2, 1, 198, 51, 100, 7, ...options, ...body];
}
const V6_SRC = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];
const V6_DST = [0xfe, 0x80, ...new Array<number>(6).fill(0), 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55];
function ipv6(next: number, body: number[]): number[] {
  return [0x60, 0, 0, 0, ...u16(body.length, 'be'), next, 64, ...V6_SRC, ...V6_DST, ...body];
}
function ether(type: number, body: number[], vlan = false): number[] {
  const macs = new Array<number>(12).fill(0xaa);
  return vlan ? [...macs, 0x81, 0x00, 0x00, 0x07, ...u16(type, 'be'), ...body] : [...macs, ...u16(type, 'be'), ...body];
}
const IKE = [...new Array<number>(8).fill(0x11), ...new Array<number>(8).fill(0), 33, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 28];
const udpIke = udp(500, 500, IKE);

function onlyUdp(r: CaptureRecord): UdpRecord {
  if (r.kind !== 'udp') throw new Error(`expected udp, got ${r.kind}: ${JSON.stringify(r)}`);
  return r;
}

describe('readCapture containers', () => {
  for (const e of ['le', 'be'] as const) {
    for (const nano of [false, true]) {
      it(`classic pcap ${e} ${nano ? 'ns' : 'µs'}`, () => {
        const recs = readCapture(pcap(LinkType.ETHERNET, [ether(0x0800, ipv4(17, udpIke)), ether(0x0800, ipv4(17, udpIke))], e, nano));
        expect(recs).toHaveLength(2);
        const r = onlyUdp(recs[1] as CaptureRecord);
        expect(r).toMatchObject({ index: 2, src: '192.0.2.1', dst: '198.51.100.7', srcPort: 500, dstPort: 500 });
        expect(r.timestamp).toBeCloseTo(1001.5, 9);
        expect([...r.payload]).toEqual(IKE);
      });
    }
    it(`pcapng ${e}: unknown blocks skipped, two interfaces, if_tsresol`, () => {
      const file = new Uint8Array([
        ...shb(e),
        ...idb(LinkType.ETHERNET, e),
        ...block(0x0badcafe, [1, 2, 3, 4, 5], e),
        ...idb(LinkType.RAW, e, 9),
        ...epb(0, 1_700_000_000_250_000n, ether(0x0800, ipv4(17, udpIke)), e),
        ...block(5, [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], e), // interface statistics: skipped
        ...epb(1, 1_700_000_000_123_456_789n, ipv4(17, udpIke), e),
      ]);
      const recs = readCapture(file);
      expect(recs.map((r) => r.index)).toEqual([1, 2]);
      expect(onlyUdp(recs[0] as CaptureRecord).timestamp).toBeCloseTo(1_700_000_000.25, 6);
      expect(onlyUdp(recs[1] as CaptureRecord).timestamp).toBeCloseTo(1_700_000_000.123456789, 6);
    });
  }

  it('pcapng simple packet block and a second section in the other byte order', () => {
    const spb = block(3, [...u32(ether(0x0800, ipv4(17, udpIke)).length, 'be'), ...ether(0x0800, ipv4(17, udpIke))], 'be');
    const file = new Uint8Array([...shb('be'), ...idb(LinkType.ETHERNET, 'be'), ...spb, ...shb('le'), ...idb(LinkType.IPV4, 'le'), ...epb(0, 5n, ipv4(17, udpIke), 'le')]);
    const recs = readCapture(file);
    expect(recs.map((r) => [r.index, r.kind, r.timestamp])).toEqual([
      [1, 'udp', 0],
      [2, 'udp', 0.000005],
    ]);
  });

  it('rejects container damage with file offsets', () => {
    expect(parseErrorOf(() => readFrames(new Uint8Array([1, 2, 3, 4, 5]))).code).toBe('BAD_FORMAT');
    expect(parseErrorOf(() => readFrames(new Uint8Array([0xd4, 0xc3]))).code).toBe('TRUNCATED');
    const good = pcap(LinkType.ETHERNET, [ether(0x0800, ipv4(17, udpIke))]);
    const cut = parseErrorOf(() => readFrames(good.subarray(0, good.length - 3)));
    expect([cut.code, cut.offset]).toEqual(['TRUNCATED', 40]);
    const hdrCut = parseErrorOf(() => readFrames(good.subarray(0, 30)));
    expect([hdrCut.code, hdrCut.offset]).toEqual(['TRUNCATED', 24]);
    const ng = new Uint8Array([...shb('le'), ...idb(1, 'le'), ...epb(0, 1n, ether(0x0800, ipv4(17, udpIke)), 'le')]);
    const badTrailer = ng.slice();
    badTrailer[ng.length - 1] = 0x7f;
    expect(parseErrorOf(() => readFrames(badTrailer)).code).toBe('BAD_LENGTH');
    const noIface = new Uint8Array([...shb('le'), ...epb(0, 1n, [1, 2, 3], 'le')]);
    expect(parseErrorOf(() => readFrames(noIface))).toMatchObject({ code: 'BAD_VALUE', offset: 36 });
    const notFirst = new Uint8Array([...idb(1, 'le'), ...shb('le')]);
    expect(parseErrorOf(() => readFrames(notFirst)).code).toBe('BAD_FORMAT');
  });

  it('enforces record and block limits', () => {
    const three = pcap(LinkType.ETHERNET, [[1], [2], [3]]);
    expect(readFrames(three, { maxRecords: 3 })).toHaveLength(3);
    expect(parseErrorOf(() => readFrames(three, { maxRecords: 2 })).code).toBe('LIMIT');
    expect(parseErrorOf(() => readFrames(pcap(1, [new Array<number>(100).fill(0)]), { maxBlockSize: 99 })).code).toBe('LIMIT');
  });

  it('tells capture files from text', () => {
    expect(isCaptureFile(pcap(1, []))).toBe(true);
    expect(isCaptureFile(pcap(1, [], 'be'))).toBe(true);
    expect(isCaptureFile(new Uint8Array(shb('le')))).toBe(true);
    expect(isCaptureFile(new TextEncoder().encode('2a2b 3c4d'))).toBe(false);
  });
});

describe('readCapture link, IP and UDP layers', () => {
  const one = (linkType: number, frame: number[]): CaptureRecord => readCapture(pcap(linkType, [frame]))[0] as CaptureRecord;

  it('Ethernet with an 802.1Q tag, trailing padding trimmed by IP and UDP lengths', () => {
    const r = onlyUdp(one(LinkType.ETHERNET, [...ether(0x0800, ipv4(17, udpIke), true), 0, 0, 0, 0]));
    expect(r.payload).toHaveLength(IKE.length);
  });
  it('Linux cooked v1 and v2', () => {
    const sll = [0, 0, 0, 1, 0, 6, ...new Array<number>(8).fill(0), 0x08, 0x00];
    expect(onlyUdp(one(LinkType.LINUX_SLL, [...sll, ...ipv4(17, udpIke)])).srcPort).toBe(500);
    const sll2 = [0x86, 0xdd, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, ...new Array<number>(8).fill(0)];
    expect(onlyUdp(one(LinkType.LINUX_SLL2, [...sll2, ...ipv6(17, udpIke)])).src).toBe('2001:db8::1');
  });
  it('raw IP link types and NULL in both byte orders', () => {
    expect(onlyUdp(one(LinkType.RAW, ipv6(17, udpIke))).dst).toBe('fe80::211:22ff:fe33:4455');
    expect(onlyUdp(one(LinkType.IPV4, ipv4(17, udpIke))).dst).toBe('198.51.100.7');
    expect(onlyUdp(one(LinkType.IPV6, ipv6(17, udpIke))).dstPort).toBe(500);
    expect(onlyUdp(one(LinkType.NULL, [2, 0, 0, 0, ...ipv4(17, udpIke)])).src).toBe('192.0.2.1');
    expect(onlyUdp(one(LinkType.NULL, [0, 0, 0, 30, ...ipv6(17, udpIke)])).src).toBe('2001:db8::1');
    expect(one(LinkType.NULL, [7, 0, 0, 0, 1])).toMatchObject({ kind: 'skipped', reason: 'not-ip' });
  });
  it('IPv4 options skipped; fragments and other protocols reported as skipped', () => {
    expect(onlyUdp(one(LinkType.IPV4, ipv4(17, udpIke, { options: [1, 1, 1, 0] }))).payload).toHaveLength(IKE.length);
    expect(one(LinkType.IPV4, ipv4(17, udpIke, { frag: 0x2000 }))).toMatchObject({ kind: 'skipped', reason: 'ip-fragment' });
    expect(one(LinkType.IPV4, ipv4(17, udpIke, { frag: 0x0010 }))).toMatchObject({ kind: 'skipped', reason: 'ip-fragment' });
    expect(onlyUdp(one(LinkType.IPV4, ipv4(17, udpIke, { frag: 0x4000 }))).srcPort).toBe(500); // DF only
    expect(one(LinkType.IPV4, ipv4(6, udpIke))).toMatchObject({ kind: 'skipped', reason: 'not-udp' });
    expect(one(LinkType.ETHERNET, ether(0x0806, [1, 2, 3]))).toMatchObject({ kind: 'skipped', reason: 'not-ip' });
    expect(one(147, [1, 2, 3])).toMatchObject({ kind: 'skipped', reason: 'link-type' });
  });
  it('IPv6 extension headers skipped, fragments reported', () => {
    const hop = [60, 0, 1, 4, 0, 0, 0, 0]; // hop-by-hop -> destination options
    const dst = [44, 1, ...new Array<number>(14).fill(0)]; // destination options (16 bytes) -> fragment
    const atomic = [17, 0, 0, 0, 0, 0, 0, 9]; // offset 0, M=0: a whole packet
    expect(onlyUdp(one(LinkType.RAW, ipv6(0, [...hop, ...dst, ...atomic, ...udpIke]))).dstPort).toBe(500);
    const first = [17, 0, 0, 1, 0, 0, 0, 9]; // offset 0, M=1
    expect(one(LinkType.RAW, ipv6(44, [...first, ...udpIke]))).toMatchObject({ kind: 'skipped', reason: 'ip-fragment' });
    expect(one(LinkType.RAW, ipv6(50, [1, 2, 3, 4]))).toMatchObject({ kind: 'skipped', reason: 'not-udp' });
  });
  it('a damaged frame is a bad record with a file offset; the next frame still decodes', () => {
    const shortUdp = ipv4(17, udpIke).slice(0, 30);
    shortUdp[3] = 30; // IP total length says 30: the UDP length field claims 28 more bytes than remain
    const recs = readCapture(pcap(LinkType.RAW, [shortUdp, ipv4(17, udpIke)]));
    expect(recs[0]).toMatchObject({ kind: 'bad', index: 1 });
    const err = (recs[0] as { error: ParseError }).error;
    expect(err).toBeInstanceOf(ParseError);
    expect([err.code, err.field, err.offset]).toEqual(['TRUNCATED', 'udp.payload', 40 + 28]);
    expect(recs[1]?.kind).toBe('udp');
    const ipCut = readCapture(pcap(LinkType.RAW, [ipv4(17, udpIke).slice(0, 40)]))[0];
    expect(ipCut).toMatchObject({ kind: 'bad' });
    const badUdpLen = ipv4(17, [0, 1, 0, 2, 0, 3, 0, 0]);
    expect(readCapture(pcap(LinkType.IPV4, [badUdpLen]))[0]).toMatchObject({ kind: 'bad', error: { code: 'BAD_LENGTH', field: 'udp.length' } });
  });
});

describe('extractIkeDatagrams', () => {
  it('classifies 500, marked 4500, ESP and keepalive; passes bad records through', () => {
    const frames = [
      ipv4(17, udp(500, 1234, IKE)),
      ipv4(17, udp(4500, 4500, [0, 0, 0, 0, ...IKE])),
      ipv4(17, udp(4500, 4500, [0, 0, 0, 1, 0, 0, 0, 9, 1, 2])),
      ipv4(17, udp(1024, 4500, [0xff])),
      ipv4(17, udp(4500, 4500, [0, 0])),
      ipv4(17, udp(53, 53, [1, 2, 3])),
      ipv4(17, [1]),
    ];
    const out = extractIkeDatagrams(readCapture(pcap(LinkType.IPV4, frames)));
    expect(out.map((d) => [d.index, d.kind])).toEqual([
      [1, 'ike'],
      [2, 'ike'],
      [3, 'esp'],
      [4, 'keepalive'],
      [5, 'bad'],
      [7, 'bad'],
    ]);
    const marked = out[1];
    if (marked?.kind !== 'ike') throw new Error('expected ike');
    expect([...marked.payload]).toEqual(IKE);
    expect(marked.payloadOffset).toBe(24 + 16 * 2 + frames[0]!.length + 20 + 8 + 4);
  });
});

// ---- real captures made by testdata/make-captures.sh (dumpcap in a private network namespace) ----

const FIXTURES = ['lo.pcap', 'lo.pcapng', 'any-sll.pcap', 'any-sll2.pcapng'] as const;
const load = (f: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./testdata/${f}`, import.meta.url)));
const hasTshark = hasCommand('tshark', ['--version']);

describe('real captures', () => {
  for (const f of FIXTURES) {
    it(`${f}: frames as sent by send.mjs`, () => {
      const recs = readCapture(load(f));
      expect(recs.map((r) => r.kind)).toEqual(['udp', 'udp', 'udp', 'udp', 'udp', 'udp', 'udp', 'udp', 'skipped', 'skipped', 'skipped']);
      const ike = extractIkeDatagrams(recs);
      expect(ike.map((d) => [d.index, d.kind])).toEqual([
        [1, 'ike'],
        [2, 'ike'],
        [3, 'ike'],
        [4, 'ike'],
        [5, 'esp'],
        [6, 'keepalive'],
        [7, 'ike'],
      ]);
      const init = ike[0];
      const info = ike[2];
      if (init?.kind !== 'ike' || info?.kind !== 'ike') throw new Error('expected ike');
      expect(init.payload).toHaveLength(404);
      expect(init.payload[17]).toBe(0x20); // IKEv2 version right after the SPIs and next payload
      expect(info.payload.subarray(0, 8)).toEqual(new Uint8Array([0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]));
      expect(ike[6]).toMatchObject({ src: '::1', dst: '::1', dstPort: 500 });
    });

    it.skipIf(!hasTshark)(`${f}: matches tshark field by field`, () => {
      const out = execFileSync(
        'tshark',
        ['-r', fileURLToPathish(f), '-o', 'ip.defragment:FALSE', '-Y', 'udp && !(ip.flags.mf == 1)', '-T', 'fields',
          '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.length'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const rows = out.trim().split('\n').map((l) => l.split('\t'));
      expect(rows.length).toBe(8);
      const recs = readCapture(load(f));
      for (const [num, time, src4, src6, dst4, dst6, sport, dport, len] of rows) {
        const r = onlyUdp(recs[Number(num) - 1] as CaptureRecord);
        expect(r.index).toBe(Number(num));
        expect(r.src).toBe(src4 || src6);
        expect(r.dst).toBe(dst4 || dst6);
        expect([r.srcPort, r.dstPort, r.payload.length + 8]).toEqual([Number(sport), Number(dport), Number(len)]);
        expect(Math.abs(r.timestamp - Number(time))).toBeLessThan(2e-6);
      }
    });
  }
});

function fileURLToPathish(f: string): string {
  return new URL(`./testdata/${f}`, import.meta.url).pathname;
}
