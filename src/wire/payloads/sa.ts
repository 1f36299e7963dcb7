/**
 * Security Association payload (RFC 7296 §3.3, Figures 6-9): proposals (§3.3.1), each holding
 * transforms (§3.3.2) with optional data attributes (§3.3.5; Key Length is the only one RFC 7296
 * defines, a TV attribute of type 14).
 */
import { ParseError } from '../../errors.js';
import { PayloadType, TransformAttr } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { WIRE_LIMITS } from '../limits.js';
import { checkField, checkLimit, checkUint, expectEnd } from './common.js';

/** A transform attribute other than Key Length, kept so that proposal selection can refuse it. */
export interface TransformAttribute {
  /** Attribute Type (15 bits). */
  readonly type: number;
  /** True for the TV format (AF=1, 2-octet value), false for TLV. */
  readonly tv: boolean;
  /** Value: exactly 2 octets when `tv`. */
  readonly value: Uint8Array;
}

/** One transform (RFC 7296 §3.3.2). */
export interface Transform {
  /** Transform Type (`TransformType`). */
  readonly type: number;
  /** Transform ID (meaning depends on `type`). */
  readonly id: number;
  /** Key Length attribute in bits, when present. */
  readonly keyLength?: number;
  /** Any other attributes, in wire order (written after Key Length). */
  readonly attributes?: readonly TransformAttribute[];
}

/** One proposal (RFC 7296 §3.3.1). */
export interface Proposal {
  /** Proposal Num (1 for the first, increasing; a response repeats the accepted number). */
  readonly num: number;
  /** Protocol ID (`ProtocolId`). */
  readonly protocolId: number;
  /** SPI: empty in an IKE_SA_INIT proposal, 8 octets for IKE rekey, 4 for ESP/AH. */
  readonly spi: Uint8Array;
  /** Transforms, in wire order. */
  readonly transforms: readonly Transform[];
}

/** SA payload record. */
export interface SaPayload {
  readonly type: typeof PayloadType.SA;
  readonly critical: boolean;
  readonly proposals: readonly Proposal[];
}

const LAST = 0;
const MORE_PROPOSALS = 2;
const MORE_TRANSFORMS = 3;
const AF_TV = 0x8000;

function decodeAttributes(r: Reader): { keyLength?: number; attributes?: TransformAttribute[] } {
  let keyLength: number | undefined;
  const attributes: TransformAttribute[] = [];
  let count = 0;
  while (r.remaining > 0) {
    const at = r.offset;
    checkLimit(++count, WIRE_LIMITS.maxTransformAttributes, 'transform.attributes', at);
    const word = r.u16('attribute.type');
    const type = word & 0x7fff;
    const tv = (word & AF_TV) !== 0;
    const value = tv ? r.copy(2, 'attribute.value') : r.copy(r.u16('attribute.length'), 'attribute.value');
    if (tv && type === TransformAttr.KEY_LENGTH) {
      if (keyLength !== undefined || attributes.length > 0) {
        throw new ParseError('BAD_VALUE', 'attribute.keyLength', at, 'Key Length repeated or not first');
      }
      keyLength = ((value[0] as number) << 8) | (value[1] as number);
    } else {
      attributes.push({ type, tv, value });
    }
  }
  return {
    ...(keyLength !== undefined ? { keyLength } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

function decodeTransform(r: Reader): Transform {
  const type = r.u8('transform.type');
  r.skip(1, 'transform.reserved');
  const id = r.u16('transform.id');
  return { type, id, ...decodeAttributes(r) };
}

/** Walk "0 (last) or N (more)" substructures; `each` gets a reader over one substructure. */
function decodeSubstructures<T>(r: Reader, more: number, field: string, max: number, each: (sub: Reader) => T): T[] {
  const out: T[] = [];
  let last = false;
  while (!last) {
    const at = r.offset;
    checkLimit(out.length + 1, max, field, at);
    const marker = r.u8(`${field}.last`);
    if (marker !== LAST && marker !== more) throw new ParseError('BAD_VALUE', `${field}.last`, at, `marker ${marker}`);
    r.skip(1, `${field}.reserved`);
    const length = r.u16(`${field}.length`);
    if (length < 8 || length - 4 > r.remaining) {
      throw new ParseError('BAD_LENGTH', `${field}.length`, at + 2, `length ${length}, ${r.remaining + 4} available`);
    }
    out.push(each(r.sub(length - 4, field)));
    last = marker === LAST;
    if (last && r.remaining > 0) throw new ParseError('BAD_LENGTH', field, r.offset, 'bytes after the last substructure');
    if (!last && r.remaining === 0) throw new ParseError('TRUNCATED', field, r.offset, 'more announced, none follows');
  }
  return out;
}

function decodeProposal(r: Reader): Proposal {
  const num = r.u8('proposal.num');
  const protocolId = r.u8('proposal.protocolId');
  const spiSize = r.u8('proposal.spiSize');
  const at = r.offset;
  const numTransforms = r.u8('proposal.numTransforms');
  const spi = r.copy(spiSize, 'proposal.spi');
  const transforms = numTransforms === 0 && r.remaining === 0 ? [] :
    decodeSubstructures(r, MORE_TRANSFORMS, 'transform', WIRE_LIMITS.maxTransforms, decodeTransform);
  if (transforms.length !== numTransforms) {
    throw new ParseError('BAD_VALUE', 'proposal.numTransforms', at, `says ${numTransforms}, found ${transforms.length}`);
  }
  return { num, protocolId, spi, transforms };
}

/** Decode an SA payload body (`r` spans exactly the bytes after the generic header). */
export function decodeSaPayload(r: Reader, critical: boolean): SaPayload {
  const proposals = r.remaining === 0 ? [] :
    decodeSubstructures(r, MORE_PROPOSALS, 'proposal', WIRE_LIMITS.maxProposals, decodeProposal);
  expectEnd(r, 'sa');
  return { type: PayloadType.SA, critical, proposals };
}

function encodeTransform(w: Writer, t: Transform, last: boolean): void {
  checkUint(t.type, 0xff, 'transform.type');
  checkUint(t.id, 0xffff, 'transform.id');
  w.u8(last ? LAST : MORE_TRANSFORMS).u8(0);
  const lenAt = w.reserveU16();
  const start = lenAt - 2;
  w.u8(t.type).u8(0).u16(t.id);
  if (t.keyLength !== undefined) {
    checkUint(t.keyLength, 0xffff, 'transform.keyLength');
    w.u16(AF_TV | TransformAttr.KEY_LENGTH).u16(t.keyLength);
  }
  for (const a of t.attributes ?? []) {
    checkUint(a.type, 0x7fff, 'attribute.type');
    checkField(!(a.tv && a.type === TransformAttr.KEY_LENGTH), 'attribute.type (use keyLength)', a.type);
    if (a.tv) {
      checkField(a.value.length === 2, 'attribute.value length (TV)', a.value.length);
      w.u16(AF_TV | a.type).bytes(a.value);
    } else {
      checkUint(a.value.length, 0xffff, 'attribute.value length');
      w.u16(a.type).u16(a.value.length).bytes(a.value);
    }
  }
  checkUint(w.length - start, 0xffff, 'transform length');
  w.patchU16(lenAt, w.length - start);
}

function encodeProposal(w: Writer, p: Proposal, last: boolean): void {
  checkUint(p.num, 0xff, 'proposal.num');
  checkUint(p.protocolId, 0xff, 'proposal.protocolId');
  checkUint(p.spi.length, 0xff, 'proposal.spi length');
  checkUint(p.transforms.length, 0xff, 'proposal.transforms count');
  w.u8(last ? LAST : MORE_PROPOSALS).u8(0);
  const lenAt = w.reserveU16();
  const start = lenAt - 2;
  w.u8(p.num).u8(p.protocolId).u8(p.spi.length).u8(p.transforms.length).bytes(p.spi);
  p.transforms.forEach((t, i) => encodeTransform(w, t, i === p.transforms.length - 1));
  checkUint(w.length - start, 0xffff, 'proposal length');
  w.patchU16(lenAt, w.length - start);
}

/** Encode an SA payload body; proposal and transform lengths and "last" markers are computed. */
export function encodeSaPayload(w: Writer, p: SaPayload): void {
  p.proposals.forEach((q, i) => encodeProposal(w, q, i === p.proposals.length - 1));
}
