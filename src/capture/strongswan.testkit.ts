/**
 * Test support (not used by the library): the IKE messages of the real strongSwan captures in
 * vectors/strongswan/<suite>/capture.pcap, as read by Kite's own pcap reader, for property tests
 * and fuzz seeds. Suites whose capture is absent contribute nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extractIkeDatagrams } from './ike-datagrams.js';
import { readCapture } from './pcap.js';

/** IKE messages of one capture, in frame order (non-ESP marker stripped; copies, not views). */
export interface SuiteMessages {
  readonly suite: string;
  readonly messages: readonly Uint8Array[];
}

/** Every capture under vectors/strongswan/, in directory order. */
export function strongswanCaptureMessages(): SuiteMessages[] {
  const root = new URL('../../vectors/strongswan/', import.meta.url);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((suite) => existsSync(new URL(`${suite}/capture.pcap`, root)))
    .map((suite) => {
      const file = new Uint8Array(readFileSync(new URL(`${suite}/capture.pcap`, root)));
      const messages = extractIkeDatagrams(readCapture(file)).flatMap((d) => (d.kind === 'ike' ? [d.payload.slice()] : []));
      return { suite, messages };
    });
}
