/**
 * `kite decode` rendering: a decoded IKE message (from `wire/`) becomes the JSON record of
 * {@link DecodedMessageJson}, and that record becomes an indented text tree. Pure: the caller
 * decodes, decrypts (with keys from a keys file) and prints.
 */
import { KiteError, ParseError } from '../errors.js';
import {
  authMethodNames, certEncodingNames, CertEncoding, cfgAttrNames, cfgTypeNames, encrIdNames, esnIdNames,
  exchangeTypeNames, idTypeNames, integIdNames, keGroupNames, notifyTypeNames, payloadShortNames,
  payloadTypeNames, PayloadType, prfIdNames, protocolIdNames, TransformType, transformTypeNames, tsTypeNames,
} from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import { toHex } from '../util/bytes.js';
import { ipToString } from '../util/ip-text.js';
import type { IkeMessage } from '../wire/message.js';
import { isKnownPayload, type Payload } from '../wire/payload.js';
import type { Proposal } from '../wire/payloads/sa.js';
import type { AnyTrafficSelector } from '../wire/payloads/ts.js';
import { certificateSummary } from '../crypto/dn.js';
import type {
  CertJson, DecodedMessageJson, DecodeErrorJson, OpaqueSelectorJson, PayloadJson, ProposalJson, SelectorJson, TransformJson,
} from './json.js';
import { cfgValue, idValue, notifyFields, printable, type NotifyDataFields } from './values.js';

/** The JSON record types, re-exported so that `render.js` is the one import for callers. */
export type * from './json.js';
/** The text tree form of a record. */
export { renderText } from './text.js';

/** Options of {@link renderMessage}. */
export interface RenderOptions {
  /**
   * The decrypted inner payloads of the message's SK (or reassembled SKF) payload, or the error
   * that stopped decryption or decoding of them.
   */
  readonly decrypted?: readonly Payload[] | Error;
}

/** SHA-1 hash length of a CERTREQ Certification Authority entry (RFC 7296 §3.7). */
const CA_HASH_LENGTH = 20;

/** Render a decoded message as the `kite decode --json` record. */
export function renderMessage(msg: IkeMessage, opts: RenderOptions = {}): DecodedMessageJson {
  const h = msg.header;
  return {
    exchange: nameOf(exchangeTypeNames, h.exchangeType),
    exchangeType: h.exchangeType,
    response: h.response,
    initiator: h.initiator,
    messageId: h.messageId,
    spiI: toHex(h.spiI),
    spiR: toHex(h.spiR),
    version: `${h.majorVersion}.${h.minorVersion}`,
    length: h.length,
    payloads: msg.payloads.map((p) => renderPayload(p, h.initiator, opts.decrypted)),
  };
}

/** The JSON form of an error met while decoding a datagram (ParseError fields kept). */
export function renderError(e: unknown): DecodeErrorJson {
  if (e instanceof ParseError) return { error: { name: e.name, code: e.code, field: e.field, offset: e.offset, message: e.message } };
  if (e instanceof KiteError) return { error: { name: e.name, code: e.code, message: e.message } };
  return { error: { name: e instanceof Error ? e.name : 'Error', code: 'UNKNOWN', message: String(e instanceof Error ? e.message : e) } };
}

function errorText(e: Error): string {
  return e instanceof ParseError || e instanceof KiteError ? `${e.name} ${e.code}: ${e.message}` : `${e.name}: ${e.message}`;
}

function transformIdName(type: number, id: number): string {
  switch (type) {
    case TransformType.ENCR: return nameOf(encrIdNames, id);
    case TransformType.PRF: return nameOf(prfIdNames, id);
    case TransformType.INTEG: return nameOf(integIdNames, id);
    case TransformType.ESN: return nameOf(esnIdNames, id);
    default:
      return type >= TransformType.KE && type <= TransformType.ADDKE7 ? nameOf(keGroupNames, id) : `UNKNOWN_${id}`;
  }
}

function renderProposal(p: Proposal): ProposalJson {
  const transforms = p.transforms.map((t): TransformJson => ({
    type: nameOf(transformTypeNames, t.type),
    name: transformIdName(t.type, t.id),
    id: t.id,
    ...(t.keyLength !== undefined ? { keyLength: t.keyLength } : {}),
    ...(t.attributes !== undefined && t.attributes.length > 0 ? { attributes: t.attributes.map((a) => ({ type: a.type, value: toHex(a.value) })) } : {}),
  }));
  return { num: p.num, protocol: nameOf(protocolIdNames, p.protocolId), ...(p.spi.length > 0 ? { spi: toHex(p.spi) } : {}), transforms };
}

function renderSelector(s: AnyTrafficSelector): SelectorJson | OpaqueSelectorJson {
  if ('data' in s) return { tsType: nameOf(tsTypeNames, s.tsType), flags: s.flags, data: toHex(s.data) };
  return {
    tsType: nameOf(tsTypeNames, s.tsType),
    protocol: s.ipProtocol,
    startPort: s.startPort,
    endPort: s.endPort,
    startAddress: ipToString(s.startAddress),
    endAddress: ipToString(s.endAddress),
  };
}

function renderCert(encoding: number, data: Uint8Array): CertJson {
  const base = { type: 'CERT', encoding: nameOf(certEncodingNames, encoding) } as const;
  if (encoding !== CertEncoding.X509_CERT_SIGNATURE) return { ...base, data: toHex(data) };
  try {
    return { ...base, ...certificateSummary(data), data: toHex(data) };
  } catch (e) {
    if (e instanceof ParseError) return { ...base, error: e.message, data: toHex(data) };
    throw e;
  }
}

/** The decrypted part of an SK/SKF payload: inner payloads, or the error. */
function inner(initiator: boolean, decrypted: readonly Payload[] | Error | undefined): { payloads?: PayloadJson[]; error?: string } {
  if (decrypted === undefined) return {};
  if (decrypted instanceof Error) return { error: errorText(decrypted) };
  return { payloads: decrypted.map((p) => renderPayload(p, initiator, undefined)) };
}

/**
 * Render one payload. `initiator` is the header's I flag (it names a Nonce Ni or Nr);
 * `decrypted` is attached to an SK or SKF payload.
 */
export function renderPayload(p: Payload, initiator: boolean, decrypted?: readonly Payload[] | Error): PayloadJson {
  const crit = p.critical ? { critical: true as const } : {};
  if (!isKnownPayload(p)) {
    return { type: payloadShortNames.get(p.type) ?? nameOf(payloadTypeNames, p.type), typeId: p.type, critical: p.critical, data: toHex(p.data) };
  }
  switch (p.type) {
    case PayloadType.SA:
      return { type: 'SA', ...crit, proposals: p.proposals.map(renderProposal) };
    case PayloadType.KE:
      return { type: 'KE', ...crit, group: nameOf(keGroupNames, p.group), groupId: p.group, data: toHex(p.data) };
    case PayloadType.IDi:
    case PayloadType.IDr:
      return { type: p.type === PayloadType.IDi ? 'IDi' : 'IDr', ...crit, idType: nameOf(idTypeNames, p.idType), ...idValue(p.idType, p.data) };
    case PayloadType.CERT:
      return { ...renderCert(p.encoding, p.data), ...crit };
    case PayloadType.CERTREQ: {
      const hashes = p.encoding === CertEncoding.X509_CERT_SIGNATURE && p.data.length % CA_HASH_LENGTH === 0;
      const authorities = hashes ? Array.from({ length: p.data.length / CA_HASH_LENGTH }, (_, i) => toHex(p.data.subarray(i * CA_HASH_LENGTH, (i + 1) * CA_HASH_LENGTH))) : undefined;
      return { type: 'CERTREQ', ...crit, encoding: nameOf(certEncodingNames, p.encoding), ...(authorities !== undefined ? { authorities } : {}), data: toHex(p.data) };
    }
    case PayloadType.AUTH:
      return { type: 'AUTH', ...crit, method: nameOf(authMethodNames, p.method), methodId: p.method, data: toHex(p.data) };
    case PayloadType.NONCE:
      return { type: initiator ? 'Ni' : 'Nr', ...crit, data: toHex(p.data) };
    case PayloadType.NOTIFY:
      return {
        type: 'N',
        ...crit,
        notifyType: nameOf(notifyTypeNames, p.notifyType),
        notifyTypeId: p.notifyType,
        ...(p.protocolId !== 0 ? { protocol: nameOf(protocolIdNames, p.protocolId) } : {}),
        ...(p.spi.length > 0 ? { spi: toHex(p.spi) } : {}),
        ...notifyData(p.notifyType, p.data),
      };
    case PayloadType.DELETE:
      return { type: 'D', ...crit, protocol: nameOf(protocolIdNames, p.protocolId), spiSize: p.spiSize, spis: p.spis.map(toHex) };
    case PayloadType.VENDOR_ID: {
      const text = p.data.length >= 3 ? printable(p.data) : undefined;
      return { type: 'V', ...crit, ...(text !== undefined ? { text } : {}), data: toHex(p.data) };
    }
    case PayloadType.TSi:
    case PayloadType.TSr:
      return { type: p.type === PayloadType.TSi ? 'TSi' : 'TSr', ...crit, selectors: p.selectors.map(renderSelector) };
    case PayloadType.SK:
      return { type: 'SK', ...crit, nextPayload: payloadName(p.innerNextPayload, initiator), length: p.body.length, ...inner(initiator, decrypted) };
    case PayloadType.SKF:
      return {
        type: 'SKF',
        ...crit,
        nextPayload: payloadName(p.innerNextPayload, initiator),
        fragmentNumber: p.fragmentNumber,
        totalFragments: p.totalFragments,
        length: p.body.length,
        ...inner(initiator, decrypted),
      };
    case PayloadType.CP:
      return { type: 'CP', ...crit, cfgType: nameOf(cfgTypeNames, p.cfgType), attributes: p.attributes.map((a) => ({ type: nameOf(cfgAttrNames, a.type), value: cfgValue(a.type, a.value) })) };
    case PayloadType.EAP:
      return { type: 'EAP', ...crit, data: toHex(p.data) };
  }
}

/** Interpreted notification data where the type defines a format, else the raw data (if any). */
function notifyData(notifyType: number, data: Uint8Array): NotifyDataFields | { data?: string } {
  const fields = notifyFields(notifyType, data);
  if (Object.keys(fields).length > 0) return fields;
  return data.length > 0 ? { data: toHex(data) } : {};
}

/** RFC 7296 §3.2 notation of a payload type (Ni/Nr by direction; NONE for 0). */
function payloadName(type: number, initiator: boolean): string {
  if (type === PayloadType.NONCE) return initiator ? 'Ni' : 'Nr';
  if (type === PayloadType.NONE) return 'NONE';
  return payloadShortNames.get(type) ?? nameOf(payloadTypeNames, type);
}
