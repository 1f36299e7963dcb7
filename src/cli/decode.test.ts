import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

const fixtures = fileURLToPath(new URL('../../vectors/strongswan/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kite-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

interface JsonPayload {
  type: string;
  payloads?: JsonPayload[];
  notifyType?: string;
  idType?: string;
  value?: string;
  attributes?: { type: string; value: string }[];
}
interface JsonRecord {
  exchange: string;
  response: boolean;
  initiator: boolean;
  messageId: number;
  spiI: string;
  spiR: string;
  payloads: JsonPayload[];
}

describe('kite decode', () => {
  it('prints one JSON array with decrypted SKF contents for a strongSwan capture', async () => {
    const dir = join(fixtures, 'aes256-sha256-modp2048');
    const r = await run('decode', '--json', '--keys', join(dir, 'ikev2_decryption_table'), join(dir, 'capture.pcap'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const records = JSON.parse(r.out) as JsonRecord[];
    expect(records.map((m) => m.exchange).slice(0, 2)).toEqual(['IKE_SA_INIT', 'IKE_SA_INIT']);
    const init = records[0] as JsonRecord;
    expect(init.payloads.map((p) => p.type).slice(0, 3)).toEqual(['SA', 'KE', 'Ni']);
    expect(init.initiator).toBe(true);
    expect(init.response).toBe(false);
    // The IKE_AUTH response's second fragment carries the reassembled, decrypted payloads.
    const authResponses = records.filter((m) => m.exchange === 'IKE_AUTH' && m.response);
    const inner = authResponses.flatMap((m) => m.payloads.flatMap((p) => p.payloads ?? []));
    expect(inner.map((p) => p.type)).toEqual(expect.arrayContaining(['IDr', 'CERT', 'AUTH', 'CP', 'SA', 'TSi', 'TSr']));
    const idr = inner.find((p) => p.type === 'IDr');
    expect(idr).toMatchObject({ idType: 'ID_FQDN', value: 'gw.example.test' });
    const cp = inner.find((p) => p.type === 'CP');
    expect(cp?.attributes?.[0]).toMatchObject({ type: 'INTERNAL_IP4_ADDRESS', value: '10.99.1.1' });
  });

  it('prints the text tree; without keys SK stays opaque, with a wrong key the ICV failure is reported', async () => {
    const dir = join(fixtures, 'aes128gcm16-ecp256');
    const r = await run('decode', join(dir, 'capture.pcap'));
    expect(r.out).toContain('IKE_SA_INIT request from initiator msgid=0');
    expect(r.out).toContain('SKF nextPayload=IDi fragmentNumber=1 totalFragments=2');
    expect(r.code).toBe(0);
    // Corrupt the first key octet of every SK_ei column: every initiator message then fails its ICV.
    const table = readFileSync(join(dir, 'ikev2_decryption_table'), 'utf8');
    const wrong = table.replace(/^([0-9a-f]{16},[0-9a-f]{16},)([0-9a-f])/gm, (_m, pre: string, c: string) => pre + (c === '0' ? '1' : '0'));
    expect(wrong).not.toBe(table);
    const wrongFile = join(tmp, 'wrong_keys');
    writeFileSync(wrongFile, wrong);
    const bad = await run('decode', '--keys', wrongFile, join(dir, 'capture.pcap'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/IKE messages, [1-9]\d* with errors/);
    expect(bad.out).toMatch(/ICV/);
  });

  it('decodes a hex file', async () => {
    const { readCapture } = await import('../capture/pcap.js');
    const { extractIkeDatagrams } = await import('../capture/ike-datagrams.js');
    const pcap = new Uint8Array(readFileSync(join(fixtures, 'aes128gcm16-ecp256', 'capture.pcap')));
    const first = extractIkeDatagrams(readCapture(pcap)).find((d) => d.kind === 'ike');
    if (first === undefined || first.kind !== 'ike') throw new Error('fixture has no IKE datagram');
    const hexFile = join(tmp, 'init.hex');
    writeFileSync(hexFile, `# IKE_SA_INIT request\n${Buffer.from(first.payload).toString('hex')}\n`);
    const r = await run('decode', '--json', hexFile);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as JsonRecord[])[0]?.exchange).toBe('IKE_SA_INIT');
  });

  it('names the cause when a file is missing or the keys file is malformed', async () => {
    const missing = await run('decode', join(tmp, 'nope.pcap'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read capture .*nope\.pcap.*ENOENT \(check the path\)/);
    const badKeys = join(tmp, 'bad_keys');
    writeFileSync(badKeys, '"0011","2233","aa","bb","ROT13 [RFC0]","cc","dd","NONE [RFC4306]"\n');
    const bad = await run('decode', '--keys', badKeys, join(fixtures, 'aes128gcm16-ecp256', 'capture.pcap'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/keys file .* is malformed at line 1/);
    const usage = await run('decode');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: kite decode');
  });

  it('never prints key material: not in the text or JSON output, not in the error for a malformed key', async () => {
    for (const suite of ['aes256-sha256-modp2048', 'aes128gcm16-ecp256']) {
      const table = join(fixtures, suite, 'ikev2_decryption_table');
      // SK_ei, SK_er, SK_ai, SK_ar of every line (fields 3, 4, 6, 7; empty SK_a* for AEAD).
      const keys = readFileSync(table, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .flatMap((l) => [2, 3, 5, 6].map((i) => l.split(',')[i] ?? ''))
        .filter((k) => k.length >= 32);
      expect(keys.length).toBeGreaterThanOrEqual(4);
      for (const format of [[], ['--json']]) {
        const r = await run('decode', ...format, '--keys', table, join(fixtures, suite, 'capture.pcap'));
        expect(r.code).toBe(0);
        const printed = (r.out + r.err).toLowerCase();
        expect(keys.filter((k) => printed.includes(k.toLowerCase()))).toEqual([]);
      }
    }
    const secret = '0123456789abcdef0123456789abcdef';
    const quoted = join(tmp, 'quoted_key');
    writeFileSync(quoted, `0102030405060708,1112131415161718,"${secret}",${secret},"AES-CBC-128 [RFC3602]",${'11'.repeat(32)},${'22'.repeat(32)},"HMAC_SHA2_256_128 [RFC4868]"\n`);
    const bad = await run('decode', '--keys', quoted, join(fixtures, 'aes128gcm16-ecp256', 'capture.pcap'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/skEi must be bare hex without quotes/);
    expect(bad.err).not.toContain(secret);
  });
});
