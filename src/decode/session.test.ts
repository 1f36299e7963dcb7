import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractIkeDatagrams, type IkeDatagram } from '../capture/ike-datagrams.js';
import { parseIkeKeysFile, type IkeSaKeys } from '../capture/keys-file.js';
import { readCapture } from '../capture/pcap.js';
import { notifyTypeNames } from '../iana/ikev2.js';
import { hasCommand } from '../util/testing.testkit.js';
import type { DecodedMessageJson, PayloadJson } from './json.js';
import { decodeIkeDatagrams, type DecodedDatagramJson } from './session.js';

// Real exchanges between two strongSwan 5.9.8 daemons (vectors/strongswan/<suite>/, made by the
// interop lab): the capture, the keys strongSwan saved, and what charon logged it sent.
const root = new URL('../../vectors/strongswan/', import.meta.url).pathname;
const suites = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, 'capture.pcap')) && existsSync(join(root, d, 'meta.json'))) : [];

interface Meta {
  readonly exchanges: readonly {
    readonly exchange: string;
    readonly messageId: number;
    readonly requestFrames: readonly number[];
    readonly responseFrames: readonly number[];
    readonly initiatorLog: readonly string[];
    readonly responderLog: readonly string[];
  }[];
}
interface KeysJson {
  readonly ikeSas: readonly { spiI: string; spiR: string; skEi: string; skEr: string; skAi: string; skAr: string }[];
}

/** The suite's keys: its Wireshark table, or (ChaCha20, which Wireshark lacks) a table written from keys.json with Kite's extension name. */
function loadKeys(dir: string): IkeSaKeys[] {
  const table = join(dir, 'ikev2_decryption_table');
  if (existsSync(table)) return parseIkeKeysFile(readFileSync(table, 'utf8'));
  const k = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as KeysJson;
  return parseIkeKeysFile(k.ikeSas.map((s) => `${s.spiI},${s.spiR},${s.skEi},${s.skEr},"CHACHA20-POLY1305 [RFC7634]",,,"NONE [RFC4306]"`).join('\n'));
}

function ikeDatagrams(dir: string): IkeDatagram[] {
  return extractIkeDatagrams(readCapture(new Uint8Array(readFileSync(join(dir, 'capture.pcap'))))).filter((d): d is IkeDatagram => d.kind === 'ike');
}

function isMessage(r: DecodedDatagramJson): r is DecodedMessageJson & { frame?: { index?: number } } {
  return !('error' in r);
}

/** strongSwan's abbreviations of the notify types in these exchanges (src/libcharon/encoding/payloads/notify_payload.c). */
const STRONGSWAN_NOTIFY: Readonly<Record<string, string>> = {
  NATD_S_IP: 'NAT_DETECTION_SOURCE_IP', NATD_D_IP: 'NAT_DETECTION_DESTINATION_IP', FRAG_SUP: 'IKEV2_FRAGMENTATION_SUPPORTED',
  HASH_ALG: 'SIGNATURE_HASH_ALGORITHMS', REDIR_SUP: 'REDIRECT_SUPPORTED', CHDLESS_SUP: 'CHILDLESS_IKEV2_SUPPORTED',
  MULT_AUTH: 'MULTIPLE_AUTH_SUPPORTED', INIT_CONTACT: 'INITIAL_CONTACT', MOBIKE_SUP: 'MOBIKE_SUPPORTED',
  NO_ADD_ADDR: 'NO_ADDITIONAL_ADDRESSES', EAP_ONLY: 'EAP_ONLY_AUTHENTICATION', MSG_ID_SYN_SUP: 'IKEV2_MESSAGE_ID_SYNC_SUPPORTED',
  REKEY_SA: 'REKEY_SA',
};

/** Our payloads in strongSwan's log notation: `No` for nonces, `N(ABBR)`, `CPRQ(ADDR)` / `CPRP(ADDR)`. */
function strongswanNotation(payloads: readonly PayloadJson[]): string[] {
  const abbr = new Map(Object.entries(STRONGSWAN_NOTIFY).map(([k, v]) => [v, k]));
  return payloads.map((p) => {
    if (p.type === 'Ni' || p.type === 'Nr') return 'No';
    if (p.type === 'N' && 'notifyType' in p) return `N(${abbr.get(p.notifyType) ?? p.notifyType})`;
    if (p.type === 'CP' && 'cfgType' in p) return `${p.cfgType === 'CFG_REQUEST' ? 'CPRQ' : 'CPRP'}(${p.attributes.map((a) => (a.type === 'INTERNAL_IP4_ADDRESS' ? 'ADDR' : a.type)).join(' ')})`;
    return p.type;
  });
}

/** The payloads a record shows: outer ones, or for SK/SKF the decrypted inner ones. */
function shownPayloads(m: DecodedMessageJson): readonly PayloadJson[] | undefined {
  const last = m.payloads[m.payloads.length - 1];
  if (last !== undefined && (last.type === 'SK' || last.type === 'SKF') && 'nextPayload' in last) return last.payloads;
  return m.payloads;
}

describe('decodeIkeDatagrams on real strongSwan exchanges', () => {
  it('finds the committed fixtures', () => expect(suites.length).toBe(3));
  for (const suite of suites) {
    const dir = join(root, suite);
    it(`${suite}: every message decodes and decrypts to what charon logged`, () => {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
      const records = decodeIkeDatagrams(ikeDatagrams(dir), loadKeys(dir));
      const byFrame = new Map(records.filter(isMessage).map((r) => [r.frame?.index, r]));
      expect(records.filter((r) => !isMessage(r))).toEqual([]);
      for (const ex of meta.exchanges) {
        for (const [frames, log, response] of [[ex.requestFrames, ex.initiatorLog, false], [ex.responseFrames, ex.responderLog, true]] as const) {
          const rec = byFrame.get(frames[frames.length - 1]);
          expect(rec, `frame ${frames.join(',')}`).toBeDefined();
          if (rec === undefined) continue;
          expect([rec.exchange, rec.messageId, rec.response]).toEqual([ex.exchange, ex.messageId, response]);
          const line = log.find((l) => l.startsWith(`generating ${ex.exchange} ${response ? 'response' : 'request'} ${ex.messageId} [`) && !l.includes('EF('));
          const logged = line?.replace(/^.*\[ ?/, '').replace(/ ?\]$/, '').split(' ').filter((t) => t !== '') ?? [];
          const shown = shownPayloads(rec);
          expect(shown, `frame ${rec.frame?.index} decrypted`).toBeDefined();
          expect(strongswanNotation(shown ?? [])).toEqual(logged);
        }
      }
    });
  }
});

const hasTshark = hasCommand('tshark', ['--version']);

const tsharkSuites = suites.filter((s) => existsSync(join(root, s, 'ikev2_decryption_table')));
describe.skipIf(!hasTshark)('decodeIkeDatagrams against tshark 4.0 with the same keys', () => {
  it('finds the fixtures tshark can decrypt', () => expect(tsharkSuites.length).toBe(2));
  for (const suite of tsharkSuites) {
    it(`${suite}: payload chain, notifies, identities, CP and TS per frame`, () => {
      const dir = join(root, suite);
      const cfg = mkdtempSync(join(tmpdir(), 'kite-ws-'));
      let out: string;
      try {
        writeFileSync(join(cfg, 'ikev2_decryption_table'), readFileSync(join(dir, 'ikev2_decryption_table')));
        const fields = ['frame.number', 'isakmp.typepayload', 'isakmp.notify.msgtype', 'isakmp.cfg.attr.internal_ip4_address', 'isakmp.id.data.fqdn', 'isakmp.id.data.user_fqdn', 'isakmp.ts.start_ipv4', 'isakmp.ts.end_ipv4', 'isakmp.key_exchange.dh_group'];
        const r = spawnSync('tshark', ['-r', join(dir, 'capture.pcap'), '-Y', 'isakmp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], {
          env: { ...process.env, WIRESHARK_CONFIG_DIR: cfg },
          encoding: 'utf8',
        });
        out = r.stdout;
      } finally {
        rmSync(cfg, { recursive: true, force: true });
      }
      const records = new Map(decodeIkeDatagrams(ikeDatagrams(dir), loadKeys(dir)).filter(isMessage).map((r) => [r.frame?.index, r]));
      const rows = out.trim().split('\n').map((l) => l.split('\t'));
      expect(rows.length).toBe(records.size);
      const list = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(','));
      for (const [num, types, notifies, addrs, fqdns, emails, tsStart, tsEnd, groups] of rows) {
        const rec = records.get(Number(num));
        expect(rec, `frame ${num}`).toBeDefined();
        if (rec === undefined) continue;
        const all: PayloadJson[] = [];
        const walk = (ps: readonly PayloadJson[]): void => {
          for (const p of ps) {
            all.push(p);
            if ((p.type === 'SK' || p.type === 'SKF') && 'nextPayload' in p) walk(p.payloads ?? []);
          }
        };
        walk(rec.payloads);
        // tshark lists proposal (2) and transform (3) substructures among the payload types.
        const ours = all.flatMap((p) => {
          const t = { SA: 33, KE: 34, IDi: 35, IDr: 36, CERT: 37, CERTREQ: 38, AUTH: 39, Ni: 40, Nr: 40, N: 41, D: 42, V: 43, TSi: 44, TSr: 45, SK: 46, CP: 47, EAP: 48, SKF: 53 }[p.type] ?? -1;
          return p.type === 'SA' && 'proposals' in p ? [t, ...p.proposals.flatMap((q) => [2, ...q.transforms.map(() => 3)])] : [t];
        });
        expect(ours.join(','), `frame ${num} payload types`).toBe(types);
        const notes = all.flatMap((p) => (p.type === 'N' && 'notifyTypeId' in p ? [p.notifyTypeId] : []));
        expect(notes.map(String), `frame ${num} notifies`).toEqual(list(notifies));
        expect(notes.map((n) => notifyTypeNames.get(n))).not.toContain(undefined);
        const cp = all.flatMap((p) => (p.type === 'CP' && 'attributes' in p ? p.attributes.flatMap((a) => (a.type === 'INTERNAL_IP4_ADDRESS' && a.value !== null ? [a.value] : [])) : []));
        expect(cp).toEqual(list(addrs));
        const ids = (idType: string): string[] => all.flatMap((p) => ((p.type === 'IDi' || p.type === 'IDr') && 'idType' in p && p.idType === idType ? [p.value] : []));
        expect(ids('ID_FQDN')).toEqual(list(fqdns));
        expect(ids('ID_RFC822_ADDR')).toEqual(list(emails));
        const sel = all.flatMap((p) => ((p.type === 'TSi' || p.type === 'TSr') && 'selectors' in p ? p.selectors : []));
        expect(sel.map((s) => ('startAddress' in s ? s.startAddress : ''))).toEqual(list(tsStart));
        expect(sel.map((s) => ('endAddress' in s ? s.endAddress : ''))).toEqual(list(tsEnd));
        expect(all.flatMap((p) => (p.type === 'KE' && 'groupId' in p ? [String(p.groupId)] : []))).toEqual(list(groups));
      }
    });
  }
});

describe('decodeIkeDatagrams error handling', () => {
  const dir = suites[0] === undefined ? undefined : join(root, suites[0]);
  it('reports a damaged datagram and goes on; names missing keys; flags a bad ICV', () => {
    if (dir === undefined) throw new Error('no strongSwan fixture found');
    const ds = ikeDatagrams(dir);
    const first = ds[0] as IkeDatagram;
    const damaged = { ...first, payload: first.payload.subarray(0, 40) };
    const sk = ds.find((d) => d.payload[16] === 46) as IkeDatagram; // first payload SK
    const flipped = sk.payload.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    const keys = loadKeys(dir as string);
    const [bad, ok, tampered] = decodeIkeDatagrams([damaged, first, { ...sk, payload: flipped }], keys);
    expect(bad).toMatchObject({ error: { name: 'ParseError', code: 'BAD_LENGTH', field: 'length' }, frame: { index: first.index } });
    expect(ok).toMatchObject({ exchange: 'IKE_SA_INIT', frame: { index: first.index, srcPort: first.srcPort } });
    expect(tampered).toMatchObject({ payloads: [{ type: 'SK', error: expect.stringContaining('ICV_MISMATCH') as unknown }] });
    const [noKeys] = decodeIkeDatagrams([sk], keys.map((k) => ({ ...k, spiR: new Uint8Array(8) })));
    expect(noKeys).toMatchObject({ payloads: [{ type: 'SK', error: expect.stringContaining('NO_KEYS') as unknown }] });
    const [withoutKeys] = decodeIkeDatagrams([sk]);
    expect(withoutKeys).toMatchObject({ payloads: [{ type: 'SK' }] });
    expect((withoutKeys as DecodedMessageJson).payloads[0]).not.toHaveProperty('error');
  });
});
