/**
 * Child-process driver for the live datapath test: inside the initiator's namespace a
 * {@link KiteClient} connects to a strongSwan responder (kernel-libipsec) and, through the packet
 * API alone (`sendPacket` / `onPacket`, no TUN, no hand-built ESP), sends IPv4/UDP probes from its
 * virtual IP to the echo service behind the gateway while CHILD_SAs are rekeyed (by Kite at
 * `rekeyAtMs`, by strongSwan whenever the test says so). Prints JSON lines: `up`, then `done` with
 * what was sent, what came back, the rekeys and `status()`; or `error`. Then closes and exits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { KiteClient } from '../../src/client/kite-client.js';
import { IdType } from '../../src/iana/ikev2.js';
import { ipToBytes } from '../../src/ike/addr.js';
import { buildProposals } from '../../src/ike/proposal.js';
import { createPeerTrust } from '../../src/pki/trust.js';
import { decodeIpUdp, encodeIpUdp } from '../../src/wire/ip.js';

/** Arguments (JSON in argv[2]). */
export interface LiveDatapathArgs {
  readonly pkiDir: string;
  readonly local: string;
  readonly remote: string;
  readonly innerHost: string;
  readonly echoPort: number;
  readonly espProposal: string;
  /** Probes to send, one every `intervalMs`. */
  readonly probes: number;
  readonly intervalMs: number;
  /** Kite rekeys its newest CHILD_SA this long after the first probe. */
  readonly rekeyAtMs: number;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const out = (o: unknown): void => { process.stdout.write(`${JSON.stringify(o)}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function client(a: LiveDatapathArgs): KiteClient {
  const der = (f: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(join(a.pkiDir, f))).raw);
  const ts = (start: string, end: string) => ({ tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(start), endAddress: ipToBytes(end) });
  return new KiteClient({
    remote: { address: a.remote },
    localAddress: a.local,
    ikeProposals: buildProposals({ protocol: 'ike', proposals: ['aes256-sha256-prfsha256-modp2048'] }),
    espProposals: buildProposals({ protocol: 'esp', proposals: [a.espProposal] }),
    localId: { idType: IdType.ID_RFC822_ADDR, data: text('client@example.test') },
    remoteId: { idType: IdType.ID_FQDN, data: text('gw.example.test') },
    privateKey: createPrivateKey(readFileSync(join(a.pkiDir, 'client.key.pem'))),
    certificates: [der('client.crt.pem')],
    trust: createPeerTrust({ cas: [der('ca.crt.pem')] }),
    tsLocal: [ts('0.0.0.0', '255.255.255.255')],
    tsRemote: [ts('10.99.0.0', '10.99.0.255')],
    virtualIp: { ip4: true, ip6: false },
    dpdDelayMs: 0,
  });
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as LiveDatapathArgs;
  const c = client(a);
  const echoes: number[] = [];
  c.onPacket((p) => {
    const m = /^kite datapath (\d+)$/.exec(new TextDecoder().decode(decodeIpUdp(p).payload));
    if (m !== null) echoes.push(Number(m[1]));
  });
  const rekeys: { oldSpiIn: number; spiIn: number }[] = [];
  c.on('childRekeyed', (oldSpiIn, child) => rekeys.push({ oldSpiIn, spiIn: child.params.spiIn }));
  try {
    const r = await c.connect();
    const vip = r.config?.preferredIp4;
    if (r.child === undefined || vip === undefined) throw new Error('no CHILD_SA or virtual IP');
    out({ phase: 'up', vip, spiIn: r.child.params.spiIn, spiOut: r.child.params.spiOut });
    const src = ipToBytes(vip);
    const dst = ipToBytes(a.innerHost);
    const refused: number[] = [];
    const t0 = performance.now();
    let rekeyed = false;
    for (let i = 0; i < a.probes; i++) {
      if (!rekeyed && performance.now() - t0 >= a.rekeyAtMs) {
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
    const st = c.status();
    out({ phase: 'done', sent: a.probes, refused, echoes, rekeys, dataplane: st?.dataplane, udp: st?.udp, natLocal: st?.natLocal, natRemote: st?.natRemote, natKeepaliveMs: st?.natKeepaliveMs, children: st?.children.map((x) => x.params.spiIn) });
    await c.close();
    out({ phase: 'closed', state: c.status()?.state });
  } catch (e) {
    out({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
    await c.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

void main();
