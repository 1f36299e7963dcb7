import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { TestResponder } from '../ike/testing/responder.testkit.js';
import { testInitiatorOptions, testResponderOptions } from '../ike/testing/harness.testkit.js';
import { KiteClient } from './kite-client.js';
import type { InstalledChildSa } from '../ike/types.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

async function responderSocket(): Promise<{ port: number; responder: TestResponder; mute: (on: boolean) => void }> {
  let muted = false;
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  const responder = new TestResponder(testResponderOptions({ local: { address: '127.0.0.1', port } }));
  sock.on('message', (msg, rinfo) => {
    if (muted) return;
    let data = new Uint8Array(msg);
    const marker = data.length > 4 && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 0;
    if (marker) data = data.subarray(4);
    for (const out of responder.receive(data, { address: rinfo.address, port: rinfo.port }, performance.now())) {
      sock.send(marker ? [new Uint8Array(4), out] : [out], rinfo.port, rinfo.address);
    }
  });
  cleanups.push(() => sock.close());
  return { port, responder, mute: (on) => { muted = on; } };
}

describe('KiteClient over loopback UDP', () => {
  it('connects, reports status and closes', async () => {
    const { port, responder } = await responderSocket();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions();
    const installed: InstalledChildSa[] = [];
    const client = new KiteClient({ ...rest, retransmit: { timeoutMs: 200, base: 1.5, tries: 2 }, remote: { address: '127.0.0.1', port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0, onChildSa: (c) => installed.push(c) });
    const established: string[] = [];
    client.on('log', (l, m) => { if (process.env.KITE_DEBUG) console.log(l, m); });
    client.on('established', (i) => established.push(i.spiI));
    const r = await client.connect();
    expect(r.config?.preferredIp4).toBe('10.99.1.1');
    expect(installed).toHaveLength(1);
    expect(established).toHaveLength(1);
    expect(client.status()?.state).toBe('established');
    await client.close();
    expect(responder.closed).toBe(true);
    expect(client.status()?.state).toBe('closed');
  });

  it('declares the gateway dead after DPD retransmissions and reconnects with backoff', async () => {
    const { port, mute } = await responderSocket();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions();
    const client = new KiteClient({
      ...rest, remote: { address: '127.0.0.1', port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0,
      dpdDelayMs: 100, retransmit: { timeoutMs: 50, base: 1, tries: 2 }, reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const seen: string[] = [];
    client.on('established', () => seen.push('established')).on('dead', () => seen.push('dead')).on('reconnecting', (n) => seen.push(`reconnecting ${n}`));
    await client.connect();
    mute(true);
    await new Promise<void>((resolve) => client.on('dead', () => resolve()));
    mute(false);
    await new Promise<void>((resolve) => client.on('established', () => resolve()));
    expect(seen.slice(0, 3)).toEqual(['established', 'dead', 'reconnecting 1']);
    expect(seen.at(-1)).toBe('established');
    expect(client.status()?.state).toBe('established');
    await client.close();
  });

  it('notices that its address is gone and moves with MOBIKE', async () => {
    const { port, responder } = await responderSocket();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions();
    let addrs = ['127.0.0.1'];
    const interfaces = () => ({ lo: addrs.map((address) => ({ address, family: 'IPv4' as const, internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: `${address}/8` })) });
    const client = new KiteClient({ ...rest, remote: { address: '127.0.0.1', port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0, watchInterfaces: { intervalMs: 20, interfaces } });
    await client.connect();
    const moved = new Promise<string>((resolve) => client.on('pathChanged', (l) => resolve(l.address)));
    addrs = ['127.0.0.2'];
    expect(await moved).toBe('127.0.0.2');
    expect(responder.pathUpdates.map((p) => p.address)).toEqual(['127.0.0.2']);
    expect(client.status()?.local.address).toBe('127.0.0.2');
    await client.close();
    expect(responder.closed).toBe(true);
  });

  it('reauthenticates make-before-break: new IKE SA and CHILD_SA first, then the old IKE SA goes', async () => {
    const { port, responder } = await responderSocket();
    const { local: _l, remote: _r, ...rest } = testInitiatorOptions();
    const removed: number[] = [];
    const installed: number[] = [];
    const client = new KiteClient({ ...rest, remote: { address: '127.0.0.1', port }, localAddress: '127.0.0.1', ikePort: 0, nattPort: 0,
      onChildSa: (c) => installed.push(c.params.spiIn), onChildSaRemoved: (spiIn) => removed.push(spiIn) });
    const closed: boolean[] = [];
    client.on('closed', (p) => closed.push(p));
    const first = await client.connect();
    const spiBefore = client.status()?.spiI;
    const second = await client.reauthenticate();
    expect(client.status()?.spiI).not.toBe(spiBefore);
    expect(second.child?.params.spiIn).not.toBe(first.child?.params.spiIn);
    await new Promise((r) => setTimeout(r, 100));
    expect(installed).toEqual([first.child?.params.spiIn, second.child?.params.spiIn]);
    expect(removed).toEqual([first.child?.params.spiIn]);
    expect(closed).toEqual([]);
    expect(responder.retired).toHaveLength(0);
    expect(responder.closed).toBe(false);
    // no INITIAL_CONTACT in the reauthentication
    const lastAuth = responder.requests.filter((r) => r.exchangeType === 35).at(-1);
    expect(lastAuth?.payloads.some((p) => p.type === 41 && 'notifyType' in p && p.notifyType === 16384)).toBe(false);
    await client.close();
    expect(responder.closed).toBe(true);
  });
});
