/**
 * The pure core of `kite decode`: a sequence of IKE datagrams (from a capture or a hex file) and
 * an optional keys table in, one JSON record per datagram out. Each datagram is decoded on its
 * own; a ParseError becomes that datagram's error record and the rest go on. SK payloads are
 * decrypted when the keys of their IKE SA are known; SKF fragments (RFC 7383) are decrypted one by
 * one and the reassembled inner payloads are attached to the fragment that completes the message,
 * as Wireshark does.
 */
import type { IkeSaKeys } from '../capture/keys-file.js';
import { KiteError, ParseError } from '../errors.js';
import { PayloadType } from '../iana/ikev2.js';
import { concat, toHex } from '../util/bytes.js';
import { decodeMessage, decodePayloadChain, type IkeMessage } from '../wire/message.js';
import type { Payload } from '../wire/payload.js';
import type { DecodedMessageJson, DecodeErrorJson } from './json.js';
import { decryptSkPayload, findIkeSaKeys } from './decrypt.js';
import { renderError, renderMessage } from './render.js';

/** One datagram to decode; the frame fields are copied into the output when present. */
export interface IkeDatagramInput extends FrameJson {
  /** The IKE message (after any non-ESP marker). */
  readonly payload: Uint8Array;
}

/** Where a message came from, in the output. */
export interface FrameJson {
  readonly index?: number;
  readonly timestamp?: number;
  readonly src?: string;
  readonly dst?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
}

/** One output record: the message (or the error) and, when known, its frame. */
export type DecodedDatagramJson = (DecodedMessageJson | DecodeErrorJson) & { readonly frame?: FrameJson };

/** Limits on SKF reassembly state. */
export const DECODE_LIMITS = { maxPendingMessages: 1024, maxFragments: 256 } as const;

interface Pending {
  readonly total: number;
  readonly parts: Map<number, Uint8Array>;
  firstType: number | undefined;
}

function frameOf(d: IkeDatagramInput): FrameJson | undefined {
  const { index, timestamp, src, dst, srcPort, dstPort } = d;
  const f = Object.fromEntries(Object.entries({ index, timestamp, src, dst, srcPort, dstPort }).filter(([, v]) => v !== undefined)) as FrameJson;
  return Object.keys(f).length > 0 ? f : undefined;
}

function isDecodeError(e: unknown): e is ParseError | KiteError {
  return e instanceof ParseError || e instanceof KiteError;
}

/**
 * Decode, decrypt (with `keys`) and render every datagram. Errors in one datagram (ParseError,
 * CryptoError, missing keys) are reported in its record and never stop the run.
 */
export function decodeIkeDatagrams(datagrams: readonly IkeDatagramInput[], keys: readonly IkeSaKeys[] = []): DecodedDatagramJson[] {
  const pending = new Map<string, Pending>();
  return datagrams.map((d): DecodedDatagramJson => {
    const frame = frameOf(d);
    const withFrame = <T extends object>(rec: T): T & { frame?: FrameJson } => (frame !== undefined ? { ...rec, frame } : rec);
    let msg: IkeMessage;
    try {
      msg = decodeMessage(d.payload);
    } catch (e) {
      if (e instanceof ParseError) return withFrame(renderError(e));
      throw e;
    }
    const decrypted = decryptInner(d.payload, msg, keys, pending);
    return withFrame(renderMessage(msg, decrypted === undefined ? {} : { decrypted }));
  });
}

/** Inner payloads of the SK/SKF payload of `msg`, an error, or undefined (nothing to show yet). */
function decryptInner(buf: Uint8Array, msg: IkeMessage, table: readonly IkeSaKeys[], pending: Map<string, Pending>): readonly Payload[] | Error | undefined {
  const last = msg.payloads[msg.payloads.length - 1];
  if (last === undefined || (last.type !== PayloadType.SK && last.type !== PayloadType.SKF) || 'unknown' in last) return undefined;
  if (table.length === 0) return undefined;
  const keys = findIkeSaKeys(table, msg.header);
  if (keys === undefined) {
    return new KiteError('NO_KEYS', `no keys for IKE SA ${toHex(msg.header.spiI)}_i ${toHex(msg.header.spiR)}_r`);
  }
  try {
    const plain = decryptSkPayload(buf, msg.header, keys);
    if (last.type === PayloadType.SK) return decodePayloadChain(last.innerNextPayload, plain);
    const h = msg.header;
    const id = `${toHex(h.spiI)}/${toHex(h.spiR)}/${h.messageId}/${h.initiator ? 'i' : 'r'}${h.response ? 'R' : 'Q'}`;
    let p = pending.get(id);
    if (p === undefined || p.total !== last.totalFragments) {
      if (last.totalFragments > DECODE_LIMITS.maxFragments) throw new ParseError('LIMIT', 'skf.totalFragments', 0, `${last.totalFragments} fragments`);
      if (pending.size >= DECODE_LIMITS.maxPendingMessages) pending.delete(pending.keys().next().value as string);
      p = { total: last.totalFragments, parts: new Map(), firstType: undefined };
      pending.set(id, p);
    }
    p.parts.set(last.fragmentNumber, plain);
    if (last.fragmentNumber === 1) p.firstType = last.innerNextPayload;
    if (p.parts.size < p.total || p.firstType === undefined) return undefined;
    pending.delete(id);
    const parts = Array.from({ length: p.total }, (_, i) => p.parts.get(i + 1) as Uint8Array);
    return decodePayloadChain(p.firstType, concat(...parts));
  } catch (e) {
    if (isDecodeError(e)) return e;
    throw e;
  }
}
