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
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncrId } from '../../src/iana/ikev2.js';
import { withLab } from '../lab/lab.js';
import { canRunLive, startKite, startLiveLab } from '../lab/live.js';
import { ECHO_PORT, startEchoServer } from '../lab/scenario.js';
import type { LiveEspArgs } from './live-esp.js';

const SCRIPT = resolve(import.meta.dirname, 'live-esp.ts');
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

describe.skipIf(!canRunLive())('Kite ESP vs strongSwan libipsec (live)', () => {
  it('every suite: libipsec decrypts Kite\'s probes and Kite decrypts libipsec\'s echoes', async () => {
    await withLab(async (lab) => {
      const live = await startLiveLab(lab, { ikeProposal: 'aes256-sha256-prfsha256-modp2048', espProposal: SUITES.map(([s]) => s).join(',') });
      const { net } = live;
      startEchoServer(lab, net);
      for (const [espProposal, encrId] of SUITES) {
        const args: LiveEspArgs = { ...live.client, innerHost: net.innerAddress, echoPort: ECHO_PORT, espProposal, probes: 5 };
        const kite = startKite<EspLine>(lab, net.initiator, SCRIPT, args);
        const line = await kite.until('esp', 25_000, `kite esp ${espProposal}`);
        await kite.daemon.exited;
        expect([espProposal, line.phase, line.message]).toEqual([espProposal, 'esp', undefined]);
        expect(line.encrId).toBe(encrId);
        expect([espProposal, line.echoes]).toEqual([espProposal, [0, 1, 2, 3, 4].map((i) => `kite live esp ${i}`)]);
        expect(line.stats?.packetsOut).toBe(5); // the replay is a re-sent copy, not a new packet
        expect(line.stats?.packetsIn).toBe(5);
      }
    });
  });
});
