/**
 * IKE header (RFC 7296 §3.1, Figure 4): SPIs, Next Payload, version, exchange type, flags, Message
 * ID and total Length, 28 octets.
 */
import { ParseError } from '../errors.js';
import { HeaderFlag } from '../iana/ikev2.js';
import { Reader, type Writer } from '../util/bytes.js';
import { checkField, checkUint } from './payloads/common.js';

/** Size of the fixed IKE header in octets. */
export const IKE_HEADER_LENGTH = 28;

/** Decoded IKE header. `flags` is the raw octet; `initiator`/`response` are its I and R bits. */
export interface IkeHeader {
  /** IKE SA Initiator's SPI, 8 octets. */
  readonly spiI: Uint8Array;
  /** IKE SA Responder's SPI, 8 octets (zero in the first IKE_SA_INIT request). */
  readonly spiR: Uint8Array;
  /** Type of the first payload. */
  readonly nextPayload: number;
  /** Major version (2 for IKEv2). */
  readonly majorVersion: number;
  /** Minor version (0). */
  readonly minorVersion: number;
  /** Exchange type (`ExchangeType`). */
  readonly exchangeType: number;
  /** The raw flags octet, kept whole so reserved bits survive a re-encode. */
  readonly flags: number;
  /** I (Initiator) flag: set by the original initiator of the IKE SA. */
  readonly initiator: boolean;
  /** R (Response) flag. */
  readonly response: boolean;
  /** Message ID (unsigned 32-bit). */
  readonly messageId: number;
  /** Length of the whole message in octets. */
  readonly length: number;
}

/**
 * Decode the 28-octet header at the start of `buf`. `base` is added to error offsets. It checks
 * only the layout: the version, the exchange and the length against the datagram are judged by
 * the caller (so that it can answer INVALID_MAJOR_VERSION, RFC 7296 §2.5).
 */
export function decodeHeader(buf: Uint8Array, base = 0): IkeHeader {
  const r = new Reader(buf, base);
  r.need(IKE_HEADER_LENGTH, 'header');
  const spiI = r.copy(8, 'spiI');
  const spiR = r.copy(8, 'spiR');
  const nextPayload = r.u8('nextPayload');
  const version = r.u8('version');
  const exchangeType = r.u8('exchangeType');
  const flags = r.u8('flags');
  const messageId = r.u32('messageId');
  const length = r.u32('length');
  return {
    spiI,
    spiR,
    nextPayload,
    majorVersion: version >>> 4,
    minorVersion: version & 0x0f,
    exchangeType,
    flags,
    initiator: (flags & HeaderFlag.INITIATOR) !== 0,
    response: (flags & HeaderFlag.RESPONSE) !== 0,
    messageId,
    length,
  };
}

/**
 * Write `h` as 28 octets. The I and R bits come from `initiator` and `response`; every other bit of
 * `flags` is written as given. `nextPayload` and `length` are written as given
 * (`encodeMessage` fills them in).
 */
export function encodeHeader(w: Writer, h: IkeHeader): void {
  checkField(h.spiI.length === 8, 'header.spiI length', h.spiI.length);
  checkField(h.spiR.length === 8, 'header.spiR length', h.spiR.length);
  checkUint(h.nextPayload, 0xff, 'header.nextPayload');
  checkUint(h.majorVersion, 0x0f, 'header.majorVersion');
  checkUint(h.minorVersion, 0x0f, 'header.minorVersion');
  checkUint(h.exchangeType, 0xff, 'header.exchangeType');
  checkUint(h.flags, 0xff, 'header.flags');
  checkUint(h.messageId, 0xffffffff, 'header.messageId');
  checkUint(h.length, 0xffffffff, 'header.length');
  const ir = HeaderFlag.INITIATOR | HeaderFlag.RESPONSE;
  const flags = (h.flags & ~ir) | (h.initiator ? HeaderFlag.INITIATOR : 0) | (h.response ? HeaderFlag.RESPONSE : 0);
  w.bytes(h.spiI).bytes(h.spiR).u8(h.nextPayload).u8((h.majorVersion << 4) | h.minorVersion);
  w.u8(h.exchangeType).u8(flags).u32(h.messageId).u32(h.length);
}

/** Throws ParseError unless `h` describes an IKEv2 message of exactly `size` octets. */
export function checkHeaderFrame(h: IkeHeader, size: number, base = 0): void {
  if (h.majorVersion !== 2) throw new ParseError('BAD_VALUE', 'majorVersion', base + 17, `major version ${h.majorVersion}`);
  if (h.length !== size) {
    throw new ParseError('BAD_LENGTH', 'length', base + 24, `header says ${h.length} octets, datagram has ${size}`);
  }
}
