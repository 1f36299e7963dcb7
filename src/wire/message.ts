/**
 * IKE messages (RFC 7296 §3.1-§3.2): the header followed by a chain of payloads linked by their
 * Next Payload fields. Decoding validates every length before interpreting a body; encoding
 * recomputes lengths and the Next Payload chain, so that a decoded message re-encodes to the same
 * octets.
 *
 * SK and SKF (RFC 7296 §3.14, RFC 7383 §2.5) end the chain: their Next Payload names the first
 * encrypted payload, and their body runs to the end of the message.
 */
import { KiteError, ParseError } from '../errors.js';
import { PayloadType } from '../iana/ikev2.js';
import { Reader, Writer } from '../util/bytes.js';
import { checkHeaderFrame, decodeHeader, encodeHeader, IKE_HEADER_LENGTH, type IkeHeader } from './header.js';
import { WIRE_LIMITS } from './limits.js';
import { checkField, checkLimit, checkUint } from './payloads/common.js';
import { SKF_FRAGMENT_FIELDS_LENGTH } from './payloads/skf.js';
import { decodeUnknownPayload } from './payloads/unknown.js';
import { decodePayloadBody, encodePayloadBody, isKnownPayloadType, type Payload } from './payload.js';

/** Length of the generic payload header (RFC 7296 §3.2). */
export const GENERIC_PAYLOAD_HEADER_LENGTH = 4;

const CRITICAL = 0x80;

/** A decoded IKE message. */
export interface IkeMessage {
  readonly header: IkeHeader;
  /** Outer payloads in wire order; an SK or SKF payload, if any, is last. */
  readonly payloads: readonly Payload[];
  /**
   * Offset in the message of the SK/SKF payload's generic header, when there is one (set by
   * {@link decodeMessage}; ignored by {@link encodeMessage}). See {@link SkLocation}.
   */
  readonly skOffset?: number;
}

/**
 * Where the SK or SKF payload sits in an encoded message. For an AEAD suite the associated data
 * is `message[0 .. bodyOffset)` (IKE header, SK generic header and, for SKF, the fragment
 * fields); for an integrity suite the ICV covers `message[0 .. length - icvLength)`.
 */
export interface SkLocation {
  /** Payload type found: SK (46) or SKF (53). */
  readonly type: number;
  /** Offset of the SK/SKF generic payload header. */
  readonly offset: number;
  /** Offset of the IV (start of `body`). */
  readonly bodyOffset: number;
}

function isEncrypted(type: number): boolean {
  return type === PayloadType.SK || type === PayloadType.SKF;
}

interface ChainResult {
  readonly payloads: Payload[];
  /** Offset (in the reader's coordinates) of the SK/SKF generic header, or -1. */
  readonly skOffset: number;
}

/** Walk a payload chain over all of `r`. Offsets in errors are `r`'s absolute offsets. */
function decodeChain(r: Reader, firstType: number): ChainResult {
  const payloads: Payload[] = [];
  let type = firstType;
  while (type !== PayloadType.NONE) {
    const at = r.offset;
    checkLimit(payloads.length + 1, WIRE_LIMITS.maxPayloads, 'payloads', at);
    if (r.remaining < GENERIC_PAYLOAD_HEADER_LENGTH) {
      throw new ParseError('TRUNCATED', 'payload', at, `payload type ${type} announced, ${r.remaining} octets left`);
    }
    const nextPayload = r.u8('payload.nextPayload');
    const critical = (r.u8('payload.flags') & CRITICAL) !== 0;
    const length = r.u16('payload.length');
    if (length < GENERIC_PAYLOAD_HEADER_LENGTH || length - GENERIC_PAYLOAD_HEADER_LENGTH > r.remaining) {
      throw new ParseError('BAD_LENGTH', 'payload.length', at + 2, `payload type ${type}: length ${length}, ${r.remaining + 4} available`);
    }
    const body = r.sub(length - GENERIC_PAYLOAD_HEADER_LENGTH, 'payload.body');
    if (isKnownPayloadType(type)) {
      payloads.push(decodePayloadBody(type, body, critical, nextPayload));
    } else if (critical) {
      throw new ParseError('UNSUPPORTED_CRITICAL_PAYLOAD', 'payload.type', at, `critical payload type ${type}`, type);
    } else {
      payloads.push(decodeUnknownPayload(body, critical, type));
    }
    if (isEncrypted(type)) {
      if (r.remaining !== 0) throw new ParseError('BAD_LENGTH', 'payload.length', at + 2, `${r.remaining} octets after the ${type === PayloadType.SK ? 'SK' : 'SKF'} payload`);
      return { payloads, skOffset: at };
    }
    type = nextPayload;
  }
  if (r.remaining !== 0) throw new ParseError('BAD_LENGTH', 'payloads', r.offset, `${r.remaining} octets after the last payload`);
  return { payloads, skOffset: -1 };
}

/**
 * Decode a payload chain that starts with a payload of type `firstType` and fills all of `buf`
 * (e.g. the decrypted contents of SK, without padding). `base` is added to error offsets.
 */
export function decodePayloadChain(firstType: number, buf: Uint8Array, base = 0): Payload[] {
  if (buf.length > WIRE_LIMITS.maxMessageSize) throw new ParseError('LIMIT', 'payloads', base, `${buf.length} octets`);
  return decodeChain(new Reader(buf, base), firstType).payloads;
}

/**
 * Decode one IKE message occupying all of `buf` (no non-ESP marker). Throws ParseError for a
 * major version other than 2 (use {@link decodeHeader} first to answer INVALID_MAJOR_VERSION),
 * a Length field that disagrees with `buf`, or any payload error.
 */
export function decodeMessage(buf: Uint8Array): IkeMessage {
  if (buf.length > WIRE_LIMITS.maxMessageSize) throw new ParseError('LIMIT', 'message', 0, `${buf.length} octets`);
  const header = decodeHeader(buf);
  checkHeaderFrame(header, buf.length);
  const { payloads, skOffset } = decodeChain(new Reader(buf, 0, IKE_HEADER_LENGTH), header.nextPayload);
  return skOffset >= 0 ? { header, payloads, skOffset } : { header, payloads };
}

/** Write the chain into `w`; returns the type of the first payload (NONE if empty). */
function writeChain(w: Writer, payloads: readonly Payload[]): number {
  checkUint(payloads.length, WIRE_LIMITS.maxPayloads, 'payloads count');
  payloads.forEach((p, i) => {
    const last = i === payloads.length - 1;
    if ('unknown' in p) checkField(p.type !== PayloadType.NONE && !isKnownPayloadType(p.type), 'unknown payload type', p.type);
    const encrypted = isEncrypted(p.type) && !('unknown' in p);
    if (encrypted && !last) throw new KiteError('ENCODE_INVALID', 'cannot encode payloads: SK/SKF must be the last payload');
    const following = payloads[i + 1];
    let next: number = following === undefined ? PayloadType.NONE : following.type;
    if (encrypted && 'innerNextPayload' in p) next = p.innerNextPayload;
    checkUint(p.type, 0xff, 'payload.type');
    checkUint(next, 0xff, 'payload.nextPayload');
    const start = w.length;
    w.u8(next).u8(p.critical ? CRITICAL : 0);
    const lenAt = w.reserveU16();
    encodePayloadBody(w, p);
    checkUint(w.length - start, 0xffff, 'payload length');
    w.patchU16(lenAt, w.length - start);
  });
  return payloads[0]?.type ?? PayloadType.NONE;
}

/** Encode a payload chain; `firstType` goes into the enclosing header's Next Payload. */
export function encodePayloadChain(payloads: readonly Payload[]): { firstType: number; bytes: Uint8Array } {
  const w = new Writer(1024);
  const firstType = writeChain(w, payloads);
  return { firstType, bytes: w.finish() };
}

/**
 * Encode a message. The header's `nextPayload` and `length` are recomputed; everything else is
 * taken from the record. Returns a fresh buffer.
 */
export function encodeMessage(m: IkeMessage): Uint8Array {
  const w = new Writer(1536);
  encodeHeader(w, { ...m.header, nextPayload: 0, length: 0 });
  const first = writeChain(w, m.payloads);
  checkUint(w.length, WIRE_LIMITS.maxMessageSize, 'message length');
  w.patchU8(16, first);
  w.patchU32(24, w.length);
  const out = w.finish();
  return out.slice();
}

/**
 * Locate the SK or SKF payload of an encoded message by walking the generic headers only (no body
 * is interpreted). Returns undefined when the chain holds neither; throws ParseError when the
 * chain is malformed before reaching it.
 */
export function findSkPayloadOffset(buf: Uint8Array): SkLocation | undefined {
  const header = decodeHeader(buf);
  const r = new Reader(buf, 0, IKE_HEADER_LENGTH, Math.min(buf.length, Math.max(IKE_HEADER_LENGTH, header.length)));
  let type = header.nextPayload;
  for (let n = 0; type !== PayloadType.NONE; n++) {
    const at = r.offset;
    checkLimit(n + 1, WIRE_LIMITS.maxPayloads, 'payloads', at);
    const next = r.u8('payload.nextPayload');
    r.skip(1, 'payload.flags');
    const length = r.u16('payload.length');
    if (length < GENERIC_PAYLOAD_HEADER_LENGTH) throw new ParseError('BAD_LENGTH', 'payload.length', at + 2, `length ${length}`);
    if (isEncrypted(type)) {
      const extra = type === PayloadType.SKF ? SKF_FRAGMENT_FIELDS_LENGTH : 0;
      r.need(length - GENERIC_PAYLOAD_HEADER_LENGTH, 'payload.body');
      if (length < GENERIC_PAYLOAD_HEADER_LENGTH + extra) throw new ParseError('BAD_LENGTH', 'payload.length', at + 2, `length ${length}`);
      return { type, offset: at, bodyOffset: at + GENERIC_PAYLOAD_HEADER_LENGTH + extra };
    }
    r.skip(length - GENERIC_PAYLOAD_HEADER_LENGTH, 'payload.body');
    type = next;
  }
  return undefined;
}
