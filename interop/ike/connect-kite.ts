/**
 * Child-process driver for the live tests: runs a {@link KiteClient} inside the initiator's
 * network namespace (`ip netns exec <ns> node --import tsx interop/ike/connect-kite.ts '<json>'`),
 * prints one JSON line per phase (`up`, `alive`, `closed` or `error`) and exits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { KiteClient } from '../../src/client/kite-client.js';
import { IdType } from '../../src/iana/ikev2.js';
import { buildProposals } from '../../src/ike/proposal.js';
import { createPeerTrust } from '../../src/pki/trust.js';
import { ipToBytes } from '../../src/ike/addr.js';

/** Arguments (JSON in argv[2]). */
export interface ConnectArgs {
  readonly pkiDir: string;
  readonly local: string;
  readonly remote: string;
  readonly innerNetwork: { readonly start: string; readonly end: string };
  readonly ikeProposals?: readonly string[];
  readonly espProposals?: readonly string[];
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
  /** Our certificate and key base name in the PKI directory (default `client`). */
  readonly clientCert?: string;
  /** Our IDi (default client@example.test). */
  readonly localId?: string;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const out = (o: unknown): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as ConnectArgs;
  const der = (f: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(join(a.pkiDir, f))).raw);
  const ts = (start: string, end: string) => ({ tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(start), endAddress: ipToBytes(end) });
  const t0 = performance.now();
  const client = new KiteClient({
    remote: { address: a.remote },
    localAddress: a.local,
    ikeProposals: buildProposals({ protocol: 'ike', ...(a.ikeProposals === undefined ? {} : { proposals: a.ikeProposals }) }),
    espProposals: buildProposals({ protocol: 'esp', ...(a.espProposals === undefined ? {} : { proposals: a.espProposals }) }),
    localId: { idType: IdType.ID_RFC822_ADDR, data: text(a.localId ?? 'client@example.test') },
    unauthenticatedErrorWaitMs: 500,
    remoteId: { idType: IdType.ID_FQDN, data: text('gw.example.test') },
    privateKey: createPrivateKey(readFileSync(join(a.pkiDir, `${a.clientCert ?? 'client'}.key.pem`))),
    certificates: [der(`${a.clientCert ?? 'client'}.crt.pem`)],
    trust: createPeerTrust({ cas: [der('ca.crt.pem')] }),
    tsLocal: [ts('0.0.0.0', '255.255.255.255')],
    tsRemote: [ts(a.innerNetwork.start, a.innerNetwork.end)],
    virtualIp: { ip4: true, ip6: false },
    dpdDelayMs: 0,
  });
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
    out({
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
    out({ phase: 'alive', state: s2?.state, reauths, rekeys, ikeRekeys, paths, local: s2?.local, spiI: s2?.spiI, spiR: s2?.spiR, children: s2?.children.map((c) => ({ spiIn: c.params.spiIn, spiOut: c.params.spiOut })) });
    await client.close();
    out({ phase: 'closed', state: client.status()?.state, logs });
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined;
    out({ phase: 'error', code, message: e instanceof Error ? e.message : String(e), logs });
    await client.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

void main();
