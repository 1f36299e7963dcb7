/**
 * The payload record union and the per-type body codec dispatch (RFC 7296 §3.2-§3.16, RFC 7383
 * §2.5). A payload body is what follows the 4-octet generic header; the chain codec in
 * `message.ts` handles the generic header itself.
 */
import { PayloadType } from '../iana/ikev2.js';
import type { Reader, Writer } from '../util/bytes.js';
import { decodeAuthPayload, encodeAuthPayload, type AuthPayload } from './payloads/auth.js';
import { decodeCertPayload, encodeCertPayload, type CertPayload } from './payloads/cert.js';
import { decodeCertReqPayload, encodeCertReqPayload, type CertReqPayload } from './payloads/certreq.js';
import { decodeCpPayload, encodeCpPayload, type CpPayload } from './payloads/cp.js';
import { decodeDeletePayload, encodeDeletePayload, type DeletePayload } from './payloads/delete.js';
import { decodeEapPayload, encodeEapPayload, type EapPayload } from './payloads/eap.js';
import { decodeIdPayload, encodeIdPayload, type IdPayload } from './payloads/id.js';
import { decodeKePayload, encodeKePayload, type KePayload } from './payloads/ke.js';
import { decodeNoncePayload, encodeNoncePayload, type NoncePayload } from './payloads/nonce.js';
import { decodeNotifyPayload, encodeNotifyPayload, type NotifyPayload } from './payloads/notify.js';
import { decodeSaPayload, encodeSaPayload, type SaPayload } from './payloads/sa.js';
import { decodeSkPayload, encodeSkPayload, type SkPayload } from './payloads/sk.js';
import { decodeSkfPayload, encodeSkfPayload, type SkfPayload } from './payloads/skf.js';
import { decodeTsPayload, encodeTsPayload, type TsPayload } from './payloads/ts.js';
import { encodeUnknownPayload, type UnknownPayload } from './payloads/unknown.js';
import { decodeVendorIdPayload, encodeVendorIdPayload, type VendorIdPayload } from './payloads/vendor-id.js';

/** Every payload type Kite interprets, mapped to its record. */
export interface PayloadMap {
  [PayloadType.SA]: SaPayload;
  [PayloadType.KE]: KePayload;
  [PayloadType.IDi]: IdPayload;
  [PayloadType.IDr]: IdPayload;
  [PayloadType.CERT]: CertPayload;
  [PayloadType.CERTREQ]: CertReqPayload;
  [PayloadType.AUTH]: AuthPayload;
  [PayloadType.NONCE]: NoncePayload;
  [PayloadType.NOTIFY]: NotifyPayload;
  [PayloadType.DELETE]: DeletePayload;
  [PayloadType.VENDOR_ID]: VendorIdPayload;
  [PayloadType.TSi]: TsPayload;
  [PayloadType.TSr]: TsPayload;
  [PayloadType.SK]: SkPayload;
  [PayloadType.CP]: CpPayload;
  [PayloadType.EAP]: EapPayload;
  [PayloadType.SKF]: SkfPayload;
}

/** A payload type Kite interprets. */
export type KnownPayloadType = keyof PayloadMap;

/** Records of the payload types Kite interprets, discriminated on `type`. */
export type KnownPayload = PayloadMap[KnownPayloadType];

/**
 * Any decoded payload: a known record, or an uninterpreted non-critical one. Because an
 * {@link UnknownPayload}'s `type` is a plain number, `p.type === PayloadType.SA` alone does not
 * narrow `p`; narrow with {@link isKnownPayload} first, or use {@link findPayload} /
 * {@link filterPayloads}.
 */
export type Payload = KnownPayload | UnknownPayload;

/** True if Kite interprets payloads of type `t`. */
export function isKnownPayloadType(t: number): t is KnownPayloadType {
  return (t >= PayloadType.SA && t <= PayloadType.EAP) || t === PayloadType.SKF;
}

/** Narrow a payload to the interpreted records (so that `switch (p.type)` narrows fully). */
export function isKnownPayload(p: Payload): p is KnownPayload {
  return !('unknown' in p);
}

/** First interpreted payload of type `t` in `list`, typed by its record. */
export function findPayload<T extends KnownPayloadType>(list: readonly Payload[], t: T): PayloadMap[T] | undefined {
  for (const p of list) if (p.type === t && isKnownPayload(p)) return p as PayloadMap[T];
  return undefined;
}

/** All interpreted payloads of type `t` in `list`, in order. */
export function filterPayloads<T extends KnownPayloadType>(list: readonly Payload[], t: T): PayloadMap[T][] {
  const out: PayloadMap[T][] = [];
  for (const p of list) if (p.type === t && isKnownPayload(p)) out.push(p as PayloadMap[T]);
  return out;
}

/** All Notify payloads of the given Notify Message Type. */
export function findNotifies(list: readonly Payload[], notifyType: number): NotifyPayload[] {
  return filterPayloads(list, PayloadType.NOTIFY).filter((n) => n.notifyType === notifyType);
}

/**
 * Decode the body of an interpreted payload. `nextPayload` is the generic header's Next Payload
 * (SK and SKF keep it as `innerNextPayload`).
 */
export function decodePayloadBody(type: KnownPayloadType, r: Reader, critical: boolean, nextPayload: number): KnownPayload {
  switch (type) {
    case PayloadType.SA: return decodeSaPayload(r, critical);
    case PayloadType.KE: return decodeKePayload(r, critical);
    case PayloadType.IDi:
    case PayloadType.IDr: return decodeIdPayload(r, critical, type);
    case PayloadType.CERT: return decodeCertPayload(r, critical);
    case PayloadType.CERTREQ: return decodeCertReqPayload(r, critical);
    case PayloadType.AUTH: return decodeAuthPayload(r, critical);
    case PayloadType.NONCE: return decodeNoncePayload(r, critical);
    case PayloadType.NOTIFY: return decodeNotifyPayload(r, critical);
    case PayloadType.DELETE: return decodeDeletePayload(r, critical);
    case PayloadType.VENDOR_ID: return decodeVendorIdPayload(r, critical);
    case PayloadType.TSi:
    case PayloadType.TSr: return decodeTsPayload(r, critical, type);
    case PayloadType.SK: return decodeSkPayload(r, critical, nextPayload);
    case PayloadType.CP: return decodeCpPayload(r, critical);
    case PayloadType.EAP: return decodeEapPayload(r, critical);
    case PayloadType.SKF: return decodeSkfPayload(r, critical, nextPayload);
  }
}

/** Encode the body of any payload record. */
export function encodePayloadBody(w: Writer, p: Payload): void {
  if (!isKnownPayload(p)) {
    encodeUnknownPayload(w, p);
    return;
  }
  switch (p.type) {
    case PayloadType.SA: return encodeSaPayload(w, p);
    case PayloadType.KE: return encodeKePayload(w, p);
    case PayloadType.IDi:
    case PayloadType.IDr: return encodeIdPayload(w, p as IdPayload);
    case PayloadType.CERT: return encodeCertPayload(w, p);
    case PayloadType.CERTREQ: return encodeCertReqPayload(w, p);
    case PayloadType.AUTH: return encodeAuthPayload(w, p);
    case PayloadType.NONCE: return encodeNoncePayload(w, p);
    case PayloadType.NOTIFY: return encodeNotifyPayload(w, p);
    case PayloadType.DELETE: return encodeDeletePayload(w, p);
    case PayloadType.VENDOR_ID: return encodeVendorIdPayload(w, p);
    case PayloadType.TSi:
    case PayloadType.TSr: return encodeTsPayload(w, p as TsPayload);
    case PayloadType.SK: return encodeSkPayload(w, p);
    case PayloadType.CP: return encodeCpPayload(w, p);
    case PayloadType.EAP: return encodeEapPayload(w, p);
    case PayloadType.SKF: return encodeSkfPayload(w, p);
  }
}
