import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { replacementAddress } from './watch.js';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({ address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` });
const v6 = (address: string): NetworkInterfaceInfo => ({ address, family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: `${address}/64`, scopeid: 0 });

describe('replacementAddress', () => {
  it('keeps a present address', () => {
    expect(replacementAddress('192.0.2.1', { eth0: [v4('192.0.2.1')] })).toBeUndefined();
  });
  it('moves to the first address of the same family and scope', () => {
    expect(replacementAddress('192.0.2.1', { lo: [v4('127.0.0.1', true)], eth0: [v6('2001:db8::1')], wlan0: [v4('198.51.100.9')] })).toBe('198.51.100.9');
    expect(replacementAddress('2001:db8::1', { eth0: [v6('fe80::1'), v6('2001:db8::2')] })).toBe('2001:db8::2');
  });
  it('finds nothing when no address fits', () => {
    expect(replacementAddress('192.0.2.1', { lo: [v4('127.0.0.1', true)] })).toBeUndefined();
  });
});
