/**
 * The capture scenario for one suite: two charons (initiator with a virtual IP request, responder
 * with a pool), IKE_SA_INIT + fragmented IKE_AUTH with RSA-2048 certificates over NAT-T, ESP
 * traffic, CHILD_SA rekey, IKE_SA rekey, DPD, delete. Everything is captured on the initiator's
 * veth, and both charons log every derived key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCharon, type Charon } from './charon.js';
import { startCapture } from './capture.js';
import type { Lab } from './lab.js';
import { createLabNetwork, LAB_DEFAULTS, type LabNetwork } from './netns.js';
import { TEST_PKI, type TestPkiPaths } from './pki.js';
import { run, sleep, startProcess, waitFor, type Daemon } from './proc.js';
import type { CaptureSuite } from './suites.js';

/** Port of the UDP echo service on the responder's inner address. */
export const ECHO_PORT = 7777;

/** IKE SA SPIs as 16 hex digits. */
export interface IkeSpis {
  readonly spiI: string;
  readonly spiR: string;
}

/** What the scenario observed, for meta.json. */
export interface ScenarioResult {
  /** The pcap, in the lab's scratch directory. */
  readonly pcapPath: string;
  /** Full text of both charon logs (charons stopped, logs complete). */
  readonly initiatorLog: string;
  readonly responderLog: string;
  /** SPIs of the first IKE SA and of the one that replaced it. */
  readonly ikeSpis: readonly IkeSpis[];
  /** Virtual IP the responder's pool handed out. */
  readonly virtualIp: string;
  /** The network used. */
  readonly network: LabNetwork;
  /** The steps, in order, with wall-clock offsets in ms from capture start. */
  readonly steps: readonly { readonly step: string; readonly atMs: number }[];
}

/** Proposals for {@link responderSwanctlConf} / {@link initiatorSwanctlConf}. */
export type Proposals = Pick<CaptureSuite, 'ikeProposal' | 'espProposal'>;

/**
 * swanctl.conf of the lab responder (`rw`): RSA certificate auth as `gw.example.test`, pool
 * {@link LAB_DEFAULTS.vipPool}, CHILD `net` protecting {@link LAB_DEFAULTS.innerNetwork}.
 */
export function responderSwanctlConf(suite: Proposals, net: LabNetwork): string {
  return `connections {
  rw {
    version = 2
    local_addrs = ${net.responder.address}
    proposals = ${suite.ikeProposal}
    fragmentation = yes
    send_certreq = yes
    pools = pool4
    local {
      auth = pubkey
      certs = ${TEST_PKI.files.gatewayCert}
      id = ${TEST_PKI.gatewayId}
    }
    remote {
      auth = pubkey
      id = ${TEST_PKI.clientId}
    }
    children {
      net {
        local_ts = ${LAB_DEFAULTS.innerNetwork}
        esp_proposals = ${suite.espProposal}
      }
    }
  }
}
pools {
  pool4 {
    addrs = ${LAB_DEFAULTS.vipPool}
  }
}
`;
}

/**
 * swanctl.conf of the lab initiator (`home`): RSA certificate auth as `client@example.test`,
 * `vips = 0.0.0.0`, `dpd_delay = 2s`, CHILD `net` to {@link LAB_DEFAULTS.innerNetwork}.
 */
export function initiatorSwanctlConf(suite: Proposals, net: LabNetwork): string {
  return `connections {
  home {
    version = 2
    local_addrs = ${net.initiator.address}
    remote_addrs = ${net.responder.address}
    proposals = ${suite.ikeProposal}
    fragmentation = yes
    vips = 0.0.0.0
    dpd_delay = 2s
    local {
      auth = pubkey
      certs = ${TEST_PKI.files.clientCert}
      id = ${TEST_PKI.clientId}
    }
    remote {
      auth = pubkey
      id = ${TEST_PKI.gatewayId}
    }
    children {
      net {
        remote_ts = ${LAB_DEFAULTS.innerNetwork}
        esp_proposals = ${suite.espProposal}
      }
    }
  }
}
`;
}

const ECHO_SERVER = `const s=require('node:dgram').createSocket('udp4');
s.on('message',(m,r)=>s.send(m,r.port,r.address));
s.bind(Number(process.argv[2]),process.argv[1]);`;

const ECHO_CLIENT = `const [,src,dst,port,count,tag]=process.argv;const n=Number(count);
const s=require('node:dgram').createSocket('udp4');let got=0;
const t=setTimeout(()=>{console.error('echo: '+got+' of '+n+' answered');process.exit(1);},4000);
s.on('message',()=>{if(++got===n){clearTimeout(t);s.close();}});
s.bind({address:src},()=>{let i=0;const tick=()=>{s.send(Buffer.from('kite esp probe '+tag+' '+i),Number(port),dst);if(++i<n)setTimeout(tick,20);};tick();});`;

/** Parsed subset of `swanctl --list-sas --raw`. */
interface SaView {
  readonly ikeSas: readonly { readonly spiI: string; readonly spiR: string; readonly state: string; readonly vips: string }[];
  readonly childSpisIn: readonly string[];
}

/**
 * Starts the UDP echo service on the responder's inner address, port {@link ECHO_PORT}; registers
 * its stop (by PID) with the lab.
 */
export function startEchoServer(lab: Lab, net: LabNetwork): Daemon {
  const echo = startProcess(net.responder.exec([process.execPath, '-e', ECHO_SERVER, net.innerAddress, String(ECHO_PORT)]));
  lab.defer(`stop echo server (pid ${echo.pid})`, () => echo.stop());
  return echo;
}

async function listSas(c: Charon): Promise<SaView> {
  const out = (await c.swanctl(['--list-sas', '--raw'])).stdout;
  const ikeSas = out
    .split('\n')
    .filter((l) => l.startsWith('list-sa event'))
    .map((l) => ({
      spiI: /initiator-spi=([0-9a-f]+)/.exec(l)?.[1] ?? '',
      spiR: /responder-spi=([0-9a-f]+)/.exec(l)?.[1] ?? '',
      state: /version=2 state=(\w+)/.exec(l)?.[1] ?? '',
      vips: /local-vips=\[([^\]]*)\]/.exec(l)?.[1] ?? '',
    }));
  const childSpisIn = [...out.matchAll(/spi-in=([0-9a-f]+)/g)].map((m) => m[1] ?? '');
  return { ikeSas, childSpisIn };
}

async function logHas(c: Charon, re: RegExp, after = 0): Promise<boolean> {
  const text = await readFile(c.logPath, 'utf8');
  return re.test(text.slice(after));
}

/** Runs the whole scenario for `suite` inside `lab`; the caller closes the lab. */
export async function runScenario(lab: Lab, suite: CaptureSuite, pki: TestPkiPaths): Promise<ScenarioResult> {
  const net = await createLabNetwork(lab);
  const responder = await startCharon(lab, {
    name: 'responder',
    node: net.responder,
    swanctlConf: responderSwanctlConf(suite, net),
    certs: [pki.gatewayCert],
    caCerts: [pki.caCert],
    privateKeys: [pki.gatewayKey],
  });
  const initiator = await startCharon(lab, {
    name: 'initiator',
    node: net.initiator,
    swanctlConf: initiatorSwanctlConf(suite, net),
    certs: [pki.clientCert],
    caCerts: [pki.caCert],
    privateKeys: [pki.clientKey],
  });
  startEchoServer(lab, net);

  const pcapPath = join(lab.workdir, 'capture.pcap');
  const capture = await startCapture(lab, net.initiator, pcapPath);
  const t0 = Date.now();
  const steps: { step: string; atMs: number }[] = [];
  const step = (s: string): void => {
    steps.push({ step: s, atMs: Date.now() - t0 });
  };

  step('initiate');
  await initiator.swanctl(['--initiate', '--child', 'net', '--timeout', '10']);
  const first = await listSas(initiator);
  const ike1 = first.ikeSas[0];
  if (ike1 === undefined || first.childSpisIn.length !== 1) throw new Error('no IKE/CHILD SA after initiate');
  const virtualIp = ike1.vips.trim();
  const echoes = async (tag: string): Promise<void> => {
    step(`esp traffic ${tag}`);
    await run(net.initiator.exec([process.execPath, '-e', ECHO_CLIENT, virtualIp, net.innerAddress, String(ECHO_PORT), '3', tag]));
  };
  await echoes('child-1');

  step('rekey child');
  const beforeRekey = (await readFile(initiator.logPath, 'utf8')).length;
  await initiator.swanctl(['--rekey', '--child', 'net']);
  // Done once the old CHILD_SA's Delete was answered (the old SA then lingers for
  // delete_rekeyed_delay, so list-sas is no signal).
  await waitFor('CHILD_SA rekey', async () =>
    (await logHas(initiator, /parsed INFORMATIONAL response \d+ \[ D \]/, beforeRekey)) ? true : undefined,
  );
  await echoes('child-2');

  step('rekey ike');
  await initiator.swanctl(['--rekey', '--ike', 'home']);
  const ike2 = await waitFor('IKE_SA rekey', async () => {
    const v = await listSas(initiator);
    const sa = v.ikeSas[0];
    return v.ikeSas.length === 1 && sa !== undefined && sa.spiI !== ike1.spiI && sa.state === 'ESTABLISHED' ? sa : undefined;
  });

  step('wait for dpd');
  // Message IDs restart at 0 on the new IKE SA; its first exchange is the DPD after dpd_delay.
  await waitFor(
    'DPD exchange',
    async () => ((await logHas(initiator, /parsed INFORMATIONAL response 0 \[ \]/)) ? true : undefined),
    8_000,
  );

  step('terminate');
  await initiator.swanctl(['--terminate', '--ike', 'home', '--timeout', '10']);
  await waitFor('responder to delete the IKE SA', async () => ((await listSas(responder)).ikeSas.length === 0 ? true : undefined));
  await sleep(200);
  await capture.stop();
  await initiator.stop();
  await responder.stop();
  step('done');
  return {
    pcapPath,
    initiatorLog: await readFile(initiator.logPath, 'utf8'),
    responderLog: await readFile(responder.logPath, 'utf8'),
    ikeSpis: [
      { spiI: ike1.spiI, spiR: ike1.spiR },
      { spiI: ike2.spiI, spiR: ike2.spiR },
    ],
    virtualIp,
    network: net,
    steps,
  };
}
