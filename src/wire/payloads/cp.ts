/**
 * Configuration payload (RFC 7296 §3.15, Figures 22-23): CFG Type (1 octet), RESERVED (3 octets),
 * then attributes: R bit + Attribute Type (15 bits), Length (2 octets), Value. A CFG_REQUEST asks
 * for an attribute by sending it with Length 0; such attributes keep a zero-length value.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { WIRE_LIMITS } from '../limits.js';
import { checkLimit, checkUint, expectEnd } from './common.js';

/** One configuration attribute. */
export interface CfgAttribute {
  /** Attribute Type (`CfgAttr`), 15 bits. */
  readonly type: number;
  /** Value (zero-length in a request for the attribute). */
  readonly value: Uint8Array;
}

/** CP payload record. */
export interface CpPayload {
  readonly type: typeof PayloadType.CP;
  readonly critical: boolean;
  /** CFG Type (`CfgType`). */
  readonly cfgType: number;
  /** Attributes, in wire order. */
  readonly attributes: readonly CfgAttribute[];
}

/** Decode a CP payload body. The reserved R bit is ignored (RFC 7296 §3.15.1). */
export function decodeCpPayload(r: Reader, critical: boolean): CpPayload {
  const cfgType = r.u8('cp.cfgType');
  r.skip(3, 'cp.reserved');
  const attributes: CfgAttribute[] = [];
  while (r.remaining > 0) {
    checkLimit(attributes.length + 1, WIRE_LIMITS.maxCfgAttributes, 'cp.attributes', r.offset);
    const type = r.u16('cp.attribute.type') & 0x7fff;
    const length = r.u16('cp.attribute.length');
    attributes.push({ type, value: r.copy(length, 'cp.attribute.value') });
  }
  expectEnd(r, 'cp');
  return { type: PayloadType.CP, critical, cfgType, attributes };
}

/** Encode a CP payload body. */
export function encodeCpPayload(w: Writer, p: CpPayload): void {
  checkUint(p.cfgType, 0xff, 'cp.cfgType');
  w.u8(p.cfgType).zeros(3);
  for (const a of p.attributes) {
    checkUint(a.type, 0x7fff, 'cp.attribute.type');
    checkUint(a.value.length, 0xffff, 'cp.attribute.value length');
    w.u16(a.type).u16(a.value.length).bytes(a.value);
  }
}
