/**
 * Fuzz target: the Wireshark UAT key tables, `ikev2_decryption_table` and `esp_sa`, fed bytes
 * decoded as UTF-8 text (a text starting with a quote goes to the `esp_sa` parser, whose lines
 * are fully quoted). Seeds are lines in the exact form strongSwan's save-keys plugin writes.
 */
import { parseEspSaFile } from '../../src/capture/esp-sa-file.js';
import { parseIkeKeysFile } from '../../src/capture/keys-file.js';
import type { FuzzTarget } from '../harness.js';

const hex = (n: number, b: number): string => Buffer.alloc(n, b).toString('hex');
const SEEDS = [
  `8a8b27e0a8d15b21,2bc5d5e8b9a1f0c3,${hex(32, 1)},${hex(32, 2)},"AES-CBC-256 [RFC3602]",${hex(32, 3)},${hex(32, 4)},"HMAC_SHA2_256_128 [RFC4868]"\n`,
  `# comment\n0102030405060708,1112131415161718,${hex(20, 5)},${hex(20, 6)},"AES-GCM-128 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"\r\n`,
  `0102030405060708,1112131415161718,${hex(24, 5)},${hex(24, 6)},"3DES [RFC2451]",${hex(20, 7)},${hex(20, 8)},"HMAC_SHA1_96 [RFC2404]"\n`,
  ` 0102030405060708 , 1112131415161718,${hex(16, 1)},${hex(16, 1)},"AES-CBC-128 \\x5bRFC3602]",${hex(64, 1)},${hex(64, 2)},"HMAC_SHA2_512_256 [RFC4868]"\n`,
  `"IPv4","192.0.2.1","192.0.2.2","0xaec902ee","AES-CBC [RFC3602]","0x${hex(32, 1)}","HMAC-SHA-256-128 [RFC4868]","0x${hex(32, 2)}"\n`,
  `"IPv6","*","2001:db8::2","*","AES-GCM with 16 octet ICV [RFC4106]","0x${hex(20, 3)}","NULL",""\n"IPv4","*","*","0x1","NULL","","NULL",""\n`,
] as const;

/** The keys-file fuzz target. */
export const target: FuzzTarget = {
  name: 'keys-file',
  seeds() {
    return SEEDS.map((s) => new TextEncoder().encode(s));
  },
  run(input) {
    const text = new TextDecoder().decode(input);
    if (text.startsWith('"')) parseEspSaFile(text);
    else parseIkeKeysFile(text);
  },
};
