/**
 * Live: Kite's packet API against strongSwan (kernel-libipsec). A KiteClient in the initiator
 * namespace connects, then sends IPv4/UDP probes from its virtual IP to the echo service behind
 * the gateway with `sendPacket` and receives the echoes with `onPacket` — the built-in datapath
 * alone, no TUN and no hand-wired ESP — while the CHILD_SA is rekeyed by Kite and by strongSwan
 * (make-before-break: no probe lost), then checks the counters in `status()` and closes.
 * Needs root and strongSwan; skipped otherwise.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCharon } from '../lab/charon.js';
import { STRONGSWAN_FIXTURES_DIR } from '../lab/fixtures.js';
import { withLab } from '../lab/lab.js';
import { createLabNetwork } from '../lab/netns.js';
import { ensureTestPki } from '../lab/pki.js';
import { startProcess, waitFor } from '../lab/proc.js';
import { ECHO_PORT, responderSwanctlConf } from '../lab/scenario.js';
import type { FloodResult, LiveDatapathArgs } from './live-datapath.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ipsec/charon');
const SCRIPT = resolve(import.meta.dirname, 'live-datapath.ts');
const ECHO_SERVER = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(m,r.port,r.address));s.bind(Number(process.argv[2]),process.argv[1]);`;

interface Line { readonly phase: string; readonly [k: string]: unknown }
interface Counters { packetsIn: number; bytesIn: number; packetsOut: number; bytesOut: number }
interface Done extends Line {
  readonly sent: number;
  readonly refused: number[];
  readonly echoes: number[];
  readonly rekeys: { oldSpiIn: number; spiIn: number }[];
  readonly dataplane: { children: (Counters & { spiIn: number })[]; totals: Counters; drops: Record<string, number> };
  readonly udp: { espIn: number; garbageIn: number };
  readonly children: number[];
  readonly flood?: FloodResult;
}

const lines = (t: string): Line[] => t.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);

describe.skipIf(!canRun)('Kite packet API vs strongSwan libipsec (live)', () => {
  it('probes from the virtual IP are echoed through ESP via sendPacket/onPacket, none lost across CHILD_SA rekeys by both sides', async () => {
    await withLab(async (lab) => {
      const pkiDir = join(STRONGSWAN_FIXTURES_DIR, 'pki');
      const pki = await ensureTestPki(pkiDir, lab.workdir);
      const net = await createLabNetwork(lab);
      const charon = await startCharon(lab, {
        name: 'responder',
        node: net.responder,
        swanctlConf: responderSwanctlConf({ ikeProposal: 'aes256-sha256-prfsha256-modp2048', espProposal: 'aes256gcm16' }, net),
        certs: [pki.gatewayCert],
        caCerts: [pki.caCert],
        privateKeys: [pki.gatewayKey],
      });
      const echo = startProcess(net.responder.exec([process.execPath, '-e', ECHO_SERVER, net.innerAddress, String(ECHO_PORT)]));
      lab.defer(`stop echo server (pid ${echo.pid})`, () => echo.stop());
      const args: LiveDatapathArgs = {
        pkiDir, local: net.initiator.address, remote: net.responder.address, innerHost: net.innerAddress, echoPort: ECHO_PORT,
        espProposal: 'aes256gcm16', probes: 400, intervalMs: 10, rekeyAtMs: 1200,
      };
      const kite = startProcess(net.initiator.exec([process.execPath, '--import', 'tsx', SCRIPT, JSON.stringify(args)]));
      lab.defer(`stop kite (pid ${kite.pid})`, () => kite.stop());
      const up = await waitFor('kite up', () => lines(kite.output()).find((l) => l.phase === 'up' || l.phase === 'error'), 20_000);
      expect(up.phase, kite.output()).toBe('up');
      await new Promise((r) => setTimeout(r, 2500)); // after Kite's own rekey at 1.2 s
      await charon.swanctl(['--rekey', '--child', 'net']);
      const done = await waitFor('kite done', () => lines(kite.output()).find((l) => l.phase === 'done' || l.phase === 'error'), 30_000) as Done;
      await kite.exited;
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
      expect(lines(kite.output()).find((l) => l.phase === 'closed')?.state).toBe('closed');
      const log = await readFile(charon.logPath, 'utf8');
      const hex = (n: number): string => n.toString(16).padStart(8, '0');
      for (const r of done.rekeys) expect(log).toMatch(new RegExp(`SPIs [0-9a-f]{8}_i ${hex(r.spiIn)}_o`));
      if (process.env.KITE_SHOW === '1') console.log(JSON.stringify({ rekeys: done.rekeys, totals: t, children: done.dataplane.children }));
    });
  });

  it('a flood far beyond the send bound is refused and counted (queue-full), memory stays flat, and the tunnel still carries probes after it', async () => {
    await withLab(async (lab) => {
      const pkiDir = join(STRONGSWAN_FIXTURES_DIR, 'pki');
      const pki = await ensureTestPki(pkiDir, lab.workdir);
      const net = await createLabNetwork(lab);
      await startCharon(lab, {
        name: 'responder',
        node: net.responder,
        swanctlConf: responderSwanctlConf({ ikeProposal: 'aes256-sha256-prfsha256-modp2048', espProposal: 'aes128gcm16' }, net),
        certs: [pki.gatewayCert],
        caCerts: [pki.caCert],
        privateKeys: [pki.gatewayKey],
      });
      const echo = startProcess(net.responder.exec([process.execPath, '-e', ECHO_SERVER, net.innerAddress, String(ECHO_PORT)]));
      lab.defer(`stop echo server (pid ${echo.pid})`, () => echo.stop());
      const args: LiveDatapathArgs = {
        pkiDir, local: net.initiator.address, remote: net.responder.address, innerHost: net.innerAddress, echoPort: ECHO_PORT,
        espProposal: 'aes128gcm16', probes: 20, intervalMs: 10, flood: { bursts: 40, burstSize: 5000 },
      };
      const kite = startProcess(net.initiator.exec([process.execPath, '--import', 'tsx', SCRIPT, JSON.stringify(args)]));
      lab.defer(`stop kite (pid ${kite.pid})`, () => kite.stop());
      const done = await waitFor('kite done', () => lines(kite.output()).find((l) => l.phase === 'done' || l.phase === 'error'), 60_000) as Done;
      await kite.exited;
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
