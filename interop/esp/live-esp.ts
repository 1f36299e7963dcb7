/**
 * Child-process driver for the live ESP test: inside the initiator's namespace, a {@link KiteClient}
 * brings up an IKE SA and CHILD_SA with a strongSwan responder (kernel-libipsec), then Kite's
 * dataplane sends UDP probes from the virtual IP to the inner host's echo service through ESP on
 * the client's NAT-T socket and decrypts the echoes libipsec sends back. Prints one JSON line
 * (`esp` or `error`) and exits.
 */
import { KiteClient } from '../../src/client/kite-client.js';
import { ChildSa } from '../../src/esp/child-sa.js';
import { espDecap } from '../../src/esp/inbound.js';
import { espEncap } from '../../src/esp/outbound.js';
import { ipToBytes } from '../../src/ike/addr.js';
import { decodeIpUdp, encodeIpUdp } from '../../src/wire/ip.js';
import { echoClientOptions, printLine, type EchoProbeArgs } from '../lab/live-client.js';
import { sleep } from '../lab/proc.js';

/** Arguments (JSON in argv[2]). */
export type LiveEspArgs = EchoProbeArgs;

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function client(a: LiveEspArgs, onEsp: (p: Uint8Array) => void): KiteClient {
  return new KiteClient({ ...echoClientOptions(a), onEsp });
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as LiveEspArgs;
  let sa: ChildSa | undefined;
  const echoes: string[] = [];
  const c = client(a, (p) => {
    if (sa === undefined) return;
    const r = espDecap(sa, p, Date.now());
    if (typeof r !== 'string') echoes.push(new TextDecoder().decode(decodeIpUdp(r).payload));
  });
  try {
    const r = await c.connect();
    const vip = r.config?.preferredIp4;
    if (r.child === undefined || vip === undefined) throw new Error('no CHILD_SA or virtual IP');
    const params = r.child.params;
    const mine = new ChildSa(params);
    sa = mine;
    let first: Uint8Array | undefined;
    for (let i = 0; i < a.probes; i++) {
      const inner = encodeIpUdp({ src: ipToBytes(vip), dst: ipToBytes(a.innerHost), srcPort: 40000, dstPort: a.echoPort, payload: text(`kite live esp ${i}`) }, i);
      const pkt = espEncap(mine, inner, Date.now());
      if (typeof pkt === 'string') throw new Error(`espEncap: ${pkt}`);
      first ??= pkt.slice();
      c.sendEsp(pkt);
      await sleep(20);
    }
    if (first !== undefined) c.sendEsp(first); // a replay: libipsec must not deliver it again
    const deadline = Date.now() + 3000;
    while (echoes.length < a.probes && Date.now() < deadline) await sleep(20);
    await sleep(200);
    printLine({ phase: 'esp', encrId: params.encrId, integId: params.integId, esn: params.esn, spiIn: params.spiIn, spiOut: params.spiOut, echoes, stats: mine.stats });
    await c.close();
  } catch (e) {
    printLine({ phase: 'error', message: e instanceof Error ? e.message : String(e) });
    await c.close().catch(() => undefined);
    process.exitCode = 1;
  }
}

void main();
