// Loopback only (127.0.0.1, ephemeral ports); both sockets are closed in `finally`.
import { describe, expect, it } from 'vitest';
import { UdpEncapSocket } from './udp-encap.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('UdpEncapSocket on loopback', () => {
  it('carries marked IKE and ESP on one port, counts keepalives and garbage, sends keepalives when idle', async () => {
    const got: string[] = [];
    const b = await UdpEncapSocket.open({ remoteAddress: '127.0.0.1', remotePort: 9, localAddress: '127.0.0.1', keepalive: false }, {
      onIke: (m) => got.push(`ike:${Buffer.from(m).toString('hex')}`),
      onEsp: (p) => got.push(`esp:${Buffer.from(p).toString('hex')}`),
    });
    let a: UdpEncapSocket | undefined;
    try {
      a = await UdpEncapSocket.open({ remoteAddress: '127.0.0.1', remotePort: b.localPort, localAddress: '127.0.0.1', keepaliveMs: 60 }, { onIke: () => undefined, onEsp: () => undefined });
      const ike = new Uint8Array(28).fill(7);
      a.sendIke(ike);
      a.sendEsp(Uint8Array.of(0, 0, 1, 0, 0, 0, 0, 1, 9));
      a.sendEsp(Uint8Array.of(1, 2)); // neither: garbage
      await wait(250); // idle long enough for keepalives
      const keepalives = a.stats.keepaliveOut;
      expect(keepalives).toBeGreaterThanOrEqual(1);
      a.setKeepalive(false);
      await wait(30);
      expect(got).toEqual([`ike:${Buffer.from(ike).toString('hex')}`, 'esp:000001000000000109']);
      expect(b.stats.keepaliveIn).toBe(keepalives);
      expect([b.stats.ikeIn, b.stats.espIn, b.stats.garbageIn]).toEqual([1, 1, 1]);
    } finally {
      await a?.close();
      await b.close();
    }
  });
});
