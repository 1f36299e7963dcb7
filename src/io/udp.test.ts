// Loopback only (127.0.0.1, ephemeral ports); both socket pairs are closed in `finally`.
import { describe, expect, it } from 'vitest';
import { IkeSockets } from './udp.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('IkeSockets on loopback', () => {
  it('carries marked IKE and ESP on the NAT-T port, counts keepalives and garbage, sends keepalives when idle', async () => {
    const got: string[] = [];
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const b = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0 }, {
      ike: (m, local) => got.push(`ike@${local.port === b.natt.port ? 'natt' : 'ike'}:${hex(m)}`),
      esp: (p) => got.push(`esp:${hex(p)}`),
    });
    let a: IkeSockets | undefined;
    try {
      a = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0 }, { ike: () => undefined });
      const ike = new Uint8Array(28).fill(7);
      a.send(ike, a.natt.port, b.natt, true);
      a.send(ike, a.ike.port, b.ike, false);
      a.sendEsp(Uint8Array.of(0, 0, 1, 0, 0, 0, 0, 1, 9), b.natt);
      a.sendEsp(Uint8Array.of(1, 2), b.natt); // neither: garbage
      expect(a.canSendEsp()).toBe(true);
      a.setKeepalive(b.natt, 60);
      await wait(250); // idle long enough for keepalives
      const keepalives = a.stats.keepaliveOut;
      expect(keepalives).toBeGreaterThanOrEqual(1);
      a.setKeepalive(undefined);
      expect(a.keepaliveInterval).toBe(0);
      await wait(30);
      expect(got.sort()).toEqual([`esp:000001000000000109`, `ike@ike:${hex(ike)}`, `ike@natt:${hex(ike)}`]);
      expect(b.stats).toMatchObject({ ikeIn: 2, espIn: 1, garbageIn: 1, keepaliveIn: keepalives });
    } finally {
      a?.close();
      b.close();
    }
  });

  it('reports no room while maxSendQueue ESP datagrams are in flight, even in a synchronous burst', async () => {
    const sink = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0 }, { ike: () => undefined });
    const s = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0, maxSendQueue: 4 }, { ike: () => undefined });
    try {
      let sent = 0;
      for (let i = 0; i < 10; i++) if (s.canSendEsp()) { s.sendEsp(Uint8Array.of(0, 0, 1, 0, 0, 0, 0, i), sink.natt); sent++; }
      expect([sent, s.espQueued, s.canSendEsp()]).toEqual([4, 4, false]);
      await wait(50);
      expect([s.espQueued, s.canSendEsp()]).toEqual([0, true]);
    } finally {
      s.close();
      sink.close();
    }
  });
});
