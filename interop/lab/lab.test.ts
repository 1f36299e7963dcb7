/**
 * The lab cleans up after itself: namespaces it created are gone after close, also when the body
 * throws. Needs root (CI runs as root); skipped otherwise.
 */
import { describe, expect, it } from 'vitest';
import { openLab, withLab } from './lab.js';
import { createLabNetwork } from './netns.js';
import { run } from './proc.js';

const isRoot = process.getuid?.() === 0;

async function namespaces(): Promise<string[]> {
  const out = (await run(['ip', 'netns', 'list'])).stdout;
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n !== '');
}

describe.skipIf(!isRoot)('lab network namespaces', () => {
  it('creates two namespaces joined by a veth and deletes exactly them on close', async () => {
    const lab = await openLab();
    let names: string[] = [];
    try {
      const net = await createLabNetwork(lab);
      names = [net.initiator.ns, net.responder.ns];
      expect(await namespaces()).toEqual(expect.arrayContaining(names));
      const ping = await run(net.initiator.exec(['ip', 'route', 'get', net.responder.address]));
      expect(ping.stdout).toContain('dev eth0');
      const addrs = await run(net.responder.exec(['ip', '-4', '-o', 'addr']));
      expect(addrs.stdout).toContain(`${net.responder.address}/24`);
      expect(addrs.stdout).toContain(`${net.innerAddress}/32`);
    } finally {
      await lab.close();
    }
    const after = await namespaces();
    for (const n of names) expect(after).not.toContain(n);
  });

  it('cleans up when the body throws', async () => {
    let names: string[] = [];
    await expect(
      withLab(async (lab) => {
        const net = await createLabNetwork(lab);
        names = [net.initiator.ns, net.responder.ns];
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(names).toHaveLength(2);
    const after = await namespaces();
    for (const n of names) expect(after).not.toContain(n);
  });
});
