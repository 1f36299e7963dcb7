/**
 * Fuzz target: `readHexMessages`, the hex-text input of `kite decode`, on bytes decoded as UTF-8.
 * Beyond "record or ParseError" it checks that the messages it returns, written back as plain
 * hex paragraphs, read back to the same messages.
 * Seeds: IKE messages of the strongSwan captures written the ways users paste them (`xxd -p`
 * lines, Wireshark's hex stream, strongSwan-style `aa:bb` dumps, `0x` words with `#` comments,
 * CRLF line ends), several paragraphs per seed.
 */
import { readHexMessages } from '../../src/capture/hex.js';
import { strongswanCaptureMessages } from '../../src/capture/strongswan.testkit.js';
import { bytesEqual, toHex } from '../../src/util/bytes.js';
import type { FuzzTarget } from '../harness.js';

/** The first few IKE messages of each capture (IKE_SA_INIT and a fragment of IKE_AUTH). */
const captureMessages = (): Uint8Array[] => strongswanCaptureMessages().flatMap((c) => c.messages.slice(0, 3));

const lines = (s: string, n: number): string[] => s.match(new RegExp(`.{1,${n}}`, 'g')) ?? [];

/** `m` in one of the forms users paste, by `style`. */
function render(m: Uint8Array, style: number): string {
  const hex = toHex(m);
  switch (style % 4) {
    case 0:
      return lines(hex, 60).join('\n'); // xxd -p
    case 1:
      return `# IKE message, ${m.length} octets\n${hex}`; // Wireshark "Copy as Hex Stream"
    case 2:
      return lines(hex, 32).map((l) => `  ${lines(l, 2).join(':')}`).join('\n'); // strongSwan-style dump
    default:
      return lines(hex, 8).map((w, i) => `0x${w}${i % 4 === 3 ? ' # word\r' : ' '}`).join('\n');
  }
}

/** The hex-text fuzz target. */
export const target: FuzzTarget = {
  name: 'hex',
  seeds() {
    const msgs = captureMessages();
    const enc = new TextEncoder();
    const small = [Uint8Array.of(0, 1, 2, 3), Uint8Array.of(0xab, 0xcd)];
    return [
      ...msgs.map((m, i) => enc.encode(`${render(m, i)}\n\n${render(small[i % 2] as Uint8Array, i + 1)}\n`)),
      enc.encode('# only a comment\n\n\n'),
      enc.encode('0x00 0x11 22:33\r\n\r\nabcdef # two\n'),
    ];
  },
  run(input) {
    const messages = readHexMessages(new TextDecoder().decode(input));
    const again = readHexMessages(messages.map(toHex).join('\n\n'));
    if (again.length !== messages.length || again.some((m, i) => !bytesEqual(m, messages[i] as Uint8Array))) {
      throw new Error('hex paragraphs written back read differently');
    }
  },
};
