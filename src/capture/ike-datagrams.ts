/**
 * Pick the IKE traffic out of decoded capture records: UDP port 500 carries bare IKE messages
 * (RFC 7296 §2.11); port 4500 carries IKE behind the 4-byte non-ESP marker, UDP-encapsulated ESP
 * (first four bytes = non-zero SPI) and one-byte NAT-keepalives (RFC 3948 §2.2, §2.3).
 */
import { ParseError } from '../errors.js';
import { IkePort } from '../iana/ikev2.js';
import { NAT_KEEPALIVE_BYTE, NON_ESP_MARKER_LENGTH } from '../iana/ipsec.js';
import type { BadRecord, CaptureRecord, UdpRecord } from './frame.js';

/** What a datagram on the IKE ports carries. */
export type IkeDatagramKind = 'ike' | 'esp' | 'keepalive';

/** One datagram on UDP 500 or 4500, classified. */
export interface IkeDatagram extends Omit<UdpRecord, 'kind' | 'payload' | 'payloadOffset'> {
  readonly kind: IkeDatagramKind;
  /** `ike`: the IKE message (marker stripped); `esp`: the ESP packet from the SPI on; `keepalive`: the 0xFF byte. */
  readonly payload: Uint8Array;
  /** File offset of `payload[0]`, so a decoder's ParseError offsets can be mapped into the file. */
  readonly payloadOffset: number;
}

/**
 * Classify every UDP record that has port 500 or 4500 on either side. Damaged frames (`bad`
 * records) pass through so the caller can report them; a datagram on 4500 that is none of IKE,
 * ESP or keepalive (e.g. shorter than the marker) becomes a `bad` record too.
 */
export function extractIkeDatagrams(records: readonly CaptureRecord[]): (IkeDatagram | BadRecord)[] {
  const out: (IkeDatagram | BadRecord)[] = [];
  for (const rec of records) {
    if (rec.kind === 'bad') {
      out.push(rec);
      continue;
    }
    if (rec.kind !== 'udp') continue;
    const { index, timestamp, src, dst, srcPort, dstPort, payload, payloadOffset } = rec;
    const base = { index, timestamp, src, dst, srcPort, dstPort, payloadOffset };
    if (srcPort === IkePort.NAT_T || dstPort === IkePort.NAT_T) {
      if (payload.length === 1 && payload[0] === NAT_KEEPALIVE_BYTE) {
        out.push({ ...base, kind: 'keepalive', payload });
      } else if (payload.length < NON_ESP_MARKER_LENGTH) {
        const error = new ParseError('TRUNCATED', 'udp-encap.marker', payloadOffset, `${payload.length}-byte datagram on port ${IkePort.NAT_T} is neither keepalive, ESP nor marked IKE`);
        out.push({ index, timestamp, kind: 'bad', error });
      } else if (payload.subarray(0, NON_ESP_MARKER_LENGTH).every((b) => b === 0)) {
        out.push({ ...base, kind: 'ike', payload: payload.subarray(NON_ESP_MARKER_LENGTH), payloadOffset: payloadOffset + NON_ESP_MARKER_LENGTH });
      } else {
        out.push({ ...base, kind: 'esp', payload });
      }
    } else if (srcPort === IkePort.IKE || dstPort === IkePort.IKE) {
      out.push({ ...base, kind: 'ike', payload });
    }
  }
  return out;
}
