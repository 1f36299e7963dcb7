/**
 * Live: Kite's ESP dataplane against strongSwan's libipsec. A Kite client (IKE by the ike/ helper,
 * in the initiator namespace) negotiates each ESP suite with a strongSwan responder; Kite then
 * encrypts UDP probes from its virtual IP to the echo service on the responder's inner address,
 * libipsec decrypts them onto its TUN, the echoes come back through libipsec's ESP and Kite
 * decrypts them. Every probe must be echoed exactly once (a replayed packet is not), for every
 * suite, including ChaCha20-Poly1305, which tshark 4.0 cannot judge. libipsec has no ESN (charon
 * answers an ESN-only proposal with NO_PROPOSAL_CHOSEN), so ESN is judged in tshark-esp.test.ts.
 * Needs root and strongSwan; skipped otherwise (CI runs as root with strongSwan installed).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncrId } from '../../src/iana/ikev2.js';
import { startCharon } from '../lab/charon.js';
import { STRONGSWAN_FIXTURES_DIR } from '../lab/fixtures.js';
import { withLab } from '../lab/lab.js';
import { createLabNetwork } from '../lab/netns.js';
import { ensureTestPki } from '../lab/pki.js';
import { startProcess, waitFor } from '../lab/proc.js';
import { responderSwanctlConf } from '../lab/scenario.js';
import type { LiveEspArgs } from './live-esp.js';

const canRun = process.getuid?.() === 0 && existsSync('/usr/lib/ipsec/charon');
const SCRIPT = resolve(import.meta.dirname, 'live-esp.ts');
const ECHO_PORT = 7777;
const ECHO_SERVER = `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(m,r.port,r.address));s.bind(Number(process.argv[2]),process.argv[1]);`;
const SUITES = [
  ['aes256gcm16', EncrId.ENCR_AES_GCM_16],
  ['aes128gcm16', EncrId.ENCR_AES_GCM_16],
  ['chacha20poly1305', EncrId.ENCR_CHACHA20_POLY1305],
  ['aes256-sha256', EncrId.ENCR_AES_CBC],
  ['aes128-sha1', EncrId.ENCR_AES_CBC],
  ['aes256-sha512', EncrId.ENCR_AES_CBC],
] as const;

interface EspLine {
  readonly phase: string;
  readonly message?: string;
  readonly encrId?: number;
  readonly echoes?: readonly string[];
  readonly stats?: { readonly packetsOut: number; readonly packetsIn: number; readonly drops: Readonly<Record<string, number>> };
}

describe.skipIf(!canRun)('Kite ESP vs strongSwan libipsec (live)', () => {
  it('every suite: libipsec decrypts Kite\'s probes and Kite decrypts libipsec\'s echoes', async () => {
    await withLab(async (lab) => {
      const pkiDir = join(STRONGSWAN_FIXTURES_DIR, 'pki');
      const pki = await ensureTestPki(pkiDir, lab.workdir);
      const net = await createLabNetwork(lab);
      await startCharon(lab, {
        name: 'responder',
        node: net.responder,
        swanctlConf: responderSwanctlConf({ ikeProposal: 'aes256-sha256-prfsha256-modp2048', espProposal: SUITES.map(([s]) => s).join(',') }, net),
        certs: [pki.gatewayCert],
        caCerts: [pki.caCert],
        privateKeys: [pki.gatewayKey],
      });
      const echo = startProcess(net.responder.exec([process.execPath, '-e', ECHO_SERVER, net.innerAddress, String(ECHO_PORT)]));
      lab.defer(`stop echo server (pid ${echo.pid})`, () => echo.stop());
      for (const [espProposal, encrId] of SUITES) {
        const args: LiveEspArgs = { pkiDir, local: net.initiator.address, remote: net.responder.address, innerHost: net.innerAddress, echoPort: ECHO_PORT, espProposal, probes: 5 };
        const kite = startProcess(net.initiator.exec([process.execPath, '--import', 'tsx', SCRIPT, JSON.stringify(args)]));
        lab.defer(`stop kite (pid ${kite.pid})`, () => kite.stop());
        const line = await waitFor(`kite esp ${espProposal}`, () => kite.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as EspLine).find((l) => l.phase === 'esp' || l.phase === 'error'), 25_000);
        await kite.exited;
        expect([espProposal, line.phase, line.message]).toEqual([espProposal, 'esp', undefined]);
        expect(line.encrId).toBe(encrId);
        expect([espProposal, line.echoes]).toEqual([espProposal, [0, 1, 2, 3, 4].map((i) => `kite live esp ${i}`)]);
        expect(line.stats?.packetsOut).toBe(5); // the replay is a re-sent copy, not a new packet
        expect(line.stats?.packetsIn).toBe(5);
      }
    });
  });
});
