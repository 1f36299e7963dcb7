/**
 * `kite decode` without the I/O: the bytes of the file named on the command line (a pcap or
 * pcapng capture, or text with one hex IKE message per paragraph) and the parsed keys table in,
 * the records to print out, in file order. Frames that could not be decoded appear as error
 * records at their frame number; ESP and NAT-keepalive datagrams are not IKE and are left out.
 */
import { extractIkeDatagrams } from '../capture/ike-datagrams.js';
import { readHexMessages } from '../capture/hex.js';
import type { IkeSaKeys } from '../capture/keys-file.js';
import { isCaptureFile, readCapture, type CaptureLimits } from '../capture/pcap.js';
import { renderError } from './render.js';
import { decodeIkeDatagrams, type DecodedDatagramJson, type IkeDatagramInput } from './session.js';

/**
 * Decode every IKE message in `file`. Throws ParseError only for damage to the file as a whole
 * (capture container, or a hex paragraph that is not hex, with its line number); everything
 * per message is reported in the returned records.
 */
export function decodeIkeFile(file: Uint8Array, keys: readonly IkeSaKeys[] = [], limits: CaptureLimits = {}): DecodedDatagramJson[] {
  if (!isCaptureFile(file)) {
    const messages = readHexMessages(new TextDecoder().decode(file));
    return decodeIkeDatagrams(messages.map((payload, i) => ({ payload, index: i + 1 })), keys);
  }
  const items = extractIkeDatagrams(readCapture(file, limits));
  const inputs: IkeDatagramInput[] = [];
  for (const d of items) {
    if (d.kind !== 'ike') continue;
    const { payload, index, timestamp, src, dst, srcPort, dstPort } = d;
    inputs.push({ payload, index, timestamp, src, dst, srcPort, dstPort });
  }
  const decoded = decodeIkeDatagrams(inputs, keys);
  // Merge the damaged frames back in, both lists being in frame order.
  const out: DecodedDatagramJson[] = [];
  let next = 0;
  for (const d of items) {
    if (d.kind === 'bad') out.push({ ...renderError(d.error), frame: { index: d.index, timestamp: d.timestamp } });
    else if (d.kind === 'ike') out.push(decoded[next++] as DecodedDatagramJson);
  }
  return out;
}
