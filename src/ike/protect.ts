/**
 * SK protection of IKE messages (RFC 7296 §3.14) and IKE fragmentation (RFC 7383): build one SK
 * message, or SKF fragments when the peer supports fragmentation and the message would exceed the
 * configured size; verify and decrypt SK, and SKF through a {@link FragmentReassembler}.
 * Protection happens in place in an envelope from `wire/sk-envelope.ts`.
 */
import { randomBytes } from 'node:crypto';
import { KiteError } from '../errors.js';
import { HeaderFlag, IKE_VERSION, PayloadType } from '../iana/ikev2.js';
import type { IkeHeader } from '../wire/header.js';
import { IKE_HEADER_LENGTH } from '../wire/header.js';
import { decodePayloadChain, encodePayloadChain, findSkPayloadOffset } from '../wire/message.js';
import type { Payload } from '../wire/payload.js';
import { skSplit } from '../wire/payloads/sk.js';
import { SKF_FRAGMENT_FIELDS_LENGTH } from '../wire/payloads/skf.js';
import { encodeSkEnvelope } from '../wire/sk-envelope.js';
import type { FragmentReassembler } from './fragment.js';
import type { IkeSa } from './ike-sa.js';

/** What to protect. */
export interface ProtectParams {
  readonly exchangeType: number;
  readonly response: boolean;
  readonly messageId: number;
  readonly payloads: readonly Payload[];
  /** Fragment above this message length (only pass it when the peer supports RFC 7383). */
  readonly fragmentSize?: number;
  readonly random?: (n: number) => Uint8Array;
}

/** The IKE header of a message this side sends. */
export function headerFor(sa: IkeSa, exchangeType: number, response: boolean, messageId: number): IkeHeader {
  const flags = (sa.initiator ? HeaderFlag.INITIATOR : 0) | (response ? HeaderFlag.RESPONSE : 0);
  return {
    spiI: sa.spiI,
    spiR: sa.spiR,
    nextPayload: 0,
    majorVersion: IKE_VERSION >>> 4,
    minorVersion: 0,
    exchangeType,
    flags,
    initiator: sa.initiator,
    response,
    messageId,
    length: 0,
  };
}

function seal(sa: IkeSa, header: IkeHeader, innerNext: number, plain: Uint8Array, random: (n: number) => Uint8Array, fragment?: { fragmentNumber: number; totalFragments: number }): Uint8Array {
  const cipher = sa.cipher;
  if (cipher === undefined) throw new KiteError('NO_KEYS', 'IKE SA has no keys yet');
  const keys = sa.directionalKeys();
  const env = encodeSkEnvelope(header, { innerNextPayload: innerNext, bodyLength: cipher.sealedLength(plain.length), ...(fragment === undefined ? {} : { fragment }) });
  const iv = random(cipher.ivLength);
  const { ciphertext, icv } = cipher.encrypt({ encrKey: keys.encrOut, ...(keys.integOut === undefined ? {} : { integKey: keys.integOut }), iv, plaintext: plain, aad: env.aad });
  env.body.set(iv, 0);
  env.body.set(ciphertext, iv.length);
  env.body.set(icv, iv.length + ciphertext.length);
  return env.bytes;
}

/** Largest inner chunk that keeps an SKF message within `size` octets. */
export function fragmentChunkSize(sa: IkeSa, size: number): number {
  const c = sa.cipher;
  if (c === undefined) throw new KiteError('NO_KEYS', 'IKE SA has no keys yet');
  const avail = size - IKE_HEADER_LENGTH - 4 - SKF_FRAGMENT_FIELDS_LENGTH - c.ivLength - c.icvLength;
  const chunk = Math.floor(avail / c.blockSize) * c.blockSize - 1;
  if (chunk < 16) throw new KiteError('FRAGMENT_SIZE', `fragment size ${size} leaves no room for data`);
  return chunk;
}

/**
 * Encode and protect a message: one SK datagram, or SKF fragments (RFC 7383 §2.5) when
 * `fragmentSize` is given and the SK message would exceed it.
 */
export function protect(sa: IkeSa, p: ProtectParams): Uint8Array[] {
  const random = p.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const header = headerFor(sa, p.exchangeType, p.response, p.messageId);
  const { firstType, bytes } = encodePayloadChain(p.payloads);
  const single = seal(sa, header, firstType, bytes, random);
  if (p.fragmentSize === undefined || single.length <= p.fragmentSize) {
    bytes.fill(0);
    return [single];
  }
  const chunk = fragmentChunkSize(sa, p.fragmentSize);
  const total = Math.ceil(bytes.length / chunk);
  const out: Uint8Array[] = [];
  for (let n = 1; n <= total; n++) {
    const part = bytes.subarray((n - 1) * chunk, Math.min(bytes.length, n * chunk));
    out.push(seal(sa, header, n === 1 ? firstType : PayloadType.NONE, part, random, { fragmentNumber: n, totalFragments: total }));
  }
  bytes.fill(0);
  return out;
}

/** Outcome of {@link unprotect}. */
export type Unprotected =
  | { readonly state: 'complete'; readonly payloads: Payload[] }
  | { readonly state: 'incomplete' };

/**
 * Verify and decrypt the SK payload, or add an SKF fragment to `reassembler`. Throws CryptoError
 * when the ICV does not verify, ParseError for malformed contents, KiteError FRAGMENT_* for bad
 * fragment numbering.
 */
export function unprotect(sa: IkeSa, buf: Uint8Array, reassembler: FragmentReassembler, now: number): Unprotected {
  const cipher = sa.cipher;
  if (cipher === undefined) throw new KiteError('NO_KEYS', 'IKE SA has no keys yet');
  const loc = findSkPayloadOffset(buf);
  if (loc === undefined) throw new KiteError('NO_SK_PAYLOAD', 'message has no SK or SKF payload');
  const keys = sa.directionalKeys();
  const { iv, ciphertext, icv } = skSplit(buf.subarray(loc.bodyOffset), cipher.ivLength, cipher.icvLength, loc.bodyOffset);
  const plain = cipher.decrypt({ encrKey: keys.encrIn, ...(keys.integIn === undefined ? {} : { integKey: keys.integIn }), iv, ciphertext, icv, aad: buf.subarray(0, loc.bodyOffset) });
  const innerNext = buf[loc.offset] as number;
  if (loc.type === PayloadType.SK) return { state: 'complete', payloads: decodePayloadChain(innerNext, plain) };
  const fragmentNumber = ((buf[loc.offset + 4] as number) << 8) | (buf[loc.offset + 5] as number);
  const totalFragments = ((buf[loc.offset + 6] as number) << 8) | (buf[loc.offset + 7] as number);
  const r = reassembler.add(fragmentNumber, totalFragments, innerNext, plain, now);
  if (r.state !== 'complete') return { state: 'incomplete' };
  return { state: 'complete', payloads: decodePayloadChain(r.innerNextPayload, r.content) };
}
