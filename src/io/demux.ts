/**
 * The NAT-T socket's demultiplexer (RFC 3948 §2): one UDP port carries IKE behind the non-ESP
 * marker (four zero bytes, where ESP has its SPI), ESP (non-zero SPI first), and one-byte
 * NAT-keepalives (0xFF). Pure and allocation-free: the caller takes `subarray`s.
 */
import { NAT_KEEPALIVE_BYTE, NON_ESP_MARKER_LENGTH } from '../iana/ipsec.js';
import { IKE_HEADER_LENGTH } from '../wire/header.js';
import { ESP_HEADER_LENGTH, ESP_MIN_SPI, readU32 } from '../wire/esp.js';

/** What a datagram on the NAT-T port is. */
export const NatTKind = {
  /** IKE message after the non-ESP marker (`datagram.subarray(4)`). */
  IKE: 'ike',
  /** ESP packet (the whole datagram, SPI first). */
  ESP: 'esp',
  /** NAT-keepalive: ignore. */
  KEEPALIVE: 'keepalive',
  /** None of the above (too short, reserved SPI, stray byte): drop and count. */
  GARBAGE: 'garbage',
} as const;
/** One of {@link NatTKind}. */
export type NatTKind = (typeof NatTKind)[keyof typeof NatTKind];

/** Classify one UDP payload received on the NAT-T port. Never throws. */
export function classifyNatT(datagram: Uint8Array): NatTKind {
  const n = datagram.length;
  if (n === 1) return datagram[0] === NAT_KEEPALIVE_BYTE ? NatTKind.KEEPALIVE : NatTKind.GARBAGE;
  if (n < NON_ESP_MARKER_LENGTH) return NatTKind.GARBAGE;
  const spi = readU32(datagram, 0);
  if (spi === 0) return n >= NON_ESP_MARKER_LENGTH + IKE_HEADER_LENGTH ? NatTKind.IKE : NatTKind.GARBAGE;
  return spi >= ESP_MIN_SPI && n >= ESP_HEADER_LENGTH ? NatTKind.ESP : NatTKind.GARBAGE;
}

/** The IKE message inside a datagram {@link classifyNatT} called `ike` (a view, no copy). */
export function ikeFromNatT(datagram: Uint8Array): Uint8Array {
  return datagram.subarray(NON_ESP_MARKER_LENGTH);
}

/** `message` prefixed with the non-ESP marker, ready to send on the NAT-T port. */
export function withNonEspMarker(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(NON_ESP_MARKER_LENGTH + message.length);
  out.set(message, NON_ESP_MARKER_LENGTH);
  return out;
}

/** A NAT-keepalive datagram (RFC 3948 §2.3): the single byte 0xFF. */
export function natKeepalive(): Uint8Array {
  return Uint8Array.of(NAT_KEEPALIVE_BYTE);
}
