/**
 * The child-process side of the live tests (`interop/ike/connect-kite.ts`,
 * `interop/datapath/live-datapath.ts`, `interop/esp/live-esp.ts`): the {@link KiteClient} options
 * every driver uses against the lab's strongSwan responder (certificate auth as
 * `client@example.test` to `gw.example.test`, a virtual IPv4 address, the inner network as remote
 * traffic selector) and the JSON-line output the test reads back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KiteClientOptions } from '../../src/client/kite-client.js';
import { IdType } from '../../src/iana/ikev2.js';
import { ipToBytes } from '../../src/ike/addr.js';
import { buildProposals } from '../../src/ike/proposal.js';
import type { TrafficSelector } from '../../src/wire/payloads/ts.js';
import { createPeerTrust } from '../../src/pki/trust.js';

/** The inner network behind the lab gateway (LAB_DEFAULTS.innerNetwork as a range). */
export const LAB_INNER_RANGE = { start: '10.99.0.0', end: '10.99.0.255' } as const;

/** Where and as whom a live Kite client connects. */
export interface LiveClientArgs {
  /** Directory of the test PKI (`ca.crt.pem`, `<clientCert>.crt.pem`, `<clientCert>.key.pem`). */
  readonly pkiDir: string;
  /** Our outer address in the initiator namespace. */
  readonly local: string;
  /** The responder's outer address. */
  readonly remote: string;
  /** Remote traffic selector (default {@link LAB_INNER_RANGE}). */
  readonly innerNetwork?: { readonly start: string; readonly end: string };
  /** IKE proposals (default: Kite's). */
  readonly ikeProposals?: readonly string[];
  /** ESP proposals (default: Kite's). */
  readonly espProposals?: readonly string[];
  /** Our certificate and key base name in the PKI directory (default `client`). */
  readonly clientCert?: string;
  /** Our IDi (default client@example.test). */
  readonly localId?: string;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function ipv4Range(start: string, end: string): TrafficSelector {
  return { tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(start), endAddress: ipToBytes(end) };
}

/** The client options of a live driver; callers add their own (e.g. `onEsp`) by spreading. */
export function liveClientOptions(a: LiveClientArgs): KiteClientOptions {
  const der = (f: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(join(a.pkiDir, f))).raw);
  const cert = a.clientCert ?? 'client';
  const inner = a.innerNetwork ?? LAB_INNER_RANGE;
  return {
    remote: { address: a.remote },
    localAddress: a.local,
    ikeProposals: buildProposals({ protocol: 'ike', ...(a.ikeProposals === undefined ? {} : { proposals: a.ikeProposals }) }),
    espProposals: buildProposals({ protocol: 'esp', ...(a.espProposals === undefined ? {} : { proposals: a.espProposals }) }),
    localId: { idType: IdType.ID_RFC822_ADDR, data: text(a.localId ?? 'client@example.test') },
    remoteId: { idType: IdType.ID_FQDN, data: text('gw.example.test') },
    privateKey: createPrivateKey(readFileSync(join(a.pkiDir, `${cert}.key.pem`))),
    certificates: [der(`${cert}.crt.pem`)],
    trust: createPeerTrust({ cas: [der('ca.crt.pem')] }),
    tsLocal: [ipv4Range('0.0.0.0', '255.255.255.255')],
    tsRemote: [ipv4Range(inner.start, inner.end)],
    virtualIp: { ip4: true, ip6: false },
    dpdDelayMs: 0,
  };
}

/** Arguments of the echo drivers (datapath, ESP): probes to the echo service behind the gateway. */
export interface EchoProbeArgs {
  readonly pkiDir: string;
  readonly local: string;
  readonly remote: string;
  /** The inner host running the echo service. */
  readonly innerHost: string;
  /** Its UDP port. */
  readonly echoPort: number;
  /** The one ESP proposal offered (IKE: aes256-sha256-prfsha256-modp2048). */
  readonly espProposal: string;
  /** Probes to send. */
  readonly probes: number;
}

/** The client options of an echo driver: {@link liveClientOptions} with its proposals. */
export function echoClientOptions(a: EchoProbeArgs): KiteClientOptions {
  return liveClientOptions({ pkiDir: a.pkiDir, local: a.local, remote: a.remote, ikeProposals: ['aes256-sha256-prfsha256-modp2048'], espProposals: [a.espProposal] });
}

/** Prints `o` as one JSON line on stdout, the form the live tests parse. */
export function printLine(o: unknown): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}
