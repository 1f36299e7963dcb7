/**
 * The test side of the live interop tests (Kite against a strongSwan responder): whether they can
 * run here, the lab network with the test PKI and a responder charon, a Kite driver process in the
 * initiator namespace and the JSON lines it prints, and the checks the tests share. Everything
 * started here is registered with the lab, so `withLab` undoes it by name or PID, also when
 * the test fails.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CHARON_BINARY, startCharon, type Charon } from './charon.js';
import { STRONGSWAN_FIXTURES_DIR } from './fixtures.js';
import type { Lab } from './lab.js';
import { createLabNetwork, type LabNetwork, type LabNode } from './netns.js';
import { ensureTestPki, TEST_PKI, type TestPkiPaths } from './pki.js';
import { startProcess, waitFor, type Daemon } from './proc.js';
import { responderSwanctlConf, type Proposals } from './scenario.js';

/** True when the live tests can run here: as root, with strongSwan's charon installed. */
export function canRunLive(): boolean {
  return process.getuid?.() === 0 && existsSync(CHARON_BINARY);
}

/** The responder of a live test: its proposals, and whether it authenticates with the ECDSA certificate. */
export interface LiveResponderOptions extends Proposals {
  /** Use the ECDSA P-256 gateway certificate instead of the RSA one (default false). */
  readonly ecdsa?: boolean;
}

/** A live test's lab: the network, the test PKI and the strongSwan responder on it. */
export interface LiveLab {
  /** The two namespaces. */
  readonly net: LabNetwork;
  /** Directory of the committed test PKI (the Kite driver reads its certificates there). */
  readonly pkiDir: string;
  /** The test PKI files. */
  readonly pki: TestPkiPaths;
  /** The responder's charon. */
  readonly charon: Charon;
  /** What every Kite driver needs to reach the responder: `{ pkiDir, local, remote }`. */
  readonly client: { readonly pkiDir: string; readonly local: string; readonly remote: string };
  /** The responder's charon log so far. */
  log(): Promise<string>;
  /** `swanctl --list-sas --raw` at the responder. */
  listSas(): Promise<string>;
}

/**
 * Creates the lab network, makes sure the test PKI exists and starts a strongSwan responder
 * (`rw`, CHILD `net`) with `opts`' proposals in the responder namespace.
 */
export async function startLiveLab(lab: Lab, opts: LiveResponderOptions): Promise<LiveLab> {
  const pkiDir = join(STRONGSWAN_FIXTURES_DIR, 'pki');
  const pki = await ensureTestPki(pkiDir, lab.workdir);
  const net = await createLabNetwork(lab);
  const ecdsa = opts.ecdsa ?? false;
  const conf = responderSwanctlConf(opts, net);
  const charon = await startCharon(lab, {
    name: 'responder',
    node: net.responder,
    swanctlConf: ecdsa ? conf.replace(TEST_PKI.files.gatewayCert, TEST_PKI.files.gatewayEcdsaCert) : conf,
    certs: [ecdsa ? pki.gatewayEcdsaCert : pki.gatewayCert],
    caCerts: [pki.caCert],
    privateKeys: [ecdsa ? pki.gatewayEcdsaKey : pki.gatewayKey],
  });
  return {
    net,
    pkiDir,
    pki,
    charon,
    client: { pkiDir, local: net.initiator.address, remote: net.responder.address },
    log: () => readFile(charon.logPath, 'utf8'),
    listSas: async () => (await charon.swanctl(['--list-sas', '--raw'])).stdout,
  };
}

/** One JSON line of a Kite driver (`up`, `alive`, `done`, `closed`, `error`, …). */
export interface KiteLine {
  readonly phase: string;
  readonly [k: string]: unknown;
}

/** The JSON lines (those starting with `{`) in a driver's output. */
export function jsonLines<L extends { readonly phase: string } = KiteLine>(text: string): L[] {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as L);
}

/** A Kite driver process started by {@link startKite}. */
export interface KiteDriver<L extends { readonly phase: string }> {
  /** The process (stopped by PID when the lab closes). */
  readonly daemon: Daemon;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its JSON lines so far. */
  lines(): L[];
  /** Waits up to `timeoutMs` for its first line in phase `phase` or `error`. */
  until(phase: string, timeoutMs: number, what?: string): Promise<L>;
  /** Waits for it to exit; returns all its JSON lines. */
  finished(): Promise<L[]>;
}

/**
 * Runs the driver `script` (`node --import tsx <script> '<json args>'`) in `node`'s namespace and
 * registers its stop (by PID) with the lab.
 */
export function startKite<L extends { readonly phase: string } = KiteLine>(lab: Lab, node: LabNode, script: string, args: object): KiteDriver<L> {
  const daemon = startProcess(node.exec([process.execPath, '--import', 'tsx', script, JSON.stringify(args)]));
  lab.defer(`stop kite (pid ${daemon.pid})`, () => daemon.stop());
  const lines = (): L[] => jsonLines<L>(daemon.output());
  return {
    daemon,
    output: () => daemon.output(),
    lines,
    until: (phase, timeoutMs, what = `kite ${phase}`) => waitFor(what, () => lines().find((l) => l.phase === phase || l.phase === 'error'), timeoutMs),
    finished: async () => {
      await daemon.exited;
      return lines();
    },
  };
}

/** An SPI as charon logs it: 8 hex digits. */
export function spiHex(spi: number): string {
  return spi.toString(16).padStart(8, '0');
}

/** How charon logs a CHILD_SA's SPIs (its inbound is Kite's outbound): `SPIs <out>_i <in>_o`. */
export function charonSpis(child: { readonly spiIn: number; readonly spiOut: number }): string {
  return `SPIs ${spiHex(child.spiOut)}_i ${spiHex(child.spiIn)}_o`;
}

/** How many IKE SAs a `swanctl --list-sas --raw` listing holds. */
export function ikeSaCount(listing: string): number {
  return (listing.match(/list-sa event/g) ?? []).length;
}

/** Asserts that the driver printed a `closed` line with state `closed`. */
export function expectClosed(lines: readonly KiteLine[]): void {
  expect(lines.find((l) => l.phase === 'closed')?.state).toBe('closed');
}
