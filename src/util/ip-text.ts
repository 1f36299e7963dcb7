/**
 * Text forms of IP addresses (capture records, `kite decode`, identities and selectors): dotted
 * quad for IPv4 and the RFC 5952 canonical form for IPv6 (lower case, longest run of two or more
 * zero groups as `::`).
 */
import { toHex } from './bytes.js';

/** Dotted-quad text of a 4-byte IPv4 address. */
export function ipv4ToString(b: Uint8Array): string {
  if (b.length !== 4) throw new RangeError(`ipv4ToString: need 4 bytes, got ${b.length}`);
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 canonical text of a 16-byte IPv6 address. */
export function ipv6ToString(b: Uint8Array): string {
  if (b.length !== 16) throw new RangeError(`ipv6ToString: need 16 bytes, got ${b.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${ipv4ToString(b.subarray(12, 16))}`;
  }
  let bestAt = -1;
  let bestLen = 1; // a single zero group is never shortened (RFC 5952 §4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** Text of a 4- or 16-byte address; other lengths as colon-less hex prefixed with `0x`. */
export function ipToString(b: Uint8Array): string {
  if (b.length === 4) return ipv4ToString(b);
  if (b.length === 16) return ipv6ToString(b);
  return `0x${toHex(b)}`;
}
