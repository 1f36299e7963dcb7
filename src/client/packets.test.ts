// The packet API end to end on loopback (127.0.0.1, ephemeral ports, closed after each test): the
// KiteClient against the test responder, whose socket also plays the ESP gateway with the CHILD_SA
// keys the client installed (mirrored), echoing every inner UDP packet back through ESP.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildSa, type ChildSaParams } from '../esp/child-sa.js';
import { EspSaTable } from '../esp/inbound.js';
import { espEncap } from '../esp/outbound.js';
import { ipToBytes } from '../ike/addr.js';
import { TestResponder } from '../ike/testing/responder.testkit.js';
import { testInitiatorOptions, testResponderOptions } from '../ike/testing/harness.testkit.js';
import { decodeIpUdp, encodeIpUdp } from '../wire/ip.js';
import { KiteClient } from './kite-client.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

function mirror(p: ChildSaParams): ChildSaParams {
  const { integKeyIn, integKeyOut, ...rest } = p;
  return {
    ...rest, spiIn: p.spiOut, spiOut: p.spiIn, encrKeyIn: p.encrKeyOut, encrKeyOut: p.encrKeyIn,
    ...(integKeyOut === undefined ? {} : { integKeyIn: integKeyOut }), ...(integKeyIn === undefined ? {} : { integKeyOut: integKeyIn }),
  };
}

/** IKE responder + ESP echo gateway on one loopback socket. */
async function gateway(): Promise<{ port: number; install: (p: ChildSaParams) => void; remove: (spiIn: number) => void; echoed: () => number }> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  const responder = new TestResponder(testResponderOptions({ local: { address: '127.0.0.1', port } }));
  const table = new EspSaTable();
  let newest: ChildSa | undefined;
  let echoed = 0;
  sock.on('message', (msg, rinfo) => {
    const data = new Uint8Array(msg);
    const marker = data.length > 4 && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 0;
    if (data.length === 1) return; // NAT-keepalive
    if (!marker && data.length > 8) {
      const inner = table.decap(data, 0);
      if (typeof inner === 'string' || newest === undefined) return;
      const d = decodeIpUdp(inner);
      const back = espEncap(newest, encodeIpUdp({ src: d.dst, dst: d.src, srcPort: d.dstPort, dstPort: d.srcPort, payload: d.payload }), 0);
      if (typeof back !== 'string') { echoed++; sock.send(back, rinfo.port, rinfo.address); }
      return;
    }
    const ike = marker ? data.subarray(4) : data;
    for (const out of responder.receive(ike, { address: rinfo.address, port: rinfo.port }, performance.now())) {
      sock.send(marker ? [new Uint8Array(4), out] : [out], rinfo.port, rinfo.address);
    }
  });
  cleanups.push(() => sock.close());
  return {
    port,
    install: (p) => { newest = new ChildSa(mirror(p)); table.add(newest); },
    remove: (spi) => { table.remove(spi); },
    echoed: () => echoed,
  };
}

const probe = (vip: string, i: number): Uint8Array =>
  encodeIpUdp({ src: ipToBytes(vip), dst: ipToBytes('10.99.0.1'), srcPort: 40000, dstPort: 7777, payload: new TextEncoder().encode(`probe ${i}`) }, i);
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('KiteClient packet API over loopback', () => {
  it('sendPacket / onPacket through ESP, across a make-before-break CHILD_SA rekey, with counters in status()', async () => {
    const gw = await gateway();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions({ fakeNat: true });
    const client = new KiteClient({
      ...rest, remote: { address: '127.0.0.1', port: gw.port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0,
      onChildSa: (c) => gw.install(c.params), onChildSaRemoved: (_in, spiOut) => gw.remove(spiOut),
    });
    cleanups.push(() => { void client.close(); });
    const got: string[] = [];
    client.onPacket((p) => got.push(new TextDecoder().decode(decodeIpUdp(p).payload)));
    const r = await client.connect();
    const vip = r.config?.preferredIp4 ?? '';
    const rekeyed = new Promise<number>((resolve) => client.on('childRekeyed', (old) => resolve(old)));
    const n = 60;
    for (let i = 0; i < n; i++) {
      expect(client.sendPacket(probe(vip, i))).toBe(true);
      if (i === 20) client.rekeyChild(r.child?.params.spiIn ?? 0);
      await wait(3);
    }
    expect(await rekeyed).toBe(r.child?.params.spiIn);
    for (let t = 0; t < 100 && got.length < n; t++) await wait(10);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => `probe ${i}`));
    const st = client.status();
    expect(st?.dataplane.totals).toMatchObject({ packetsIn: n, packetsOut: n });
    expect(st?.dataplane.children).toHaveLength(1);
    expect(st?.dataplane.children[0]?.spiIn).not.toBe(r.child?.params.spiIn);
    expect(st?.dataplane.children[0]?.packetsOut).toBeGreaterThan(0);
    expect(st?.udp?.espIn).toBe(n);
    expect(client.sendPacket(encodeIpUdp({ src: ipToBytes('2001:db8::1'), dst: ipToBytes('2001:db8::2'), srcPort: 1, dstPort: 2, payload: new Uint8Array(1) }))).toBe(false); // no IPv6 selectors
    expect(client.status()?.dataplane.drops['no-sa']).toBe(1);
    await client.close();
  });

  it('sends NAT-keepalives by policy and switches them at run time', async () => {
    const gw = await gateway();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions({ fakeNat: true });
    const client = new KiteClient({ ...rest, remote: { address: '127.0.0.1', port: gw.port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0, natKeepalive: 'always', keepaliveMs: 40 });
    cleanups.push(() => { void client.close(); });
    await client.connect();
    expect(client.status()?.natKeepaliveMs).toBe(40);
    await wait(200);
    expect(client.status()?.udp?.keepaliveOut).toBeGreaterThan(0);
    client.setNatKeepalive(false);
    expect(client.status()?.natKeepaliveMs).toBe(0);
    await client.close();
  });
});
