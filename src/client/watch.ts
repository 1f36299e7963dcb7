/**
 * MOBIKE address-change detection for the client: given our current local address and the host's
 * interfaces, the address to move to when ours is gone (same family and scope, not link-local).
 */
import type { NetworkInterfaceInfo } from 'node:os';

/** The address to move to, or undefined when `current` is still present or nothing fits. */
export function replacementAddress(current: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  const all = Object.values(interfaces).flatMap((x) => x ?? []);
  if (all.some((a) => a.address === current)) return undefined;
  const family = current.includes(':') ? 'IPv6' : 'IPv4';
  const internal = current.startsWith('127.') || current === '::1';
  return all.find((a) => a.family === family && a.internal === internal && !a.address.toLowerCase().startsWith('fe80'))?.address;
}
