/**
 * Wireshark's IKEv2 decryption table (`ikev2_decryption_table`, a UAT file), as written by
 * strongSwan's save-keys plugin and read by Wireshark's ISAKMP dissector: one IKE SA per line,
 *
 *   SPIi,SPIr,SK_ei,SK_er,"encryption algorithm",SK_ai,SK_ar,"integrity algorithm"
 *
 * with the SPIs and keys as bare hex and the algorithms as Wireshark's display strings (checked
 * against tshark 4.0: it rejects any other string and any key whose length does not fit). For the
 * AEAD ciphers SK_e includes the salt (GCM 4 octets, CCM 3, RFC 5282 §7.1) and the integrity
 * algorithm is "NONE [RFC4306]" with empty SK_a. `#` starts a comment line.
 */
import { KiteError, ParseError } from '../errors.js';
import { EncrId, IntegId } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { parseUatLine, quoteUat } from './uat.js';

/** Keys of one IKE SA, as needed to decrypt its SK / SKF payloads. */
export interface IkeSaKeys {
  /** Initiator's SPI (8 octets). */
  readonly spiI: Uint8Array;
  /** Responder's SPI (8 octets). */
  readonly spiR: Uint8Array;
  /** SK_ei, including the salt for AEAD ciphers. */
  readonly skEi: Uint8Array;
  /** SK_er, including the salt for AEAD ciphers. */
  readonly skEr: Uint8Array;
  /** ENCR transform: IANA ID and key length in bits (without salt). */
  readonly encr: { readonly encrId: number; readonly keyLengthBits: number };
  /** SK_ai (empty for AEAD). */
  readonly skAi: Uint8Array;
  /** SK_ar (empty for AEAD). */
  readonly skAr: Uint8Array;
  /** INTEG transform: IANA ID (`IntegId.NONE` for AEAD). */
  readonly integ: { readonly integId: number };
}

/** Most entries read from one keys file. */
export const MAX_KEYS_ENTRIES = 100_000;

/**
 * Wireshark 4.0's encryption algorithm strings (packet-isakmp.c `vs_ikev2_encr_algs`) with the
 * IANA ID, key length and the SK_e length Wireshark demands (key + salt or nonce).
 * The ChaCha20-Poly1305 row is a Kite extension: Wireshark 4.0 has no such entry and rejects it.
 */
export const WIRESHARK_ENCR = [
  { name: '3DES [RFC2451]', encrId: EncrId.ENCR_3DES, keyLengthBits: 192, keyBytes: 24, aead: false },
  { name: 'NULL [RFC2410]', encrId: EncrId.ENCR_NULL, keyLengthBits: 0, keyBytes: 0, aead: false },
  { name: 'AES-CBC-128 [RFC3602]', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128, keyBytes: 16, aead: false },
  { name: 'AES-CBC-192 [RFC3602]', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 192, keyBytes: 24, aead: false },
  { name: 'AES-CBC-256 [RFC3602]', encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, keyBytes: 32, aead: false },
  { name: 'AES-CTR-128 [RFC5930]', encrId: EncrId.ENCR_AES_CTR, keyLengthBits: 128, keyBytes: 20, aead: false },
  { name: 'AES-CTR-192 [RFC5930]', encrId: EncrId.ENCR_AES_CTR, keyLengthBits: 192, keyBytes: 28, aead: false },
  { name: 'AES-CTR-256 [RFC5930]', encrId: EncrId.ENCR_AES_CTR, keyLengthBits: 256, keyBytes: 36, aead: false },
  { name: 'AES-GCM-128 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128, keyBytes: 20, aead: true },
  { name: 'AES-GCM-192 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 192, keyBytes: 28, aead: true },
  { name: 'AES-GCM-256 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 256, keyBytes: 36, aead: true },
  { name: 'AES-GCM-128 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_8, keyLengthBits: 128, keyBytes: 20, aead: true },
  { name: 'AES-GCM-192 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_8, keyLengthBits: 192, keyBytes: 28, aead: true },
  { name: 'AES-GCM-256 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_8, keyLengthBits: 256, keyBytes: 36, aead: true },
  { name: 'AES-GCM-128 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_12, keyLengthBits: 128, keyBytes: 20, aead: true },
  { name: 'AES-GCM-192 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_12, keyLengthBits: 192, keyBytes: 28, aead: true },
  { name: 'AES-GCM-256 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_GCM_12, keyLengthBits: 256, keyBytes: 36, aead: true },
  { name: 'AES-CCM-128 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_16, keyLengthBits: 128, keyBytes: 19, aead: true },
  { name: 'AES-CCM-192 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_16, keyLengthBits: 192, keyBytes: 27, aead: true },
  { name: 'AES-CCM-256 with 16 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_16, keyLengthBits: 256, keyBytes: 35, aead: true },
  { name: 'AES-CCM-128 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_8, keyLengthBits: 128, keyBytes: 19, aead: true },
  { name: 'AES-CCM-192 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_8, keyLengthBits: 192, keyBytes: 27, aead: true },
  { name: 'AES-CCM-256 with 8 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_8, keyLengthBits: 256, keyBytes: 35, aead: true },
  { name: 'AES-CCM-128 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_12, keyLengthBits: 128, keyBytes: 19, aead: true },
  { name: 'AES-CCM-192 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_12, keyLengthBits: 192, keyBytes: 27, aead: true },
  { name: 'AES-CCM-256 with 12 octet ICV [RFC5282]', encrId: EncrId.ENCR_AES_CCM_12, keyLengthBits: 256, keyBytes: 35, aead: true },
  { name: 'CHACHA20-POLY1305 [RFC7634]', encrId: EncrId.ENCR_CHACHA20_POLY1305, keyLengthBits: 256, keyBytes: 36, aead: true },
] as const;

/**
 * Wireshark 4.0's integrity algorithm strings (`vs_ikev2_auth_algs`) with the IANA ID and SK_a
 * length. `integId: null` marks Wireshark entries that have no IANA transform ID (a draft
 * algorithm and "ANY n-bits [No Checking]"): Kite recognises but cannot use them.
 */
export const WIRESHARK_INTEG = [
  { name: 'NONE [RFC4306]', integId: IntegId.NONE, keyBytes: 0 },
  { name: 'HMAC_MD5_96 [RFC2403]', integId: IntegId.AUTH_HMAC_MD5_96, keyBytes: 16 },
  { name: 'HMAC_SHA1_96 [RFC2404]', integId: IntegId.AUTH_HMAC_SHA1_96, keyBytes: 20 },
  { name: 'HMAC_MD5_128 [RFC4595]', integId: IntegId.AUTH_HMAC_MD5_128, keyBytes: 16 },
  { name: 'HMAC_SHA1_160 [RFC4595]', integId: IntegId.AUTH_HMAC_SHA1_160, keyBytes: 20 },
  { name: 'HMAC_SHA2_256_128 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_256_128, keyBytes: 32 },
  { name: 'HMAC_SHA2_384_192 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_384_192, keyBytes: 48 },
  { name: 'HMAC_SHA2_512_256 [RFC4868]', integId: IntegId.AUTH_HMAC_SHA2_512_256, keyBytes: 64 },
  { name: 'HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]', integId: null, keyBytes: 32 },
  { name: 'ANY 64-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
  { name: 'ANY 96-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
  { name: 'ANY 128-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
  { name: 'ANY 160-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
  { name: 'ANY 192-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
  { name: 'ANY 256-bits of Authentication [No Checking]', integId: null, keyBytes: 0 },
] as const;

const SPI_LENGTH = 8;
const FIELDS = ['spiI', 'spiR', 'skEi', 'skEr', 'encr', 'skAi', 'skAr', 'integ'] as const;

/**
 * Parse an `ikev2_decryption_table` file. Throws ParseError (offset = 1-based line number) on a
 * malformed line, an algorithm string Wireshark does not know (the message quotes it), or a key
 * whose length does not fit its algorithm — the same checks Wireshark applies.
 */
export function parseIkeKeysFile(text: string): IkeSaKeys[] {
  const out: IkeSaKeys[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (out.length >= MAX_KEYS_ENTRIES) throw new ParseError('LIMIT', 'keys', lineNo, `more than ${MAX_KEYS_ENTRIES} entries`);
    const fields = parseUatLine(line, lineNo, 'keys');
    if (fields.length !== FIELDS.length) {
      throw new ParseError('BAD_FORMAT', 'keys', lineNo, `line ${lineNo}: expected ${FIELDS.length} comma-separated fields, found ${fields.length}`);
    }
    const hex = (k: number): Uint8Array => {
      const f = fields[k] as { readonly text: string; readonly quoted: boolean };
      const name = FIELDS[k] as string;
      if (f.quoted || !/^(?:[0-9a-fA-F]{2})*$/.test(f.text)) {
        // SPIs are shown; key material never goes into a message (it ends up on a terminal or in a log).
        const got = name.startsWith('spi') ? `, got '${f.text}'` : '';
        throw new ParseError('BAD_FORMAT', `keys.${name}`, lineNo, `line ${lineNo}: ${name} must be bare hex without quotes${got}`);
      }
      return new Uint8Array(Buffer.from(f.text, 'hex'));
    };
    const [spiI, spiR, skEi, skEr, skAi, skAr] = [hex(0), hex(1), hex(2), hex(3), hex(5), hex(6)];
    for (const [name, spi] of [['spiI', spiI], ['spiR', spiR]] as const) {
      if (spi.length !== SPI_LENGTH) throw new ParseError('BAD_LENGTH', `keys.${name}`, lineNo, `line ${lineNo}: ${name} must be ${SPI_LENGTH} octets, got ${spi.length}`);
    }
    const encrName = (fields[4] as { readonly text: string }).text;
    const encr = WIRESHARK_ENCR.find((e) => e.name === encrName);
    if (encr === undefined) throw new ParseError('BAD_VALUE', 'keys.encr', lineNo, `line ${lineNo}: unknown encryption algorithm "${encrName}"`);
    const integName = (fields[7] as { readonly text: string }).text;
    const integ = WIRESHARK_INTEG.find((e) => e.name === integName);
    if (integ === undefined) throw new ParseError('BAD_VALUE', 'keys.integ', lineNo, `line ${lineNo}: unknown integrity algorithm "${integName}"`);
    if (integ.integId === null) throw new ParseError('BAD_VALUE', 'keys.integ', lineNo, `line ${lineNo}: integrity algorithm "${integName}" has no IANA transform ID; Kite cannot use it`);
    if (encr.aead && integ.integId !== IntegId.NONE) {
      throw new ParseError('BAD_VALUE', 'keys.integ', lineNo, `line ${lineNo}: "${encrName}" is a combined-mode cipher and needs integrity "NONE [RFC4306]"`);
    }
    for (const [name, key, want] of [['skEi', skEi, encr.keyBytes], ['skEr', skEr, encr.keyBytes], ['skAi', skAi, integ.keyBytes], ['skAr', skAr, integ.keyBytes]] as const) {
      if (key.length !== want) throw new ParseError('BAD_LENGTH', `keys.${name}`, lineNo, `line ${lineNo}: ${name} has ${key.length} octets, the algorithm needs ${want}`);
    }
    out.push({ spiI, spiR, skEi, skEr, encr: { encrId: encr.encrId, keyLengthBits: encr.keyLengthBits }, skAi, skAr, integ: { integId: integ.integId } });
  });
  return out;
}

/**
 * Write entries in the `ikev2_decryption_table` format (one line each, as strongSwan writes them).
 * Throws KiteError `UNSUPPORTED_ALGORITHM` for a transform Wireshark's table cannot name.
 */
export function formatIkeKeysFile(entries: readonly IkeSaKeys[]): string {
  return entries
    .map((k) => {
      const encr = WIRESHARK_ENCR.find((e) => e.encrId === k.encr.encrId && e.keyLengthBits === k.encr.keyLengthBits);
      if (encr === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `no Wireshark name for ENCR ${k.encr.encrId} with a ${k.encr.keyLengthBits}-bit key`);
      const integ = WIRESHARK_INTEG.find((e) => e.integId === k.integ.integId);
      if (integ === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `no Wireshark name for INTEG ${k.integ.integId}`);
      return `${toHex(k.spiI)},${toHex(k.spiR)},${toHex(k.skEi)},${toHex(k.skEr)},${quoteUat(encr.name)},${toHex(k.skAi)},${toHex(k.skAr)},${quoteUat(integ.name)}\n`;
    })
    .join('');
}
