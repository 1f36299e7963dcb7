/**
 * Live: Kite's packet API against strongSwan (kernel-libipsec). A KiteClient in the initiator
 * namespace connects, then sends IPv4/UDP probes from its virtual IP to the echo service behind
 * the gateway with `sendPacket` and receives the echoes with `onPacket` — the built-in datapath
 * alone, no TUN and no hand-wired ESP — while the CHILD_SA is rekeyed by Kite and by strongSwan
 * (make-before-break: no probe lost), then checks the counters in `status()` and closes.
 * Needs root and strongSwan; skipped otherwise.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLab, type Lab } from '../lab/lab.js';
import { canRunLive, expectClosed, spiHex, startKite, startLiveLab, type KiteDriver, type KiteLine, type LiveLab } from '../lab/live.js';
import { ECHO_PORT, startEchoServer } from '../lab/scenario.js';
import type { FloodResult, LiveDatapathArgs } from './live-datapath.js';

const SCRIPT = resolve(import.meta.dirname, 'live-datapath.ts');

interface Counters { packetsIn: number; bytesIn: number; packetsOut: number; bytesOut: number }
interface Done extends KiteLine {
  readonly sent: number;
  readonly refused: number[];
  readonly echoes: number[];
  readonly rekeys: { oldSpiIn: number; spiIn: number }[];
  readonly dataplane: { children: (Counters & { spiIn: number })[]; totals: Counters; drops: Record<string, number> };
  readonly udp: { espIn: number; garbageIn: number };
  readonly children: number[];
  readonly flood?: FloodResult;
}

/**
 * A responder offering `espProposal`, its echo service, and Kite's datapath driver sending probes
 * to it from the initiator namespace.
 */
async function startDatapath(lab: Lab, espProposal: string, traffic: Omit<LiveDatapathArgs, keyof LiveLab['client'] | 'innerHost' | 'echoPort' | 'espProposal'>): Promise<{ live: LiveLab; kite: KiteDriver<KiteLine> }> {
  const live = await startLiveLab(lab, { ikeProposal: 'aes256-sha256-prfsha256-modp2048', espProposal });
  startEchoServer(lab, live.net);
  const args: LiveDatapathArgs = { ...live.client, innerHost: live.net.innerAddress, echoPort: ECHO_PORT, espProposal, ...traffic };
  return { live, kite: startKite(lab, live.net.initiator, SCRIPT, args) };
}

describe.skipIf(!canRunLive())('Kite packet API vs strongSwan libipsec (live)', () => {
  it('probes from the virtual IP are echoed through ESP via sendPacket/onPacket, none lost across CHILD_SA rekeys by both sides', async () => {
    await withLab(async (lab) => {
      const { live, kite } = await startDatapath(lab, 'aes256gcm16', { probes: 400, intervalMs: 10, rekeyAtMs: 1200 });
      const up = await kite.until('up', 20_000);
      expect(up.phase, kite.output()).toBe('up');
      await new Promise((r) => setTimeout(r, 2500)); // after Kite's own rekey at 1.2 s
      await live.charon.swanctl(['--rekey', '--child', 'net']);
      const done = await kite.until('done', 30_000) as Done;
      await kite.daemon.exited;
      expect(done.phase, kite.output()).toBe('done');
      const all = Array.from({ length: done.sent }, (_, i) => i);
      expect(done.refused).toEqual([]);
      expect([...done.echoes].sort((x, y) => x - y)).toEqual(all); // every probe back exactly once: 0 lost
      expect(done.rekeys.length, JSON.stringify(done.rekeys)).toBeGreaterThanOrEqual(2);
      const t = done.dataplane.totals;
      expect([t.packetsOut, t.packetsIn]).toEqual([done.sent, done.sent]);
      expect(t.bytesOut).toBe(t.bytesIn); // echoes are the probes mirrored
      expect(done.udp.espIn).toBe(done.sent);
      expect(Object.entries(done.dataplane.drops).filter(([, n]) => n > 0)).toEqual([]);
      expect(done.dataplane.children.map((c) => c.spiIn)).toEqual(done.children);
      expectClosed(kite.lines());
      const log = await live.log();
      for (const r of done.rekeys) expect(log).toMatch(new RegExp(`SPIs [0-9a-f]{8}_i ${spiHex(r.spiIn)}_o`));
      if (process.env.KITE_SHOW === '1') console.log(JSON.stringify({ rekeys: done.rekeys, totals: t, children: done.dataplane.children }));
    });
  });

  it('a flood far beyond the send bound is refused and counted (queue-full), memory stays flat, and the tunnel still carries probes after it', async () => {
    await withLab(async (lab) => {
      const { kite } = await startDatapath(lab, 'aes128gcm16', { probes: 20, intervalMs: 10, flood: { bursts: 40, burstSize: 5000 } });
      const done = await kite.until('done', 60_000) as Done;
      await kite.daemon.exited;
      expect(done.phase, kite.output()).toBe('done');
      const f = done.flood;
      expect(f?.accepted).toBeGreaterThan(0);
      expect(f?.refused).toBeGreaterThan(0);
      expect((f?.accepted ?? 0) + (f?.refused ?? 0)).toBe(40 * 5000);
      expect(done.dataplane.drops['queue-full']).toBe(f?.refused);
      expect((f?.rssPeakMb ?? 0) - (f?.rssBeforeMb ?? 0)).toBeLessThan(64);
      expect(f?.afterEchoes).toBe(f?.after);
      if (process.env.KITE_SHOW === '1') console.log(JSON.stringify({ flood: f, totals: done.dataplane.totals, drops: done.dataplane.drops }));
    });
  });
});
