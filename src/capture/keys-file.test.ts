import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { EncrId, IntegId } from '../iana/ikev2.js';
import { hasCommand, parseErrorOf } from '../util/testing.testkit.js';
import { formatIkeKeysFile, parseIkeKeysFile, WIRESHARK_ENCR, WIRESHARK_INTEG, type IkeSaKeys } from './keys-file.js';
import { parseUatLine } from './uat.js';

const hex = (n: number, b = 0xab): string => Buffer.alloc(n, b).toString('hex');

// Lines as strongSwan's save-keys plugin writes them (hex without separators, names quoted).
const CBC = `8a8b27e0a8d15b21,2bc5d5e8b9a1f0c3,${hex(32, 1)},${hex(32, 2)},"AES-CBC-256 [RFC3602]",${hex(32, 3)},${hex(32, 4)},"HMAC_SHA2_256_128 [RFC4868]"\n`;
const GCM = `0102030405060708,1112131415161718,${hex(20, 5)},${hex(20, 6)},"AES-GCM-128 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"\n`;

const err = (text: string): ParseError => parseErrorOf(() => parseIkeKeysFile(text));

describe('parseIkeKeysFile', () => {
  it('reads strongSwan save-keys lines', () => {
    const [cbc, gcm] = parseIkeKeysFile(`# written by strongSwan\n${CBC}\n${GCM}`);
    expect(cbc).toMatchObject({ encr: { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256 }, integ: { integId: IntegId.AUTH_HMAC_SHA2_256_128 } });
    expect(Buffer.from(cbc?.spiI ?? []).toString('hex')).toBe('8a8b27e0a8d15b21');
    expect(Buffer.from(cbc?.spiR ?? []).toString('hex')).toBe('2bc5d5e8b9a1f0c3');
    expect(cbc?.skEr).toEqual(new Uint8Array(32).fill(2));
    expect(cbc?.skAr).toEqual(new Uint8Array(32).fill(4));
    expect(gcm).toMatchObject({ encr: { encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128 }, integ: { integId: IntegId.NONE } });
    expect(gcm?.skEi).toHaveLength(20); // 16-octet key + 4-octet salt
    expect(gcm?.skAi).toHaveLength(0);
  });

  it('round-trips through formatIkeKeysFile', () => {
    expect(formatIkeKeysFile(parseIkeKeysFile(CBC + GCM))).toBe(CBC + GCM);
  });

  it('tolerates spaces around fields, CRLF and escapes in quoted names', () => {
    const line = ` 0102030405060708 , 1112131415161718 ,${hex(16)},${hex(16)}, "AES-CBC-128 \\x5bRFC3602]" ,${hex(20)},${hex(20)},"HMAC_SHA1_96 [RFC2404]"\r\n`;
    expect(parseIkeKeysFile(line)[0]).toMatchObject({ encr: { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128 }, integ: { integId: IntegId.AUTH_HMAC_SHA1_96 } });
  });

  it('maps every Wireshark name to the IANA transform', () => {
    for (const e of WIRESHARK_ENCR) {
      const integ = e.aead ? '"NONE [RFC4306]"' : `${hex(32)},${hex(32)},"HMAC_SHA2_256_128 [RFC4868]"`;
      const keys = parseIkeKeysFile(`0102030405060708,1112131415161718,${hex(e.keyBytes)},${hex(e.keyBytes)},"${e.name}",${e.aead ? ',,' : ''}${integ}`)[0];
      expect(keys?.encr).toEqual({ encrId: e.encrId, keyLengthBits: e.keyLengthBits });
    }
    expect(WIRESHARK_ENCR.filter((e) => e.encrId === EncrId.ENCR_AES_GCM_16).map((e) => e.keyLengthBits)).toEqual([128, 192, 256]);
  });

  it('names an unknown algorithm string and its line', () => {
    const e = err(`${CBC}# two\n${CBC.replace('AES-CBC-256 [RFC3602]', 'AES-CBC-512 [RFC3602]')}`);
    expect([e.code, e.offset, e.field]).toEqual(['BAD_VALUE', 3, 'keys.encr']);
    expect(e.message).toContain('"AES-CBC-512 [RFC3602]"');
    expect(err(CBC.replace('HMAC_SHA2_256_128 [RFC4868]', 'HMAC_SHA2_256_128')).message).toContain('"HMAC_SHA2_256_128"');
    expect(err(CBC.replace('HMAC_SHA2_256_128 [RFC4868]', 'HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]')).message).toContain('no IANA transform ID');
  });

  it('applies Wireshark key-length and combination checks', () => {
    expect(err(CBC.replace(hex(32, 1), hex(31, 1)))).toMatchObject({ code: 'BAD_LENGTH', field: 'keys.skEi', offset: 1 });
    expect(err(GCM.replace(hex(20, 5), hex(16, 5)))).toMatchObject({ code: 'BAD_LENGTH', field: 'keys.skEi' });
    expect(err(CBC.replace('8a8b27e0a8d15b21', '8a8b27e0a8d15b'))).toMatchObject({ code: 'BAD_LENGTH', field: 'keys.spiI' });
    expect(err(GCM.replace(',,,"NONE [RFC4306]"', `,${hex(20)},${hex(20)},"HMAC_SHA1_96 [RFC2404]"`))).toMatchObject({ code: 'BAD_VALUE', field: 'keys.integ' });
  });

  it('rejects malformed lines', () => {
    expect(err(CBC.replace('8a8b27e0a8d15b21', '"8a8b27e0a8d15b21"'))).toMatchObject({ code: 'BAD_FORMAT', field: 'keys.spiI' });
    expect(err(CBC.replace(hex(32, 1), `zz${hex(31, 1)}`))).toMatchObject({ code: 'BAD_FORMAT', field: 'keys.skEi' });
    expect(err(CBC.replace(',"HMAC_SHA2_256_128 [RFC4868]"', ''))).toMatchObject({ code: 'BAD_FORMAT', field: 'keys' });
    expect(err(CBC.replace('"HMAC_SHA2_256_128 [RFC4868]"', '"HMAC_SHA2_256_128 [RFC4868]'))).toMatchObject({ code: 'BAD_FORMAT' });
    expect(err(CBC.replace('"AES-CBC-256 [RFC3602]"', '"AES-CBC-256 [RFC3602]" x'))).toMatchObject({ code: 'BAD_FORMAT' });
  });

  it('splits UAT lines like Wireshark', () => {
    expect(parseUatLine('a, "b,\\"c\\\\" ,', 1, 't')).toEqual([
      { text: 'a', quoted: false },
      { text: 'b,"c\\', quoted: true },
      { text: '', quoted: false },
    ]);
  });
});

const hasTshark = hasCommand('tshark', ['--version']);

/** Load `table` as tshark's ikev2_decryption_table; returns tshark's complaints (empty when accepted). */
function tsharkComplaints(table: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kite-uat-'));
  try {
    writeFileSync(join(dir, 'ikev2_decryption_table'), table);
    const pcap = new URL('./testdata/lo.pcap', import.meta.url).pathname;
    // tshark reports a bad table on stderr and still exits 0.
    const r = spawnSync('tshark', ['-r', pcap], { env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, encoding: 'utf8' });
    return r.stderr.split('\n').filter((l) => l.includes('Error loading table')).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasTshark)('tshark accepts what formatIkeKeysFile writes', () => {
  it('every Wireshark encryption and integrity name, with the key lengths tshark demands', () => {
    const entries: IkeSaKeys[] = [];
    let n = 1;
    const spi = (): Uint8Array => new Uint8Array(8).fill(n++);
    for (const e of WIRESHARK_ENCR.filter((x) => x.encrId !== EncrId.ENCR_CHACHA20_POLY1305)) {
      const sk = new Uint8Array(e.keyBytes).fill(7);
      const a = e.aead ? new Uint8Array(0) : new Uint8Array(20).fill(9);
      entries.push({ spiI: spi(), spiR: spi(), skEi: sk, skEr: sk, encr: { encrId: e.encrId, keyLengthBits: e.keyLengthBits }, skAi: a, skAr: a, integ: { integId: e.aead ? IntegId.NONE : IntegId.AUTH_HMAC_SHA1_96 } });
    }
    for (const i of WIRESHARK_INTEG.filter((x) => x.integId !== null && x.integId !== IntegId.NONE)) {
      const a = new Uint8Array(i.keyBytes).fill(3);
      entries.push({ spiI: spi(), spiR: spi(), skEi: new Uint8Array(16), skEr: new Uint8Array(16), encr: { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128 }, skAi: a, skAr: a, integ: { integId: i.integId as number } });
    }
    const table = formatIkeKeysFile(entries);
    expect(table.split('\n')).toHaveLength(entries.length + 1);
    expect(tsharkComplaints(table)).toBe('');
    expect(parseIkeKeysFile(table)).toEqual(entries);
  });

  it('and rejects what parseIkeKeysFile rejects', () => {
    const bad = CBC.replace(hex(32, 1), hex(31, 1));
    expect(() => parseIkeKeysFile(bad)).toThrow(ParseError);
    expect(tsharkComplaints(bad)).toContain('Length of SK_ei');
    const chacha = `0102030405060708,1112131415161718,${hex(36)},${hex(36)},"CHACHA20-POLY1305 [RFC7634]",,,"NONE [RFC4306]"\n`;
    expect(parseIkeKeysFile(chacha)[0]?.encr.encrId).toBe(EncrId.ENCR_CHACHA20_POLY1305); // Kite extension
    expect(tsharkComplaints(chacha)).toContain('invalid value'); // Wireshark 4.0 has no ChaCha20
  });
});

// Fixtures from real strongSwan runs (vectors/strongswan/<suite>/ikev2_decryption_table), once present.
const vectorsDir = new URL('../../vectors/strongswan/', import.meta.url).pathname;
const tables = existsSync(vectorsDir)
  ? readdirSync(vectorsDir).map((d) => join(vectorsDir, d, 'ikev2_decryption_table')).filter((p) => existsSync(p))
  : [];
describe('strongSwan save-keys fixtures', () => {
  for (const p of tables) {
    it(`parses and re-writes ${p.slice(vectorsDir.length)}`, () => {
      const text = readFileSync(p, 'utf8');
      const keys = parseIkeKeysFile(text);
      expect(keys.length).toBeGreaterThan(0);
      const body = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).map((l) => `${l}\n`).join('');
      expect(formatIkeKeysFile(keys).toLowerCase()).toBe(body.toLowerCase());
    });
  }
  it('finds the committed strongSwan fixture tables', () => expect(tables.length).toBeGreaterThanOrEqual(2));
});
