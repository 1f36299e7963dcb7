import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from './testing/errors.testkit.js';
import { TsType } from '../iana/ikev2.js';
import { Reader, Writer } from '../util/bytes.js';
import { PayloadType } from '../iana/ikev2.js';
import { decodeTsPayload, encodeTsPayload, type TrafficSelector } from '../wire/payloads/ts.js';
import {
  anySelector, buildTrafficSelectors, checkResponderTs, cidrRange, describeTsPair, hostSelector, isNarrowingOf, parseTrafficSelector,
  tsContains, tsIntersect, tsToString, type TsPair,
} from './ts.js';

const ts = (s: string): TrafficSelector => parseTrafficSelector(s);
const pair = (tsi: string[], tsr: string[]): TsPair => ({ tsi: tsi.map(ts), tsr: tsr.map(ts) });
const err = errorOf;

describe('parseTrafficSelector', () => {
  it('reads CIDR, host, range, IPv6 and [proto/port]', () => {
    expect(ts('10.1.2.3/16')).toEqual({ tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: 0, startPort: 0, endPort: 65535,
      startAddress: Uint8Array.of(10, 1, 0, 0), endAddress: Uint8Array.of(10, 1, 255, 255) });
    expect(tsToString(ts('10.1.2.3/16'))).toBe('10.1.0.0/16');
    expect(tsToString(ts('192.0.2.7'))).toBe('192.0.2.7/32');
    expect(tsToString(ts('10.0.0.1-10.0.0.9'))).toBe('10.0.0.1..10.0.0.9');
    expect(tsToString(ts('10.0.0.0-10.0.0.255'))).toBe('10.0.0.0/24');
    expect(tsToString(ts('0.0.0.0/0'))).toBe('0.0.0.0/0');
    expect(ts('2001:db8::/32').tsType).toBe(TsType.TS_IPV6_ADDR_RANGE);
    expect(tsToString(ts('2001:db8:1:2::5/64'))).toBe('2001:db8:1:2::/64');
    expect(tsToString(ts('::/0'))).toBe('::/0');
    expect(tsToString(ts('10.0.0.0/24[tcp/80]'))).toBe('10.0.0.0/24[tcp/80]');
    expect(tsToString(ts('10.0.0.0/24[udp/1000-2000]'))).toBe('10.0.0.0/24[udp/1000-2000]');
    expect(tsToString(ts('10.0.0.0/24[47]'))).toBe('10.0.0.0/24[gre]');
    expect(tsToString(ts('10.0.0.0/24[tcp/%any]'))).toBe('10.0.0.0/24[tcp]');
    expect(cidrRange(Uint8Array.of(10, 9, 8, 7), 29)).toEqual({ start: Uint8Array.of(10, 9, 8, 0), end: Uint8Array.of(10, 9, 8, 7) });
  });

  it('refuses bad text with BAD_TS naming it', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'x', '10.0.0.9-10.0.0.1', '10.0.0.1-::1', '10.0.0.0/24[bogus]', '10.0.0.0/24[tcp/70000]', '10.0.0.0/24[tcp/9-8]']) {
      expect(err(() => ts(bad))).toMatch(new RegExp(`^BAD_TS: traffic selector "${bad.replace(/[[\]/.*]/g, '\\$&')}": `));
    }
  });

  it('encodes through the TS payload codec', () => {
    const selectors = [ts('10.0.0.0/24[tcp/80]'), ts('2001:db8::/48')];
    const w = new Writer();
    encodeTsPayload(w, { type: PayloadType.TSr, critical: false, selectors });
    expect(decodeTsPayload(new Reader(w.finish()), false, PayloadType.TSr).selectors).toEqual(selectors);
  });
});

describe('buildTrafficSelectors', () => {
  it('"dynamic" proposes everything while a virtual IP is requested (per family), then the assigned addresses', () => {
    const cfg = { local: ['dynamic'], remote: ['192.168.101.0/24'] };
    expect(describeTsPair(buildTrafficSelectors(cfg, { requestVirtualIp4: true }))).toBe('TSi 0.0.0.0/0, TSr 192.168.101.0/24');
    expect(describeTsPair(buildTrafficSelectors(cfg, { requestVirtualIp4: true, requestVirtualIp6: true }))).toBe('TSi 0.0.0.0/0 ::/0, TSr 192.168.101.0/24');
    expect(describeTsPair(buildTrafficSelectors(cfg, { virtualIps: [Uint8Array.of(192, 168, 101, 7)], requestVirtualIp4: true }))).toBe('TSi 192.168.101.7/32, TSr 192.168.101.0/24');
    expect(describeTsPair(buildTrafficSelectors(cfg, { localAddress: Uint8Array.of(198, 51, 100, 2) }))).toBe('TSi 198.51.100.2/32, TSr 192.168.101.0/24');
    expect(describeTsPair(buildTrafficSelectors({ local: ['10.0.0.0/8', '%dynamic'], remote: ['dynamic'] },
      { localAddress: Uint8Array.of(198, 51, 100, 2), remoteAddress: Uint8Array.of(203, 0, 113, 1) }))).toBe('TSi 10.0.0.0/8 198.51.100.2/32, TSr 203.0.113.1/32');
  });

  it('says what is missing', () => {
    expect(err(() => buildTrafficSelectors({ local: ['dynamic'], remote: ['0.0.0.0/0'] }))).toContain('no virtual IP requested and no local address known');
    expect(err(() => buildTrafficSelectors({ local: ['10.0.0.0/8'], remote: ['dynamic'] }))).toContain('the remote side has no known address');
    expect(err(() => buildTrafficSelectors({ local: [], remote: ['0.0.0.0/0'] }))).toContain('no local traffic selector');
  });
});

describe('containment and intersection', () => {
  it('compares type, protocol, ports and addresses', () => {
    expect(tsContains(ts('10.0.0.0/8'), ts('10.1.0.0/16[tcp/22]'))).toBe(true);
    expect(tsContains(ts('10.0.0.0/8[tcp]'), ts('10.1.0.0/16'))).toBe(false);
    expect(tsContains(ts('10.0.0.0/8[tcp/80]'), ts('10.1.0.0/16[tcp/80-81]'))).toBe(false);
    expect(tsContains(ts('0.0.0.0/0'), ts('::/0'))).toBe(false);
    expect(tsIntersect(ts('10.0.0.0/8'), ts('10.2.0.0/16[udp/53]'))).toEqual(ts('10.2.0.0/16[udp/53]'));
    expect(tsToString(tsIntersect(ts('10.0.0.0-10.0.0.100'), ts('10.0.0.50-10.0.0.200')) ?? hostSelector(new Uint8Array(4)))).toBe('10.0.0.50..10.0.0.100');
    expect(tsIntersect(ts('10.0.0.0/24'), ts('10.0.1.0/24'))).toBeUndefined();
    expect(tsIntersect(ts('10.0.0.0/24[tcp]'), ts('10.0.0.0/24[udp]'))).toBeUndefined();
    expect(tsIntersect(ts('10.0.0.0/24[tcp/1-10]'), ts('10.0.0.0/24[tcp/11-20]'))).toBeUndefined();
    expect(isNarrowingOf([anySelector(4)], [ts('10.0.0.1')])).toBe(true);
    expect(isNarrowingOf([ts('10.0.0.0/24')], [ts('10.0.0.1'), ts('10.0.1.1')])).toBe(false);
    expect(isNarrowingOf([anySelector(4)], [])).toBe(false);
    expect(isNarrowingOf([anySelector(4)], [{ tsType: TsType.TS_SECLABEL, flags: 0, data: Uint8Array.of(1) }])).toBe(false);
  });

  it('intersection is contained in both and symmetric (property)', () => {
    const sel = fc.record({
      a: fc.uint8Array({ minLength: 4, maxLength: 4 }), b: fc.uint8Array({ minLength: 4, maxLength: 4 }),
      proto: fc.constantFrom(0, 6, 17), p1: fc.integer({ min: 0, max: 65535 }), p2: fc.integer({ min: 0, max: 65535 }),
    }).map(({ a, b, proto, p1, p2 }): TrafficSelector => {
      const [lo, hi] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
      return { tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: proto, startPort: Math.min(p1, p2), endPort: Math.max(p1, p2), startAddress: lo, endAddress: hi };
    });
    fc.assert(fc.property(sel, sel, (x, y) => {
      const i = tsIntersect(x, y);
      expect(tsIntersect(y, x)).toEqual(i);
      if (i !== undefined) {
        expect(tsContains(x, i) || x.ipProtocol === 0).toBe(true);
        expect(tsContains({ ...x, ipProtocol: 0 }, i) && tsContains({ ...y, ipProtocol: 0 }, i)).toBe(true);
      }
      if (tsContains(x, y)) expect(i).toEqual(y.ipProtocol === 0 && x.ipProtocol !== 0 ? { ...y, ipProtocol: x.ipProtocol } : y);
    }));
  });
});

describe('checkResponderTs', () => {
  const offered = pair(['0.0.0.0/0'], ['192.168.101.0/24']);

  it('accepts narrowing within our proposal as it is (strongSwan narrows TSi to the virtual IP)', () => {
    const r = checkResponderTs(offered, pair(['192.168.101.7'], ['192.168.101.0/25']));
    expect(describeTsPair(r)).toBe('TSi 192.168.101.7/32, TSr 192.168.101.0/25');
    expect(r.clipped).toBe(false);
  });

  it('accepts openiked\'s unnarrowed reply (its own policy, from the seed\'s iked.conf) cut down to ours', () => {
    // iked.conf: "from 0.0.0.0/0 to 192.168.101.0/24": it answers TSi 192.168.101.0/24, TSr 0.0.0.0/0.
    const r = checkResponderTs(offered, pair(['192.168.101.0/24'], ['0.0.0.0/0']));
    expect(describeTsPair(r)).toBe('TSi 192.168.101.0/24, TSr 192.168.101.0/24');
    expect(r.clipped).toBe(true);
    // A wider configured policy keeps more of the reply.
    const wide = checkResponderTs(offered, pair(['192.168.101.0/24'], ['0.0.0.0/0']), { tsr: [anySelector(4)] });
    expect(describeTsPair(wide)).toBe('TSi 192.168.101.0/24, TSr 0.0.0.0/0');
  });

  it('refuses selectors outside our proposal and policy with TS_UNACCEPTABLE printing both sides', () => {
    const m = err(() => checkResponderTs(offered, pair(['192.168.101.7'], ['10.0.0.0/8'])));
    expect(m).toBe('TS_UNACCEPTABLE: the responder\'s traffic selectors (TSi 192.168.101.7/32, TSr 10.0.0.0/8) are not within what we proposed ' +
      '(TSi 0.0.0.0/0, TSr 192.168.101.0/24); fix: align the local/remote subnets with the gateway\'s policy');
    expect(err(() => checkResponderTs(offered, { tsi: [], tsr: offered.tsr }))).toMatch(/^TS_UNACCEPTABLE: .*\(TSi \(none\), TSr 192\.168\.101\.0\/24\)/);
    expect(err(() => checkResponderTs(offered, pair(['::/0'], ['192.168.101.0/24'])))).toMatch(/^TS_UNACCEPTABLE/);
    expect(err(() => checkResponderTs(offered, { tsi: [{ tsType: TsType.TS_SECLABEL, flags: 0, data: Uint8Array.of(1) }], tsr: offered.tsr }))).toMatch(/TS type 10 \(1 octets\)/);
  });
});
