import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { EncrId, IntegId } from '../iana/ikev2.js';
import { hasCommand, parseErrorOf } from '../util/testing.testkit.js';
import { formatEspSaFile, parseEspSaFile, WIRESHARK_ESP_ENCR, WIRESHARK_ESP_INTEG, type EspSaKeys } from './esp-sa-file.js';

const hex = (n: number, b = 0xab): string => Buffer.alloc(n, b).toString('hex');
const CBC = `"IPv4","192.0.2.1","192.0.2.2","0xaec902ee","AES-CBC [RFC3602]","0x${hex(32, 1)}","HMAC-SHA-256-128 [RFC4868]","0x${hex(32, 2)}"\n`;
const GCM = `"IPv6","2001:db8::1","2001:db8::2","0x0000cafe","AES-GCM with 16 octet ICV [RFC4106]","0x${hex(20, 3)}","NULL",""\n`;

const err = (text: string): ParseError => parseErrorOf(() => parseEspSaFile(text));

describe('parseEspSaFile', () => {
  it('reads save-keys lines and round-trips them', () => {
    const [cbc, gcm] = parseEspSaFile(CBC + GCM);
    expect(cbc).toMatchObject({ ipVersion: 4, src: '192.0.2.1', dst: '192.0.2.2', spi: 0xaec902ee, encr: { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256 }, integ: { integId: IntegId.AUTH_HMAC_SHA2_256_128 } });
    expect(cbc?.integKey).toEqual(new Uint8Array(32).fill(2));
    expect(gcm).toMatchObject({ ipVersion: 6, spi: 0xcafe, encr: { encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128 }, integ: { integId: IntegId.NONE } });
    expect(gcm?.encrKey).toHaveLength(20);
    expect(formatEspSaFile(parseEspSaFile(CBC + GCM))).toBe(CBC + GCM);
  });

  it('takes wildcards, ASCII keys and odd-length hex like Wireshark', () => {
    const [e] = parseEspSaFile('"IPv4","*","*","*","AES-CBC [RFC3602]","sixteen byte key","HMAC-SHA-1-96 [RFC2404]","0x123456789012345678901234567890123456789"');
    expect(e).toMatchObject({ src: '*', dst: '*', spi: undefined, encr: { keyLengthBits: 128 } });
    expect(e?.encrKey).toEqual(new TextEncoder().encode('sixteen byte key'));
    expect(e?.integKey[0]).toBe(0x01);
  });

  it('rejects unknown and unmappable algorithms, bad keys and malformed lines', () => {
    expect(err(`# x\n${CBC.replace('AES-CBC [RFC3602]', 'AES-CBC')}`)).toMatchObject({ code: 'BAD_VALUE', field: 'esp.encr', offset: 2 });
    expect(err(CBC.replace('AES-CBC [RFC3602]', 'TWOFISH-CBC')).message).toContain('no IKEv2 transform ID');
    expect(err(CBC.replace('HMAC-SHA-256-128 [RFC4868]', 'MAC-RIPEMD-160-96 [RFC2857]')).field).toBe('esp.integ');
    expect(err(CBC.replace(`0x${hex(32, 1)}`, `0x${hex(31, 1)}`))).toMatchObject({ code: 'BAD_LENGTH', field: 'esp.encrKey' });
    expect(err(CBC.replace(`0x${hex(32, 2)}`, `0x${hex(20, 2)}`))).toMatchObject({ code: 'BAD_LENGTH', field: 'esp.integKey' });
    expect(err(CBC.replace(`0x${hex(32, 1)}`, `0xzz${hex(31, 1)}`))).toMatchObject({ code: 'BAD_FORMAT', field: 'esp.encrKey' });
    // Key material is never echoed in the message, only where it went wrong.
    expect(err(CBC.replace(`0x${hex(32, 1)}`, `0xzz${hex(31, 1)}`)).message).not.toContain(hex(31, 1));
    expect(err(CBC.replace(`0x${hex(32, 1)}`, `0x${hex(16, 1)}zz`)).message).toContain('position 35');
    expect(err(CBC.replace('"IPv4"', '"Any"'))).toMatchObject({ code: 'BAD_VALUE', field: 'esp.protocol' });
    expect(err(CBC.replace('0xaec902ee', '0x1aec902ee'))).toMatchObject({ code: 'BAD_VALUE', field: 'esp.spi' });
    expect(err(CBC.replace(',"HMAC-SHA-256-128 [RFC4868]"', ''))).toMatchObject({ code: 'BAD_FORMAT', field: 'esp' });
  });
});

const root = new URL('../../vectors/strongswan/', import.meta.url).pathname;
const tables = existsSync(root) ? readdirSync(root).map((d) => join(root, d, 'esp_sa')).filter((p) => existsSync(p)) : [];
describe('strongSwan save-keys esp_sa fixtures', () => {
  for (const p of tables) {
    it(`parses and re-writes ${p.slice(root.length)}`, () => {
      const text = readFileSync(p, 'utf8');
      const sas = parseEspSaFile(text);
      expect(sas.length).toBeGreaterThan(0);
      expect(formatEspSaFile(sas)).toBe(text);
    });
  }
  it('finds the committed esp_sa fixtures', () => expect(tables.length).toBeGreaterThanOrEqual(2));
});

const hasTshark = hasCommand('tshark', ['--version']);

describe.skipIf(!hasTshark)('tshark loads what formatEspSaFile writes', () => {
  it('every mapped encryption and authentication name', () => {
    const entries: EspSaKeys[] = [];
    let spi = 1;
    for (const e of WIRESHARK_ESP_ENCR) {
      const aead = e.name.startsWith('AES-GCM');
      entries.push({ ipVersion: 4, src: '*', dst: '*', spi: spi++, encr: { encrId: e.encrId, keyLengthBits: (e.keyBytes[0] - e.extra) * 8 }, encrKey: new Uint8Array(e.keyBytes[0]).fill(1), integ: { integId: aead ? IntegId.NONE : IntegId.AUTH_HMAC_SHA1_96 }, integKey: new Uint8Array(aead ? 0 : 20).fill(2) });
    }
    for (const a of WIRESHARK_ESP_INTEG) {
      entries.push({ ipVersion: 6, src: '2001:db8::1', dst: '*', spi: spi++, encr: { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128 }, encrKey: new Uint8Array(16), integ: { integId: a.integId }, integKey: new Uint8Array(a.keyBytes).fill(3) });
    }
    const text = formatEspSaFile(entries);
    expect(parseEspSaFile(text)).toEqual(entries);
    const dir = mkdtempSync(join(tmpdir(), 'kite-esp-'));
    try {
      const load = (t: string): string => {
        writeFileSync(join(dir, 'esp_sa'), t);
        const r = spawnSync('tshark', ['-r', new URL('./testdata/lo.pcap', import.meta.url).pathname], { env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, encoding: 'utf8' });
        return r.stderr.split('\n').filter((l) => l.includes('Error loading table')).join('\n');
      };
      expect(load(text)).toBe('');
      expect(load(text.replace('AES-CBC [RFC3602]', 'AES-CBC'))).toContain('invalid value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
