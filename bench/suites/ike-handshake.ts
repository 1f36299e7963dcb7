/**
 * The initiator's CPU cost of one complete IKE_SA_INIT + IKE_AUTH (with CP and the first
 * CHILD_SA), measured in-process against the test responder: only the time spent inside the
 * initiator's calls counts. RSA-2048 and ECDSA P-256 certificates, each KE group; plus one row per
 * certificate type with the peer's chain check memoized, which isolates the protocol core from the
 * certificate parsing in pki/. The openssl reference is one sign + verify, the floor of AUTH.
 */
import { KeGroup, keGroupNames } from '../../src/iana/ikev2.js';
import { nameOf } from '../../src/iana/names.js';
import type { KeyObject } from 'node:crypto';
import type { PeerTrust } from '../../src/ike/config.js';
import { Harness, ikeProposals, testCert } from '../../src/ike/testing/harness.testkit.js';
import { createPeerTrust } from '../../src/pki/trust.js';
import type { BenchContext, BenchRow } from '../harness.js';

const GROUPS = [
  { group: KeGroup.CURVE25519, keyword: 'x25519' },
  { group: KeGroup.ECP_256, keyword: 'ecp256' },
  { group: KeGroup.MODP_2048, keyword: 'modp2048' },
] as const;

const CERTS = [
  { name: 'RSA-2048', client: 'client', gw: 'gw' },
  { name: 'ECDSA-P256', client: 'client-ecdsa', gw: 'gw-ecdsa' },
] as const;

/** Peer verification done once and remembered: isolates the protocol core's own cost. */
function memoTrust(inner: PeerTrust): PeerTrust {
  const seen = new Map<string, KeyObject>();
  return {
    certreqData: inner.certreqData,
    verifyPeer(certs, idr, now) {
      const key = Buffer.from(certs[0] ?? new Uint8Array(0)).toString('base64');
      const hit = seen.get(key);
      if (hit !== undefined) return hit;
      const k = inner.verifyPeer(certs, idr, now);
      seen.set(key, k);
      return k;
    },
  };
}

function oneHandshakeMs(keyword: string, certs: { client: string; gw: string }, trust?: PeerTrust): number {
  const h = new Harness({ ikeProposals: ikeProposals(`aes256gcm16-prfsha256-${keyword}`), ...(trust === undefined ? {} : { trust }) }, {}, certs).start();
  if (h.initiator.status().state !== 'established') throw new Error(`bench: handshake failed: ${JSON.stringify(h.eventsOf('failed').map((e) => e.error.message))}`);
  return Number(h.initiatorNs) / 1e6;
}

/** Run the handshake figures. */
export function run(ctx: BenchContext): Promise<readonly BenchRow[]> {
  const rows: BenchRow[] = [];
  const memo = memoTrust(createPeerTrust({ cas: [testCert('ca')] }));
  for (const c of CERTS) {
    for (const g of [...GROUPS, { ...GROUPS[0], memo: true }] as const) {
      const trust = 'memo' in g ? memo : undefined;
      oneHandshakeMs(g.keyword, c, trust); // warm-up
      const samples: number[] = [];
      const start = performance.now();
      do samples.push(oneHandshakeMs(g.keyword, c, trust));
      while (performance.now() - start < Math.max(ctx.minMs, 1) * 3 && samples.length < 200);
      samples.sort((a, b) => a - b);
      const median = samples[Math.floor(samples.length / 2)] ?? 0;
      const refAlg = c.name === 'RSA-2048' ? 'rsa2048' : 'ecdsap256';
      const refName = `openssl speed ${refAlg}: one sign + one verify`;
      const ops = ctx.openssl.pkeyOps(refAlg);
      const refOpsPerSec = ops.sign !== undefined && ops.verify !== undefined ? 1 / (1 / ops.sign + 1 / ops.verify) : undefined;
      rows.push({
        suite: 'ike-handshake',
        name: `IKE_SA_INIT+IKE_AUTH initiator CPU, ${c.name} certs, ${nameOf(keGroupNames, g.group)}${'memo' in g ? ', chain check memoized' : ''}`,
        opsPerSec: 1000 / median,
        unit: 'handshake',
        ...(refOpsPerSec === undefined ? {} : { refOpsPerSec, refName }),
        extra: { medianMs: median, minMs: samples[0] ?? 0, samples: samples.length },
      });
    }
  }
  return Promise.resolve(rows);
}
