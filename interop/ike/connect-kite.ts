/**
 * Child-process driver for the live tests: runs a {@link KiteClient} inside the initiator's
 * network namespace (`ip netns exec <ns> node --import tsx interop/ike/connect-kite.ts '<json>'`),
 * prints one JSON line per phase (`up`, `alive`, `closed` or `error`) and exits.
 */
import { KiteClient } from '../../src/client/kite-client.js';
import { liveClientOptions, printLine, type LiveClientArgs } from '../lab/live-client.js';

/** Arguments (JSON in argv[2]). */
export interface ConnectArgs extends LiveClientArgs {
  /** How long to stay up (after `up`) before printing `alive` and closing. */
  readonly holdMs: number;
  /** Rekey our CHILD_SA this long after it came up. */
  readonly rekeyAfterMs?: number;
  /** Rekey the IKE SA this long after it came up. */
  readonly ikeRekeyAfterMs?: number;
  /** Move to this local address (MOBIKE) `moveAfterMs` after it came up. */
  readonly moveTo?: string;
  readonly moveAfterMs?: number;
  /** Reauthenticate (make-before-break) this long after it came up. */
  readonly reauthAfterMs?: number;
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as ConnectArgs;
  const t0 = performance.now();
  const client = new KiteClient({ ...liveClientOptions(a), unauthenticatedErrorWaitMs: 500 });
  const logs: string[] = [];
  client.on('log', (l, m) => logs.push(`${l} ${m}`));
  const rekeys: { oldSpiIn: number; spiIn: number; spiOut: number }[] = [];
  client.on('childRekeyed', (oldSpiIn, c) => rekeys.push({ oldSpiIn, spiIn: c.params.spiIn, spiOut: c.params.spiOut }));
  const ikeRekeys: string[] = [];
  const paths: string[] = [];
  client.on('pathChanged', (l, r) => paths.push(`${l.address}:${l.port} -> ${r.address}:${r.port}`));
  client.on('ikeRekeyed', (spiI, spiR) => ikeRekeys.push(`${spiI}_i ${spiR}_r`));
  try {
    const r = await client.connect();
    const st = client.status();
    printLine({
      phase: 'up',
      ms: performance.now() - t0,
      spiI: st?.spiI, spiR: st?.spiR, natLocal: st?.natLocal, natRemote: st?.natRemote, remotePort: st?.remote.port,
      peerFragmentation: st?.peerFragmentation, peerMobike: st?.peerMobike, algorithms: st?.algorithms,
      vip: r.config?.preferredIp4, ip4Addresses: r.config?.ip4Addresses,
      child: r.child === undefined ? undefined : { spiIn: r.child.params.spiIn, spiOut: r.child.params.spiOut, encrId: r.child.params.encrId, esn: r.child.params.esn, encap: r.child.encap !== undefined },
      ikePacketsOut: st?.ikePacketsOut, ikePacketsIn: st?.ikePacketsIn,
    });
    const alive = new Promise<void>((resolve) => setTimeout(resolve, a.holdMs));
    client.checkLiveness();
    if (a.rekeyAfterMs !== undefined) {
      setTimeout(() => {
        const current = client.status()?.children[0];
        if (current !== undefined) client.rekeyChild(current.params.spiIn);
      }, a.rekeyAfterMs);
    }
    if (a.ikeRekeyAfterMs !== undefined) setTimeout(() => client.rekeyIke(), a.ikeRekeyAfterMs);
    const reauths: string[] = [];
    if (a.reauthAfterMs !== undefined) {
      setTimeout(() => {
        client.reauthenticate().then((x) => reauths.push(`${client.status()?.spiI ?? ''} ${x.config?.preferredIp4 ?? ''} ${x.child?.params.spiIn ?? ''}`), (e: unknown) => reauths.push(`error ${String(e)}`));
      }, a.reauthAfterMs);
    }
    const to = a.moveTo;
    if (to !== undefined) setTimeout(() => { void client.moveTo(to); }, a.moveAfterMs ?? 0);
    await alive;
    const s2 = client.status();
    printLine({ phase: 'alive', state: s2?.state, reauths, rekeys, ikeRekeys, paths, local: s2?.local, spiI: s2?.spiI, spiR: s2?.spiR, children: s2?.children.map((c) => ({ spiIn: c.params.spiIn, spiOut: c.params.spiOut })) });
    await client.close();
    printLine({ phase: 'closed', state: client.status()?.state, logs });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
    printLine({ phase: 'error', code, message: e instanceof Error ? e.message : String(e), logs });
    await client.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

void main();
