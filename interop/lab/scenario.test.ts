/**
 * Live check of the lab itself: the full capture scenario between two strongSwan charons runs,
 * both ends derive the same keys, and tshark decrypts the capture with the key tables built from
 * the logs. Needs root and strongSwan (CI has both); skipped otherwise.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossCheckedKeys } from './fixture.js';
import { STRONGSWAN_FIXTURES_DIR } from './fixtures.js';
import { withLab } from './lab.js';
import { canRunLive } from './live.js';
import { ensureTestPki } from './pki.js';
import { runScenario } from './scenario.js';
import { CAPTURE_SUITES } from './suites.js';
import { allDecrypted, tsharkDissect, tsharkEspPackets, tsharkIkeMessages } from './tshark.js';
import { espSaTable, ikev2DecryptionTable } from './wireshark-keys.js';

describe.skipIf(!canRunLive())('strongSwan lab scenario (live)', () => {
  it('runs IKE_SA_INIT..delete between two charons and tshark decrypts it with the logged keys', async () => {
    const suite = CAPTURE_SUITES.find((s) => s.id === 'aes128gcm16-ecp256');
    if (suite?.wireshark === undefined) throw new Error('suite missing');
    const names = suite.wireshark;
    await withLab(async (lab) => {
      const pki = await ensureTestPki(join(STRONGSWAN_FIXTURES_DIR, 'pki'), lab.workdir);
      const res = await runScenario(lab, suite, pki);
      const keys = crossCheckedKeys(res.initiatorLog, res.responderLog);
      expect(keys.ike).toHaveLength(2);
      expect(keys.child).toHaveLength(2);
      const keysDir = join(lab.workdir, 'keys');
      await mkdir(keysDir);
      const sas = res.ikeSpis.map((s, i) => {
        const k = keys.ike[i];
        if (k === undefined) throw new Error(`no keys logged for IKE SA ${i}`);
        return { ...s, keys: k };
      });
      await writeFile(join(keysDir, 'ikev2_decryption_table'), ikev2DecryptionTable(sas, names));
      const ends = { initiator: res.network.initiator.address, responder: res.network.responder.address };
      await writeFile(join(keysDir, 'esp_sa'), espSaTable(keys.child, ends, names));
      const packets = await tsharkDissect(res.pcapPath, { keysDir });
      const ike = tsharkIkeMessages(packets);
      expect(ike).toHaveLength(18);
      expect(allDecrypted(ike)).toBe(true);
      const esp = tsharkEspPackets(packets);
      expect(esp).toHaveLength(12);
      expect(esp.every((p) => p.decryptedHex !== undefined)).toBe(true);
    });
  });
});
