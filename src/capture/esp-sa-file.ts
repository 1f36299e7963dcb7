/**
 * Wireshark's ESP SA table (`esp_sa`, a UAT file), as strongSwan's save-keys plugin writes it and
 * Wireshark's ESP dissector reads it: one SA per line,
 *
 *   "IPv4","src","dst","0xSPI","encryption algorithm","0xKEY","authentication algorithm","0xKEY"
 *
 * every field quoted, keys as `0x` hex (Wireshark also takes a bare string as the key's ASCII
 * octets). Algorithm strings are Wireshark 4.0's (packet-esp.c), mapped to the IKEv2 transform IDs
 * that negotiate them; for AES-GCM and AES-CTR the key includes the 4-octet salt / nonce
 * (RFC 4106 §8.1, RFC 3686 §5.1).
 */
import { KiteError, ParseError } from '../errors.js';
import { EncrId, IntegId } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { parseUatLine, quoteUat } from './uat.js';

/** Keys and selectors of one ESP SA. */
export interface EspSaKeys {
  /** "IPv4" or "IPv6" in the file. */
  readonly ipVersion: 4 | 6;
  /** Source address as written (Wireshark allows `*` wildcards). */
  readonly src: string;
  /** Destination address as written. */
  readonly dst: string;
  /** SPI, or undefined for the `*` wildcard. */
  readonly spi: number | undefined;
  /** ENCR transform and key length in bits (without salt). */
  readonly encr: { readonly encrId: number; readonly keyLengthBits: number };
  /** Encryption key, salt / nonce included. */
  readonly encrKey: Uint8Array;
  /** INTEG transform (`IntegId.NONE` for AEAD or NULL). */
  readonly integ: { readonly integId: number };
  readonly integKey: Uint8Array;
}

/**
 * Wireshark 4.0 ESP encryption strings. `keyBytes` lists accepted key lengths (salt/nonce
 * included), `extra` the salt/nonce octets. Names without an IKEv2 ENCR ID are absent: parsing
 * them fails with a message naming them.
 */
export const WIRESHARK_ESP_ENCR = [
  { name: 'NULL', encrId: EncrId.ENCR_NULL, keyBytes: [0], extra: 0 },
  { name: 'TripleDES-CBC [RFC2451]', encrId: EncrId.ENCR_3DES, keyBytes: [24], extra: 0 },
  { name: 'AES-CBC [RFC3602]', encrId: EncrId.ENCR_AES_CBC, keyBytes: [16, 24, 32], extra: 0 },
  { name: 'AES-CTR [RFC3686]', encrId: EncrId.ENCR_AES_CTR, keyBytes: [20, 28, 36], extra: 4 },
  { name: 'DES-CBC [RFC2405]', encrId: EncrId.ENCR_DES, keyBytes: [8], extra: 0 },
  { name: 'CAST5-CBC [RFC2144]', encrId: EncrId.ENCR_CAST, keyBytes: [16], extra: 0 },
  { name: 'BLOWFISH-CBC [RFC2451]', encrId: EncrId.ENCR_BLOWFISH, keyBytes: [16], extra: 0 },
  { name: 'AES-GCM with 8 octet ICV [RFC4106]', encrId: EncrId.ENCR_AES_GCM_8, keyBytes: [20, 28, 36], extra: 4 },
  { name: 'AES-GCM with 12 octet ICV [RFC4106]', encrId: EncrId.ENCR_AES_GCM_12, keyBytes: [20, 28, 36], extra: 4 },
  { name: 'AES-GCM with 16 octet ICV [RFC4106]', encrId: EncrId.ENCR_AES_GCM_16, keyBytes: [20, 28, 36], extra: 4 },
] as const;

/** Wireshark 4.0 ESP authentication strings with an IKEv2 INTEG ID, and their key lengths. */
export const WIRESHARK_ESP_INTEG = [
  { name: 'NULL', integId: IntegId.NONE, keyBytes: 0 },
  { name: 'HMAC-MD5-96 [RFC2403]', integId: IntegId.AUTH_HMAC_MD5_96, keyBytes: 16 },
  { name: 'HMAC-SHA-1-96 [RFC2404]', integId: IntegId.AUTH_HMAC_SHA1_96, keyBytes: 20 },
  { name: 'HMAC-SHA-256-128 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_256_128, keyBytes: 32 },
  { name: 'HMAC-SHA-384-192 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_384_192, keyBytes: 48 },
  { name: 'HMAC-SHA-512-256 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_512_256, keyBytes: 64 },
] as const;

/** Wireshark 4.0 ESP strings Kite recognises but cannot map to an IKEv2 transform. */
const WIRESHARK_ESP_UNMAPPED: readonly string[] = [
  'TWOFISH-CBC', 'AES-GCM [RFC4106]', 'HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]', 'MAC-RIPEMD-160-96 [RFC2857]',
  'ANY 64 bit authentication [no checking]', 'ANY 96 bit authentication [no checking]', 'ANY 128 bit authentication [no checking]',
  'ANY 192 bit authentication [no checking]', 'ANY 256 bit authentication [no checking]',
];

/** Most entries read from one file. */
export const MAX_ESP_SA_ENTRIES = 100_000;
const FIELD_COUNT = 8;

/** A Wireshark key string: `0x` hex (odd digit count gets a leading 0, as Wireshark does), else ASCII. */
function keyBytes(s: string, field: string, lineNo: number): Uint8Array {
  if (!/^0x/i.test(s)) return new TextEncoder().encode(s);
  let digits = s.slice(2);
  const bad = digits.search(/[^0-9a-fA-F]/);
  // Key material never goes into a message (it ends up on a terminal or in a log): position only.
  if (bad >= 0) throw new ParseError('BAD_FORMAT', field, lineNo, `line ${lineNo}: ${field} starts with 0x but has a non-hex character at position ${bad + 3}`);
  if (digits.length % 2 === 1) digits = `0${digits}`;
  return new Uint8Array(Buffer.from(digits, 'hex'));
}

function spiValue(s: string, lineNo: number): number | undefined {
  if (s === '*') return undefined;
  const m = /^0x([0-9a-fA-F]{1,8})$/i.exec(s) ?? /^([0-9]{1,10})$/.exec(s);
  const v = m === null ? NaN : parseInt(m[1] as string, s.toLowerCase().startsWith('0x') ? 16 : 10);
  if (!Number.isInteger(v) || v > 0xffffffff) throw new ParseError('BAD_VALUE', 'esp.spi', lineNo, `line ${lineNo}: SPI '${s}' is not 0x-hex, decimal or *`);
  return v;
}

/**
 * Parse an `esp_sa` file. ParseError (offset = 1-based line number) on a malformed line, an
 * algorithm string without an IKEv2 transform (the message quotes it) or a key of the wrong length.
 */
export function parseEspSaFile(text: string): EspSaKeys[] {
  const out: EspSaKeys[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (out.length >= MAX_ESP_SA_ENTRIES) throw new ParseError('LIMIT', 'esp', lineNo, `more than ${MAX_ESP_SA_ENTRIES} entries`);
    const f = parseUatLine(line, lineNo, 'esp').map((x) => x.text);
    if (f.length !== FIELD_COUNT) throw new ParseError('BAD_FORMAT', 'esp', lineNo, `line ${lineNo}: expected ${FIELD_COUNT} comma-separated fields, found ${f.length}`);
    const [proto, src, dst, spi, encrName, encrKeyText, integName, integKeyText] = f as [string, string, string, string, string, string, string, string];
    if (proto !== 'IPv4' && proto !== 'IPv6') throw new ParseError('BAD_VALUE', 'esp.protocol', lineNo, `line ${lineNo}: protocol "${proto}" is neither "IPv4" nor "IPv6"`);
    const encr = WIRESHARK_ESP_ENCR.find((e) => e.name === encrName);
    const integ = WIRESHARK_ESP_INTEG.find((e) => e.name === integName);
    for (const [name, found, field] of [[encrName, encr, 'esp.encr'], [integName, integ, 'esp.integ']] as const) {
      if (found !== undefined) continue;
      const why = WIRESHARK_ESP_UNMAPPED.includes(name) ? 'has no IKEv2 transform ID; Kite cannot use it' : 'is not a Wireshark ESP algorithm';
      throw new ParseError('BAD_VALUE', field, lineNo, `line ${lineNo}: "${name}" ${why}`);
    }
    if (encr === undefined || integ === undefined) return; // unreachable: both checked above
    const encrKey = keyBytes(encrKeyText, 'esp.encrKey', lineNo);
    const integKey = keyBytes(integKeyText, 'esp.integKey', lineNo);
    if (!(encr.keyBytes as readonly number[]).includes(encrKey.length)) {
      throw new ParseError('BAD_LENGTH', 'esp.encrKey', lineNo, `line ${lineNo}: "${encrName}" takes a key of ${encr.keyBytes.join(' or ')} octets, got ${encrKey.length}`);
    }
    if (integKey.length !== integ.keyBytes) throw new ParseError('BAD_LENGTH', 'esp.integKey', lineNo, `line ${lineNo}: "${integName}" takes a key of ${integ.keyBytes} octets, got ${integKey.length}`);
    out.push({
      ipVersion: proto === 'IPv4' ? 4 : 6,
      src,
      dst,
      spi: spiValue(spi, lineNo),
      encr: { encrId: encr.encrId, keyLengthBits: (encrKey.length - encr.extra) * 8 },
      encrKey,
      integ: { integId: integ.integId },
      integKey,
    });
  });
  return out;
}

/** Write entries in the `esp_sa` format, as strongSwan's save-keys plugin does. */
export function formatEspSaFile(entries: readonly EspSaKeys[]): string {
  const hex = (b: Uint8Array): string => `0x${toHex(b)}`;
  return entries
    .map((e) => {
      const encr = WIRESHARK_ESP_ENCR.find((x) => x.encrId === e.encr.encrId && (x.keyBytes as readonly number[]).includes(e.encrKey.length));
      if (encr === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `no Wireshark ESP name for ENCR ${e.encr.encrId} with a ${e.encrKey.length}-octet key`);
      const integ = WIRESHARK_ESP_INTEG.find((x) => x.integId === e.integ.integId);
      if (integ === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `no Wireshark ESP name for INTEG ${e.integ.integId}`);
      const spi = e.spi === undefined ? '*' : `0x${e.spi.toString(16).padStart(8, '0')}`;
      const integKey = e.integKey.length === 0 ? '' : hex(e.integKey);
      return `${[`IPv${e.ipVersion}`, e.src, e.dst, spi, encr.name, hex(e.encrKey), integ.name, integKey].map(quoteUat).join(',')}\n`;
    })
    .join('');
}
