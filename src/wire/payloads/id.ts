/**
 * Identification payloads IDi and IDr (RFC 7296 §3.5, Figure 11): ID Type (1 octet), RESERVED
 * (3 octets), Identification Data. The reserved octets are part of the AUTH computation
 * (RFC 7296 §2.15), so callers sign the encoded body, not this record.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** IDi / IDr payload record. */
export interface IdPayload {
  readonly type: typeof PayloadType.IDi | typeof PayloadType.IDr;
  readonly critical: boolean;
  /** ID Type (`IdType`). */
  readonly idType: number;
  /** Identification Data (address octets, FQDN text, DER DN, ...). */
  readonly data: Uint8Array;
}

/** Decode an IDi or IDr payload body; `type` says which. */
export function decodeIdPayload(r: Reader, critical: boolean, type: IdPayload['type']): IdPayload {
  const idType = r.u8('id.idType');
  r.skip(3, 'id.reserved');
  return { type, critical, idType, data: r.copy(r.remaining, 'id.data') };
}

/** Encode an IDi or IDr payload body. */
export function encodeIdPayload(w: Writer, p: IdPayload): void {
  checkUint(p.idType, 0xff, 'id.idType');
  w.u8(p.idType).zeros(3).bytes(p.data);
}
