// The dataplane end to end over real UDP on loopback (127.0.0.1, ephemeral ports, closed in
// `finally`): two NAT-T sockets, a CHILD_SA pair with IPComp, inner packets both ways, a replayed
// datagram and garbage injected on the wire; IKE (marked) shares the socket.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChildSa } from '../../src/esp/child-sa.js';
import { EspSaTable } from '../../src/esp/inbound.js';
import { espEncap } from '../../src/esp/outbound.js';
import { espTestSuite, saPair } from '../../src/esp/suites.testkit.js';
import { IpcompTransform } from '../../src/iana/ikev2.js';
import { deflateCodec } from '../../src/ipcomp/deflate.js';
import { IkeSockets } from '../../src/io/udp.js';
import { encodeIpUdp } from '../../src/wire/ip.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ESP-in-UDP over loopback', () => {
  it('delivers every inner packet once, drops the replay, keeps IKE apart', async () => {
    const suite = espTestSuite('aes256gcm16');
    const { a, b } = saPair(suite, { esn: true, ipcomp: { cpiIn: 0x600, cpiOut: 0x601, transform: IpcompTransform.IPCOMP_DEFLATE } });
    const saA = new ChildSa(a, { ipcompCodec: deflateCodec() });
    const saB = new ChildSa(b, { ipcompCodec: deflateCodec() });
    const tableB = new EspSaTable();
    tableB.add(saB);
    const delivered: string[] = [];
    const ike: string[] = [];
    let lastEsp: Uint8Array | undefined;
    const sockB = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0 }, {
      ike: (m) => ike.push(Buffer.from(m).toString('hex')),
      esp: (p) => {
        lastEsp = p.slice();
        const r = tableB.decap(p, Date.now());
        if (typeof r !== 'string') delivered.push(Buffer.from(r).toString('hex'));
      },
    });
    let sockA: IkeSockets | undefined;
    try {
      sockA = await IkeSockets.open({ address: '127.0.0.1', ikePort: 0, nattPort: 0 }, { ike: () => undefined });
      const sent: string[] = [];
      for (let i = 0; i < 100; i++) {
        const payload = i % 2 === 0 ? randomBytes(i * 10) : new Uint8Array(i * 10).fill(i);
        const inner = encodeIpUdp({ src: Uint8Array.of(10, 99, 1, 1), dst: Uint8Array.of(10, 99, 0, 1), srcPort: 40000 + i, dstPort: 7777, payload });
        const pkt = espEncap(saA, inner, Date.now());
        if (typeof pkt === 'string') throw new Error(pkt);
        sockA.sendEsp(pkt, sockB.natt);
        sent.push(Buffer.from(inner).toString('hex'));
        if (i % 20 === 0) await wait(5); // keep loopback socket buffers from overflowing
      }
      sockA.send(new Uint8Array(40).fill(3), sockA.natt.port, sockB.natt, true);
      sockA.sendEsp(Uint8Array.of(1, 2, 3), sockB.natt); // garbage
      await wait(100);
      if (lastEsp !== undefined) sockA.sendEsp(lastEsp, sockB.natt); // replay from the wire
      await wait(50);
      expect(delivered).toEqual(sent);
      expect(ike).toEqual([Buffer.from(new Uint8Array(40).fill(3)).toString('hex')]);
      expect(saB.stats.drops.replay).toBe(1);
      expect(sockB.stats.garbageIn).toBe(1);
      expect(saA.stats.compressedOut).toBeGreaterThan(20);
    } finally {
      sockA?.close();
      sockB.close();
    }
  });
});
