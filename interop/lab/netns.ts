/**
 * Network namespaces for the lab: two peers joined by a veth pair on a documentation prefix.
 *
 * ```
 *  [ns <prefix>-i] eth0 192.0.2.1/24  <-- veth -->  eth0 192.0.2.2/24 [ns <prefix>-r]
 *                                                   lo   10.99.0.1/32 (protected inner host)
 * ```
 */
import { run } from './proc.js';
import type { Lab } from './lab.js';

/** One end of the lab network. */
export interface LabNode {
  /** Network namespace name (created by this run). */
  readonly ns: string;
  /** Interface name inside the namespace. */
  readonly iface: string;
  /** Outer address (documentation range). */
  readonly address: string;
  /** Prefixes `cmd` with `ip netns exec <ns>`. */
  exec(cmd: readonly string[]): string[];
}

/** The two-namespace lab network. */
export interface LabNetwork {
  /** The initiator side. */
  readonly initiator: LabNode;
  /** The responder side. */
  readonly responder: LabNode;
  /** Inner host address on the responder's loopback, reachable through the tunnel. */
  readonly innerAddress: string;
}

/** Addresses used by {@link createLabNetwork} unless overridden. */
export const LAB_DEFAULTS = {
  initiatorAddress: '192.0.2.1',
  responderAddress: '192.0.2.2',
  prefixLength: 24,
  innerAddress: '10.99.0.1',
  innerNetwork: '10.99.0.0/24',
  vipPool: '10.99.1.0/28',
} as const;

/** Options for {@link createLabNetwork}. */
export interface LabNetworkOptions {
  /** Initiator's outer address (default {@link LAB_DEFAULTS.initiatorAddress}). */
  readonly initiatorAddress?: string;
  /** Responder's outer address (default {@link LAB_DEFAULTS.responderAddress}). */
  readonly responderAddress?: string;
  /** Inner host on the responder's loopback (default {@link LAB_DEFAULTS.innerAddress}). */
  readonly innerAddress?: string;
}

function node(ns: string, iface: string, address: string): LabNode {
  return { ns, iface, address, exec: (cmd) => ['ip', 'netns', 'exec', ns, ...cmd] };
}

/**
 * Creates `<prefix>-i` and `<prefix>-r`, a veth pair between them and the addresses; registers
 * their deletion (by name) with the lab before anything else is configured inside them.
 */
export async function createLabNetwork(lab: Lab, opts: LabNetworkOptions = {}): Promise<LabNetwork> {
  const nsI = `${lab.prefix}-i`;
  const nsR = `${lab.prefix}-r`;
  const initiator = node(nsI, 'eth0', opts.initiatorAddress ?? LAB_DEFAULTS.initiatorAddress);
  const responder = node(nsR, 'eth0', opts.responderAddress ?? LAB_DEFAULTS.responderAddress);
  const innerAddress = opts.innerAddress ?? LAB_DEFAULTS.innerAddress;
  for (const ns of [nsI, nsR]) {
    await run(['ip', 'netns', 'add', ns]);
    lab.defer(`delete netns ${ns}`, async () => {
      await run(['ip', 'netns', 'delete', ns]);
    });
    // No IPv6 chatter (router solicitations, MLD) in the captures.
    for (const key of ['all', 'default']) {
      await run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
    }
  }
  // The veth pair is created inside the namespaces, so deleting them removes it too.
  await run(['ip', '-n', nsI, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', nsR]);
  const plen = LAB_DEFAULTS.prefixLength;
  for (const n of [initiator, responder]) {
    await run(['ip', '-n', n.ns, 'addr', 'add', `${n.address}/${plen}`, 'dev', n.iface]);
    await run(['ip', '-n', n.ns, 'link', 'set', n.iface, 'up']);
    await run(['ip', '-n', n.ns, 'link', 'set', 'lo', 'up']);
  }
  await run(['ip', '-n', nsR, 'addr', 'add', `${innerAddress}/32`, 'dev', 'lo']);
  return { initiator, responder, innerAddress };
}
