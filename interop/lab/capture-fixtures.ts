/**
 * Captures the strongSwan fixtures of `vectors/strongswan/<suite>/` (issue 2 §5 "Real bytes").
 *
 * Usage (as root): node --import tsx interop/lab/capture-fixtures.ts [suite-id ...]
 *
 * For each suite: two charons in fresh network namespaces, the scenario of ./scenario.ts captured
 * on the initiator's veth, then capture.pcap, charon logs, Wireshark key tables, keys.json and
 * meta.json written, and checked: both logs derive the same keys, and tshark decrypts every SK/SKF
 * and ESP packet where tshark 4.0 supports the algorithm.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLab } from './lab.js';
import { ensureTestPki, TEST_PKI } from './pki.js';
import { runScenario } from './scenario.js';
import { CAPTURE_SUITES, type CaptureSuite } from './suites.js';
import {
  allDecrypted,
  payloadTypeSummary,
  tsharkDissect,
  tsharkEspPackets,
  tsharkIkeMessages,
  tsharkVersion,
} from './tshark.js';
import { espSaTable, ikev2DecryptionTable } from './wireshark-keys.js';
import { childKeysJson, crossCheckedKeys, espFramesJson, fixtureExchanges, ikeKeysJson } from './fixture.js';

/** Repository-relative command that regenerates the fixtures. */
export const REGENERATE_COMMAND = 'node --import tsx interop/lab/capture-fixtures.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VECTORS = join(REPO, 'vectors', 'strongswan');

async function captureSuite(suite: CaptureSuite, tshark: string): Promise<void> {
  const final = join(VECTORS, suite.id);
  await withLab(async (lab) => {
    // Everything is written and checked in the lab's scratch directory and copied over the
    // fixture only at the end, so a failed run keeps the old fixture.
    const out = join(lab.workdir, 'fixture');
    const started = Date.now();
    const pki = await ensureTestPki(join(VECTORS, 'pki'), lab.workdir);
    const res = await runScenario(lab, suite, pki);
    const keys = crossCheckedKeys(res.initiatorLog, res.responderLog);
    if (keys.ike.length !== res.ikeSpis.length) {
      throw new Error(`${keys.ike.length} IKE key sets logged for ${res.ikeSpis.length} IKE SAs`);
    }
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'capture.pcap'), await readFile(res.pcapPath)); // dumpcap's file is 0600
    await writeFile(join(out, 'charon-initiator.log'), res.initiatorLog);
    await writeFile(join(out, 'charon-responder.log'), res.responderLog);
    const ends = { initiator: res.network.initiator.address, responder: res.network.responder.address };
    if (suite.wireshark !== undefined) {
      const sas = res.ikeSpis.map((s, i) => {
        const k = keys.ike[i];
        if (k === undefined) throw new Error(`no keys for IKE SA ${i}`);
        return { ...s, keys: k };
      });
      await writeFile(join(out, 'ikev2_decryption_table'), ikev2DecryptionTable(sas, suite.wireshark));
      await writeFile(join(out, 'esp_sa'), espSaTable(keys.child, ends, suite.wireshark));
    }
    await writeFile(
      join(out, 'keys.json'),
      `${JSON.stringify({ ikeSas: ikeKeysJson(res.ikeSpis, keys.ike), childSas: childKeysJson(keys.child) }, null, 2)}\n`,
    );

    const packets = await tsharkDissect(join(out, 'capture.pcap'), suite.wireshark === undefined ? {} : { keysDir: out });
    const messages = tsharkIkeMessages(packets);
    const esp = tsharkEspPackets(packets);
    if (suite.wireshark !== undefined) {
      if (!allDecrypted(messages)) throw new Error(`${suite.id}: tshark did not decrypt every SK/SKF payload`);
      if (!esp.every((p) => p.decryptedHex !== undefined)) throw new Error(`${suite.id}: tshark did not decrypt every ESP packet`);
    }
    const version = /strongSwan (\d+\.\d+\.\d+)/.exec(res.initiatorLog)?.[1] ?? 'unknown';
    const meta = {
      suite: suite.id,
      description: 'Two strongSwan charons (kernel-libipsec, so NAT-T on UDP 4500 is forced) in network namespaces; captured on the initiator veth.',
      command: REGENERATE_COMMAND,
      date: new Date().toISOString(),
      strongswan: version,
      tshark,
      ike: { proposal: suite.ikeProposal, ...suite.ike },
      esp: { proposal: suite.espProposal },
      wiresharkDecrypts: suite.wireshark !== undefined,
      network: {
        initiator: ends.initiator,
        responder: ends.responder,
        innerHost: res.network.innerAddress,
        virtualIp: res.virtualIp,
      },
      identities: { initiator: TEST_PKI.clientId, responder: TEST_PKI.gatewayId, pki: '../pki' },
      ikeSas: res.ikeSpis.map((s, i) => ({ ...s, role: i === 0 ? 'initial' : 'rekeyed' })),
      childSas: keys.child.map((c) => ({
        child: c.child,
        spiInitiatorToResponder: c.spiOut.toString(16).padStart(8, '0'),
        spiResponderToInitiator: c.spiIn.toString(16).padStart(8, '0'),
      })),
      exchanges: fixtureExchanges(messages, res.ikeSpis, res.initiatorLog, res.responderLog),
      ikeFrames: messages.map((m) => ({
        frame: m.frame,
        exchangeType: m.exchangeType,
        messageId: m.messageId,
        initiator: m.initiator,
        response: m.response,
        spiI: m.spiI,
        spiR: m.spiR,
        natT: m.natT,
        payloads: payloadTypeSummary(m.payloads),
      })),
      espFrames: espFramesJson(esp),
      steps: res.steps,
    };
    await writeFile(join(out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    await rm(final, { recursive: true, force: true });
    await cp(out, final, { recursive: true });
    console.log(
      `${suite.id}: ${messages.length} IKE frames, ${esp.length} ESP frames, ${meta.exchanges.length} exchanges, ` +
        `${Date.now() - started} ms -> ${final}`,
    );
  });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('must run as root (network namespaces, charon)');
  const wanted = process.argv.slice(2);
  const suites = wanted.length === 0 ? CAPTURE_SUITES : CAPTURE_SUITES.filter((s) => wanted.includes(s.id));
  if (suites.length === 0) throw new Error(`unknown suite; choose from ${CAPTURE_SUITES.map((s) => s.id).join(', ')}`);
  const tshark = await tsharkVersion();
  for (const suite of suites) await captureSuite(suite, tshark);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
