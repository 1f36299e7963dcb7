/**
 * Traffic Selector payloads TSi and TSr (RFC 7296 §3.13, Figures 19-20): Number of TSs (1 octet),
 * RESERVED (3 octets), then selectors. TS_IPV4_ADDR_RANGE (16 octets) and TS_IPV6_ADDR_RANGE
 * (40 octets) are decoded; any other TS type (e.g. RFC 9478 TS_SECLABEL) is kept opaque so that
 * the payload still round-trips and `ike/` can decide.
 */
import { ParseError } from '../../errors.js';
import { PayloadType, TsType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { WIRE_LIMITS } from '../limits.js';
import { checkField, checkLimit, checkUint, expectEnd } from './common.js';

/** An address-range selector (TS_IPV4_ADDR_RANGE or TS_IPV6_ADDR_RANGE). */
export interface TrafficSelector {
  /** TS Type (`TsType`): 7 (IPv4, 4-octet addresses) or 8 (IPv6, 16-octet addresses). */
  readonly tsType: number;
  /** IP Protocol ID (0 = any). */
  readonly ipProtocol: number;
  /** Start Port. */
  readonly startPort: number;
  /** End Port. */
  readonly endPort: number;
  /** Starting Address. */
  readonly startAddress: Uint8Array;
  /** Ending Address. */
  readonly endAddress: Uint8Array;
}

/** A selector of a type this codec does not interpret; tell it apart with `'data' in s`. */
export interface OpaqueTrafficSelector {
  /** TS Type. */
  readonly tsType: number;
  /** The second octet (IP Protocol ID for address ranges, a flags octet for TS_SECLABEL). */
  readonly flags: number;
  /** Everything after the 4-octet selector header. */
  readonly data: Uint8Array;
}

/** Any traffic selector. */
export type AnyTrafficSelector = TrafficSelector | OpaqueTrafficSelector;

/** TSi / TSr payload record. */
export interface TsPayload {
  readonly type: typeof PayloadType.TSi | typeof PayloadType.TSr;
  readonly critical: boolean;
  readonly selectors: readonly AnyTrafficSelector[];
}

/** Address length of an address-range TS type, or undefined for other types. */
export function tsAddressLength(tsType: number): number | undefined {
  if (tsType === TsType.TS_IPV4_ADDR_RANGE) return 4;
  if (tsType === TsType.TS_IPV6_ADDR_RANGE) return 16;
  return undefined;
}

function decodeSelector(r: Reader): AnyTrafficSelector {
  const at = r.offset;
  const tsType = r.u8('ts.tsType');
  const second = r.u8('ts.ipProtocol');
  const length = r.u16('ts.selectorLength');
  if (length < 4 || length - 4 > r.remaining) {
    throw new ParseError('BAD_LENGTH', 'ts.selectorLength', at + 2, `length ${length}, ${r.remaining + 4} available`);
  }
  const addrLen = tsAddressLength(tsType);
  if (addrLen === undefined) return { tsType, flags: second, data: r.copy(length - 4, 'ts.data') };
  if (length !== 8 + 2 * addrLen) {
    throw new ParseError('BAD_LENGTH', 'ts.selectorLength', at + 2, `length ${length} for TS type ${tsType}`);
  }
  return {
    tsType,
    ipProtocol: second,
    startPort: r.u16('ts.startPort'),
    endPort: r.u16('ts.endPort'),
    startAddress: r.copy(addrLen, 'ts.startAddress'),
    endAddress: r.copy(addrLen, 'ts.endAddress'),
  };
}

/** Decode a TSi or TSr payload body; `type` says which. */
export function decodeTsPayload(r: Reader, critical: boolean, type: TsPayload['type']): TsPayload {
  const at = r.offset;
  const count = r.u8('ts.numberOfTSs');
  checkLimit(count, WIRE_LIMITS.maxTrafficSelectors, 'ts.numberOfTSs', at);
  r.skip(3, 'ts.reserved');
  const selectors: AnyTrafficSelector[] = [];
  for (let i = 0; i < count; i++) selectors.push(decodeSelector(r));
  expectEnd(r, 'ts');
  return { type, critical, selectors };
}

function encodeSelector(w: Writer, s: AnyTrafficSelector): void {
  checkUint(s.tsType, 0xff, 'ts.tsType');
  if ('data' in s) {
    checkUint(s.flags, 0xff, 'ts.flags');
    checkUint(s.data.length + 4, 0xffff, 'ts.selector length');
    checkField(tsAddressLength(s.tsType) === undefined, 'opaque ts.tsType', s.tsType);
    w.u8(s.tsType).u8(s.flags).u16(s.data.length + 4).bytes(s.data);
    return;
  }
  const addrLen = tsAddressLength(s.tsType);
  checkField(addrLen !== undefined, 'ts.tsType', s.tsType);
  const n = addrLen ?? 0;
  checkField(s.startAddress.length === n && s.endAddress.length === n, 'ts address length', s.startAddress.length);
  checkUint(s.ipProtocol, 0xff, 'ts.ipProtocol');
  checkUint(s.startPort, 0xffff, 'ts.startPort');
  checkUint(s.endPort, 0xffff, 'ts.endPort');
  w.u8(s.tsType).u8(s.ipProtocol).u16(8 + 2 * n).u16(s.startPort).u16(s.endPort);
  w.bytes(s.startAddress).bytes(s.endAddress);
}

/** Encode a TSi or TSr payload body. */
export function encodeTsPayload(w: Writer, p: TsPayload): void {
  checkUint(p.selectors.length, 0xff, 'ts.selectors count');
  w.u8(p.selectors.length).zeros(3);
  for (const s of p.selectors) encodeSelector(w, s);
}
