/**
 * Fuzz target: the whole `kite decode` pipeline on a file — pcap / pcapng container (or hex text),
 * link, IP and UDP layers, IKE datagram classification, then IKE decoding, SK/SKF decryption with
 * the fixture keys and rendering. Seeds are the real captures in src/capture/testdata and
 * vectors/strongswan plus small synthetic files for link types the captures do not cover.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseIkeKeysFile, type IkeSaKeys } from '../../src/capture/keys-file.js';
import { decodeIkeFile } from '../../src/decode/decode-file.js';
import { renderText } from '../../src/decode/text.js';
import type { FuzzTarget } from '../harness.js';

const FILES = ['lo.pcap', 'lo.pcapng', 'any-sll.pcap', 'any-sll2.pcapng'] as const;
const SUITES = ['aes256-sha256-modp2048', 'aes128gcm16-ecp256'] as const;
const suiteFile = (suite: string, f: string): URL => new URL(`../../vectors/strongswan/${suite}/${f}`, import.meta.url);

/** Keys of the strongSwan fixtures, so mutated SK payloads reach the decrypt and inner decode paths. */
function fixtureKeys(): IkeSaKeys[] {
  return SUITES.flatMap((s) => (existsSync(suiteFile(s, 'ikev2_decryption_table')) ? parseIkeKeysFile(readFileSync(suiteFile(s, 'ikev2_decryption_table'), 'utf8')) : []));
}

/** A classic little-endian pcap holding `frame` with `linkType`. */
function pcapOf(linkType: number, frame: readonly number[]): Uint8Array {
  const hdr = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, linkType, 0, 0, 0];
  const n = frame.length;
  const rec = [1, 0, 0, 0, 0, 0, 0, 0, n & 0xff, n >> 8, 0, 0, n & 0xff, n >> 8, 0, 0];
  return new Uint8Array([...hdr, ...rec, ...frame]);
}
/** Read once at load; never modified. */
const KEYS: readonly IkeSaKeys[] = fixtureKeys();

const UDP: readonly number[] = [0x01, 0xf4, 0x01, 0xf4, 0, 12, 0, 0, 1, 2, 3, 4];
const IPV4: readonly number[] = [0x46, 0, 0, 36, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 1, 1, 0, ...UDP];
const IPV6: readonly number[] = [0x60, 0, 0, 0, 0, 20, 0, 64, ...new Array<number>(32).fill(1), 17, 0, 0, 0, 0, 0, 0, 0, ...UDP];

/** The pcap fuzz target. */
export const target: FuzzTarget = {
  name: 'pcap',
  seeds() {
    const real = FILES.map((f) => new Uint8Array(readFileSync(new URL(`../../src/capture/testdata/${f}`, import.meta.url))));
    const strongswan = SUITES.filter((s) => existsSync(suiteFile(s, 'capture.pcap'))).map((s) => new Uint8Array(readFileSync(suiteFile(s, 'capture.pcap'))));
    return [
      ...real,
      ...strongswan,
      pcapOf(0, [2, 0, 0, 0, ...IPV4]),
      pcapOf(101, IPV6),
      pcapOf(1, [...new Array<number>(12).fill(0), 0x81, 0, 0, 1, 0x86, 0xdd, ...IPV6]),
      pcapOf(113, [0, 0, 0, 1, 0, 6, ...new Array<number>(8).fill(0), 0x08, 0x00, ...IPV4]),
    ];
  },
  run(input) {
    // Inputs whose magic a mutation broke take the hex-text path, which is fuzzed that way too.
    for (const rec of decodeIkeFile(input, KEYS, { maxRecords: 10_000 })) renderText(rec);
  },
};
