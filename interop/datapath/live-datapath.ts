/**
 * Child-process driver for the live datapath test: inside the initiator's namespace a
 * {@link KiteClient} connects to a strongSwan responder (kernel-libipsec) and, through the packet
 * API alone (`sendPacket` / `onPacket`, no TUN, no hand-built ESP), sends IPv4/UDP probes from its
 * virtual IP to the echo service behind the gateway while CHILD_SAs are rekeyed (by Kite at
 * `rekeyAtMs`, by strongSwan whenever the test says so). Prints JSON lines: `up`, then `done` with
 * what was sent, what came back, the rekeys and `status()`; or `error`. Then closes and exits.
 */
import { KiteClient } from '../../src/client/kite-client.js';
import { ipToBytes } from '../../src/ike/addr.js';
import { decodeIpUdp, encodeIpUdp } from '../../src/wire/ip.js';
import { echoClientOptions, printLine, type EchoProbeArgs } from '../lab/live-client.js';
import { sleep } from '../lab/proc.js';

/** Arguments (JSON in argv[2]). */
export interface LiveDatapathArgs extends EchoProbeArgs {
  /** Time between probes. */
  readonly intervalMs: number;
  /** Kite rekeys its newest CHILD_SA this long after the first probe (never when omitted). */
  readonly rekeyAtMs?: number;
  /** After the probes: `bursts` synchronous bursts of `burstSize` packets, then `probes` more probes. */
  readonly flood?: { readonly bursts: number; readonly burstSize: number };
}

/** What the flood phase saw. */
export interface FloodResult {
  readonly accepted: number;
  readonly refused: number;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  /** Probes sent after the flood, and which of them came back. */
  readonly after: number;
  readonly afterEchoes: number;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function client(a: LiveDatapathArgs): KiteClient {
  return new KiteClient(echoClientOptions(a));
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as LiveDatapathArgs;
  const c = client(a);
  const echoes: number[] = [];
  const afterEchoes: number[] = [];
  c.onPacket((p) => {
    const m = /^kite (datapath|after) (\d+)$/.exec(new TextDecoder().decode(decodeIpUdp(p).payload));
    if (m !== null) (m[1] === 'after' ? afterEchoes : echoes).push(Number(m[2]));
  });
  const rekeys: { oldSpiIn: number; spiIn: number }[] = [];
  c.on('childRekeyed', (oldSpiIn, child) => rekeys.push({ oldSpiIn, spiIn: child.params.spiIn }));
  try {
    const r = await c.connect();
    const vip = r.config?.preferredIp4;
    if (r.child === undefined || vip === undefined) throw new Error('no CHILD_SA or virtual IP');
    printLine({ phase: 'up', vip, spiIn: r.child.params.spiIn, spiOut: r.child.params.spiOut });
    const src = ipToBytes(vip);
    const dst = ipToBytes(a.innerHost);
    const refused: number[] = [];
    const t0 = performance.now();
    let rekeyed = false;
    for (let i = 0; i < a.probes; i++) {
      if (!rekeyed && a.rekeyAtMs !== undefined && performance.now() - t0 >= a.rekeyAtMs) {
        rekeyed = true;
        const newest = c.status()?.dataplane.children[0];
        if (newest !== undefined) c.rekeyChild(newest.spiIn);
      }
      const probe = encodeIpUdp({ src, dst, srcPort: 40000, dstPort: a.echoPort, payload: text(`kite datapath ${i}`) }, i & 0xffff);
      if (!c.sendPacket(probe)) refused.push(i);
      await sleep(a.intervalMs);
    }
    const deadline = performance.now() + 3000;
    while (echoes.length < a.probes - refused.length && performance.now() < deadline) await sleep(20);
    await sleep(100);
    const flood = a.flood === undefined ? undefined : await floodPhase(c, a, a.flood, (i) => encodeIpUdp({ src, dst, srcPort: 40001, dstPort: a.echoPort, payload: text(`kite after ${i}`) }, i), afterEchoes);
    const st = c.status();
    printLine({ phase: 'done', sent: a.probes, refused, echoes, rekeys, flood, dataplane: st?.dataplane, udp: st?.udp, natLocal: st?.natLocal, natRemote: st?.natRemote, natKeepaliveMs: st?.natKeepaliveMs, children: st?.children.map((x) => x.params.spiIn) });
    await c.close();
    printLine({ phase: 'closed', state: c.status()?.state });
  } catch (e) {
    printLine({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
    await c.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

/** Synchronous bursts far beyond the send bound, then ordinary probes: the client must still work. */
async function floodPhase(c: KiteClient, a: LiveDatapathArgs, f: NonNullable<LiveDatapathArgs['flood']>, after: (i: number) => Uint8Array, afterEchoes: readonly number[]): Promise<FloodResult> {
  const mb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
  const rssBeforeMb = mb();
  let rssPeakMb = rssBeforeMb;
  let accepted = 0;
  let refused = 0;
  const pkt = encodeIpUdp({ src: ipToBytes(c.status()?.config?.preferredIp4 ?? '0.0.0.0'), dst: ipToBytes(a.innerHost), srcPort: 40002, dstPort: 9, payload: new Uint8Array(1200) });
  for (let b = 0; b < f.bursts; b++) {
    for (let i = 0; i < f.burstSize; i++) if (c.sendPacket(pkt)) accepted++; else refused++;
    rssPeakMb = Math.max(rssPeakMb, mb());
    await new Promise((r) => setImmediate(r));
  }
  await sleep(1500); // let the gateway's unbounded libipsec queue drain
  for (let i = 0; i < a.probes; i++) {
    c.sendPacket(after(i));
    await sleep(a.intervalMs);
  }
  const deadline = performance.now() + 3000;
  while (afterEchoes.length < a.probes && performance.now() < deadline) await sleep(20);
  return { accepted, refused, rssBeforeMb, rssPeakMb, after: a.probes, afterEchoes: afterEchoes.length };
}

void main();
