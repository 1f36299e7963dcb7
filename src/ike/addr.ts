/**
 * IP address text <-> octets for NAT detection hashes, CP attributes and ID payloads (RFC 7296
 * §2.23, §3.15.1). Pure; IPv6 text output is RFC 5952 (util/ip-text.ts).
 */
import { KiteError } from '../errors.js';
import { ipToString } from '../util/ip-text.js';

/** Octets of an IPv4 or IPv6 address in text form; throws KiteError BAD_ADDRESS. */
export function ipToBytes(text: string): Uint8Array {
  if (text.includes(':')) return ipv6ToBytes(text);
  const parts = text.split('.');
  if (parts.length !== 4) throw new KiteError('BAD_ADDRESS', `not an IP address: ${text}`);
  return Uint8Array.from(parts.map((p) => {
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255) throw new KiteError('BAD_ADDRESS', `not an IP address: ${text}`);
    return n;
  }));
}

function ipv6ToBytes(text: string): Uint8Array {
  const bad = (): never => { throw new KiteError('BAD_ADDRESS', `not an IPv6 address: ${text}`); };
  const halves = text.split('::');
  if (halves.length > 2) bad();
  const groups = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) bad();
    return parseInt(g, 16);
  }));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) bad();
  const all = [...head, ...new Array<number>(halves.length === 1 ? 0 : fill).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >>> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

/** Text of a 4- or 16-octet address. */
export function bytesToIp(b: Uint8Array): string {
  return ipToString(b);
}

/** Octets of a port, big-endian. */
export function portBytes(port: number): Uint8Array {
  return Uint8Array.of((port >>> 8) & 0xff, port & 0xff);
}
