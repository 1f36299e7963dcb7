/**
 * Traffic selectors (RFC 7296 §2.9, §3.13.1): build TSi/TSr from configuration text (strongSwan
 * `leftsubnet`/`rightsubnet` syntax: CIDR, ranges, IPv4 and IPv6, `[proto/port]`, `dynamic`), and
 * check the responder's reply: narrowing within what we proposed is accepted; a reply wider than
 * our proposal (openiked answers with its own policy, unnarrowed) is cut down to the configured
 * policy when they overlap; anything else is refused with TS_UNACCEPTABLE semantics.
 */
import { KiteError } from '../errors.js';
import { TsType } from '../iana/ikev2.js';
import { ipToString } from '../util/ip-text.js';
import { parseIpAddress } from '../pki/id-text.js';
import type { AnyTrafficSelector, TrafficSelector } from '../wire/payloads/ts.js';

/** TSi and TSr. */
export interface TsPair {
  /** Initiator's (our) side. */
  readonly tsi: readonly TrafficSelector[];
  /** Responder's side. */
  readonly tsr: readonly TrafficSelector[];
}

/** Configured selectors: strongSwan syntax, or `dynamic`. */
export interface TsConfig {
  /** Our side, e.g. `['dynamic']` or `['10.1.0.0/16']`. */
  readonly local: readonly string[];
  /** The remote side, e.g. `['192.168.101.0/24', '::/0']`. */
  readonly remote: readonly string[];
}

/** What `dynamic` stands for when building selectors. */
export interface DynamicContext {
  /** Virtual IPs already assigned (rekey, or after the CP reply). */
  readonly virtualIps?: readonly Uint8Array[];
  /** A virtual IPv4 address is being requested: propose all of IPv4 and let the responder narrow. */
  readonly requestVirtualIp4?: boolean;
  /** A virtual IPv6 address is being requested. */
  readonly requestVirtualIp6?: boolean;
  /** Our outer address (dynamic without a virtual IP). */
  readonly localAddress?: Uint8Array;
  /** The peer's outer address (remote `dynamic`). */
  readonly remoteAddress?: Uint8Array;
}

const PROTOCOLS = { tcp: 6, udp: 17, icmp: 1, gre: 47, ipv6icmp: 58, 'ipv6-icmp': 58, icmpv6: 58, sctp: 132 } as const;

const bad = (text: string, why: string): KiteError =>
  new KiteError('BAD_TS', `traffic selector "${text}": ${why}; fix: write a subnet like 10.0.0.0/24, a range like 10.0.0.1-10.0.0.9, "dynamic", optionally with [proto/port]`);

function tsTypeOf(len: number): number {
  return len === 4 ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE;
}

/** The address range of a CIDR prefix. */
export function cidrRange(address: Uint8Array, prefix: number): { start: Uint8Array; end: Uint8Array } {
  const start = address.slice();
  const end = address.slice();
  for (let i = 0; i < address.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    const mask = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    start[i] = (address[i] as number) & mask;
    end[i] = ((address[i] as number) & mask) | (~mask & 0xff);
  }
  return { start, end };
}

/** A selector covering one address, all protocols and ports. */
export function hostSelector(address: Uint8Array): TrafficSelector {
  return { tsType: tsTypeOf(address.length), ipProtocol: 0, startPort: 0, endPort: 0xffff, startAddress: address.slice(), endAddress: address.slice() };
}

/** All of IPv4 (`family` 4) or IPv6 (6). */
export function anySelector(family: 4 | 6): TrafficSelector {
  const n = family === 4 ? 4 : 16;
  return { tsType: tsTypeOf(n), ipProtocol: 0, startPort: 0, endPort: 0xffff, startAddress: new Uint8Array(n), endAddress: new Uint8Array(n).fill(0xff) };
}

function parsePorts(text: string, spec: string): { ipProtocol: number; startPort: number; endPort: number } {
  const [proto = '', port] = spec.split('/');
  const p = proto.trim().toLowerCase();
  const ipProtocol = p === '' || p === '%any' || p === 'any' ? 0 : (PROTOCOLS as Readonly<Record<string, number>>)[p] ?? (/^\d+$/.test(p) ? Number(p) : NaN);
  if (!Number.isInteger(ipProtocol) || ipProtocol > 255) throw bad(text, `unknown protocol "${proto}"`);
  if (port === undefined || port === '' || port === '%any' || port === 'any') return { ipProtocol, startPort: 0, endPort: 0xffff };
  const m = /^(\d+)(?:-(\d+))?$/.exec(port.trim());
  const startPort = Number(m?.[1]);
  const endPort = m?.[2] !== undefined ? Number(m[2]) : startPort;
  if (m === null || startPort > endPort || endPort > 0xffff) throw bad(text, `bad port "${port}"`);
  return { ipProtocol, startPort, endPort };
}

/** Parse one selector (not `dynamic`): `a.b.c.d[/prefix]`, `start-end`, IPv6 alike, optional `[proto/port]`. */
export function parseTrafficSelector(text: string): TrafficSelector {
  const m = /^\s*([^[\s]+)\s*(?:\[([^\]]*)\])?\s*$/.exec(text);
  if (m === null) throw bad(text, 'unreadable');
  const [, range = '', ports] = m;
  const { ipProtocol, startPort, endPort } = ports === undefined ? { ipProtocol: 0, startPort: 0, endPort: 0xffff } : parsePorts(text, ports);
  let start: Uint8Array | undefined;
  let end: Uint8Array | undefined;
  const dash = range.indexOf('-');
  if (dash > 0) {
    start = parseIpAddress(range.slice(0, dash));
    end = parseIpAddress(range.slice(dash + 1));
    if (start === undefined || end === undefined || start.length !== end.length) throw bad(text, 'bad address range');
    if (compare(start, end) > 0) throw bad(text, 'range start is above its end');
  } else {
    const [addr = '', prefixText] = range.split('/');
    const a = parseIpAddress(addr);
    if (a === undefined) throw bad(text, `"${addr}" is not an IP address`);
    const prefix = prefixText === undefined ? a.length * 8 : Number(prefixText);
    if (!/^\d+$/.test(prefixText ?? '0') || prefix > a.length * 8) throw bad(text, `bad prefix length "${prefixText ?? ''}"`);
    ({ start, end } = cidrRange(a, prefix));
  }
  return { tsType: tsTypeOf(start.length), ipProtocol, startPort, endPort, startAddress: start, endAddress: end };
}

function dynamicSelectors(side: 'local' | 'remote', ctx: DynamicContext): TrafficSelector[] {
  if (side === 'remote') {
    if (ctx.remoteAddress === undefined) throw bad('dynamic', 'the remote side has no known address');
    return [hostSelector(ctx.remoteAddress)];
  }
  if (ctx.virtualIps !== undefined && ctx.virtualIps.length > 0) return ctx.virtualIps.map(hostSelector);
  const out: TrafficSelector[] = [];
  if (ctx.requestVirtualIp4 === true) out.push(anySelector(4));
  if (ctx.requestVirtualIp6 === true) out.push(anySelector(6));
  if (out.length > 0) return out;
  if (ctx.localAddress === undefined) throw bad('dynamic', 'no virtual IP requested and no local address known');
  return [hostSelector(ctx.localAddress)];
}

/** TSi and TSr to propose for `config`; `dynamic` resolves through `ctx`. Throws KiteError `BAD_TS`. */
export function buildTrafficSelectors(config: TsConfig, ctx: DynamicContext = {}): TsPair {
  const side = (list: readonly string[], which: 'local' | 'remote'): TrafficSelector[] => {
    if (list.length === 0) throw bad('', `no ${which} traffic selector`);
    return list.flatMap((s) => (/^%?dynamic$/i.test(s.trim()) ? dynamicSelectors(which, ctx) : [parseTrafficSelector(s)]));
  };
  return { tsi: side(config.local, 'local'), tsr: side(config.remote, 'remote') };
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function isRange(s: AnyTrafficSelector): s is TrafficSelector {
  return !('data' in s);
}

/** Whether `outer` covers all of `inner` (type, protocol, ports and addresses). */
export function tsContains(outer: TrafficSelector, inner: TrafficSelector): boolean {
  return outer.tsType === inner.tsType &&
    (outer.ipProtocol === 0 || outer.ipProtocol === inner.ipProtocol) &&
    outer.startPort <= inner.startPort && inner.endPort <= outer.endPort &&
    compare(outer.startAddress, inner.startAddress) <= 0 && compare(inner.endAddress, outer.endAddress) <= 0;
}

/** The common part of two selectors, or undefined when they do not overlap. */
export function tsIntersect(a: TrafficSelector, b: TrafficSelector): TrafficSelector | undefined {
  if (a.tsType !== b.tsType) return undefined;
  if (a.ipProtocol !== 0 && b.ipProtocol !== 0 && a.ipProtocol !== b.ipProtocol) return undefined;
  const startPort = Math.max(a.startPort, b.startPort);
  const endPort = Math.min(a.endPort, b.endPort);
  const startAddress = compare(a.startAddress, b.startAddress) >= 0 ? a.startAddress : b.startAddress;
  const endAddress = compare(a.endAddress, b.endAddress) <= 0 ? a.endAddress : b.endAddress;
  if (startPort > endPort || compare(startAddress, endAddress) > 0) return undefined;
  return { tsType: a.tsType, ipProtocol: a.ipProtocol === 0 ? b.ipProtocol : a.ipProtocol, startPort, endPort, startAddress, endAddress };
}

/** Whether every selector of `reply` lies within some selector of `offered` (RFC 7296 §2.9). */
export function isNarrowingOf(offered: readonly AnyTrafficSelector[], reply: readonly AnyTrafficSelector[]): boolean {
  const ranges = offered.filter(isRange);
  return reply.length > 0 && reply.every((r) => isRange(r) && ranges.some((o) => tsContains(o, r)));
}

function prefixLength(s: TrafficSelector): number | undefined {
  for (let p = 0; p <= s.startAddress.length * 8; p++) {
    const { start, end } = cidrRange(s.startAddress, p);
    if (compare(start, s.startAddress) === 0 && compare(end, s.endAddress) === 0) return p;
  }
  return undefined;
}

/** strongSwan-style text of a selector: `10.0.0.0/24`, `10.0.0.1..10.0.0.9`, `[tcp/80]`. */
export function tsToString(s: AnyTrafficSelector): string {
  if (!isRange(s)) return `TS type ${s.tsType} (${s.data.length} octets)`;
  const p = prefixLength(s);
  const range = p !== undefined ? `${ipToString(s.startAddress)}/${p}` : `${ipToString(s.startAddress)}..${ipToString(s.endAddress)}`;
  const anyPort = s.startPort === 0 && s.endPort === 0xffff;
  if (s.ipProtocol === 0 && anyPort) return range;
  const proto = Object.entries(PROTOCOLS).find(([, v]) => v === s.ipProtocol)?.[0] ?? String(s.ipProtocol);
  const port = anyPort ? '' : s.startPort === s.endPort ? `/${s.startPort}` : `/${s.startPort}-${s.endPort}`;
  return `${range}[${proto}${port}]`;
}

/** `TSi 0.0.0.0/0, TSr 10.0.0.0/24` for errors and logs. */
export function describeTsPair(p: { readonly tsi: readonly AnyTrafficSelector[]; readonly tsr: readonly AnyTrafficSelector[] }): string {
  const side = (l: readonly AnyTrafficSelector[]): string => (l.length === 0 ? '(none)' : l.map(tsToString).join(' '));
  return `TSi ${side(p.tsi)}, TSr ${side(p.tsr)}`;
}

/** Result of {@link checkResponderTs}: the selectors to install. */
export interface TsResult extends TsPair {
  /** True when the reply was wider than our proposal and was cut down to the configured policy. */
  readonly clipped: boolean;
}

function acceptSide(offered: readonly TrafficSelector[], reply: readonly AnyTrafficSelector[], policy: readonly TrafficSelector[]): { list: TrafficSelector[]; clipped: boolean } | undefined {
  if (reply.length === 0) return undefined;
  const list: TrafficSelector[] = [];
  let clipped = false;
  for (const r of reply) {
    if (!isRange(r)) return undefined;
    if (offered.some((o) => tsContains(o, r))) {
      list.push(r);
      continue;
    }
    const parts = policy.map((p) => tsIntersect(p, r)).filter((x): x is TrafficSelector => x !== undefined);
    if (parts.length === 0) return undefined;
    list.push(...parts);
    clipped = true;
  }
  return { list, clipped };
}

/**
 * Check the responder's TSi/TSr against what we `offered`. Selectors within our proposal are
 * taken as they are (narrowing, RFC 7296 §2.9); a selector wider than our proposal (openiked
 * replies with its own, unnarrowed policy) is intersected with `policy` (default: what we
 * offered) and accepted when they overlap. Anything else throws KiteError `TS_UNACCEPTABLE`
 * printing both sides.
 */
export function checkResponderTs(offered: TsPair, reply: { readonly tsi: readonly AnyTrafficSelector[]; readonly tsr: readonly AnyTrafficSelector[] }, policy: Partial<TsPair> = {}): TsResult {
  const tsi = acceptSide(offered.tsi, reply.tsi, policy.tsi ?? offered.tsi);
  const tsr = acceptSide(offered.tsr, reply.tsr, policy.tsr ?? offered.tsr);
  if (tsi === undefined || tsr === undefined) {
    throw new KiteError('TS_UNACCEPTABLE',
      `the responder's traffic selectors (${describeTsPair(reply)}) are not within what we proposed (${describeTsPair(offered)}); fix: align the local/remote subnets with the gateway's policy`);
  }
  return { tsi: tsi.list, tsr: tsr.list, clipped: tsi.clipped || tsr.clipped };
}
