/**
 * Sample messages built from records (test, fuzz and bench support; not used by the library).
 * Addresses are documentation ranges (RFC 5737); sizes follow what strongSwan sends.
 */
import { AuthMethod, CertEncoding, CfgAttr, CfgType, EncrId, ExchangeType, HeaderFlag, IdType, IntegId, KeGroup, NotifyType, PayloadType, PrfId, ProtocolId, TransformType, TsType } from '../iana/ikev2.js';
import type { IkeHeader } from './header.js';
import { encodeMessage, encodePayloadChain, type IkeMessage } from './message.js';
import type { Payload } from './payload.js';

const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** A header for `exchange` from the original initiator. */
export function sampleHeader(exchangeType: number, messageId: number, response = false): IkeHeader {
  return {
    spiI: fill(8, 1), spiR: messageId === 0 && !response ? new Uint8Array(8) : fill(8, 2), nextPayload: 0, majorVersion: 2, minorVersion: 0,
    exchangeType, flags: response ? HeaderFlag.RESPONSE : HeaderFlag.INITIATOR, initiator: !response, response, messageId, length: 0,
  };
}

const v4 = (a: number, b: number, c: number, d: number) => Uint8Array.of(a, b, c, d);

/**
 * The inner payloads of an IKE_AUTH request as strongSwan sends them with an RSA-2048
 * certificate: IDi, CERT, N(INITIAL_CONTACT), CERTREQ, IDr, AUTH, CP, SA, TSi, TSr, N... (about
 * 1400 octets with a ~900-octet certificate). `certDer` replaces the filler certificate.
 */
export function sampleIkeAuthPayloads(certDer: Uint8Array = fill(900, 3)): Payload[] {
  const n = (notifyType: number, data = new Uint8Array(0)): Payload => ({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType, data });
  const ts = (type: typeof PayloadType.TSi | typeof PayloadType.TSr, lo: Uint8Array, hi: Uint8Array): Payload => ({
    type, critical: false, selectors: [{ tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: lo, endAddress: hi }],
  });
  return [
    { type: PayloadType.IDi, critical: false, idType: IdType.ID_RFC822_ADDR, data: new TextEncoder().encode('client@example.test') },
    { type: PayloadType.CERT, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: certDer },
    n(NotifyType.INITIAL_CONTACT),
    { type: PayloadType.CERTREQ, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: fill(20, 4) },
    { type: PayloadType.IDr, critical: false, idType: IdType.ID_FQDN, data: new TextEncoder().encode('gw.example.test') },
    { type: PayloadType.AUTH, critical: false, method: AuthMethod.DIGITAL_SIGNATURE, data: fill(16 + 256, 5) },
    { type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REQUEST, attributes: [{ type: CfgAttr.INTERNAL_IP4_ADDRESS, value: new Uint8Array(0) }, { type: CfgAttr.INTERNAL_IP4_DNS, value: new Uint8Array(0) }] },
    {
      type: PayloadType.SA, critical: false, proposals: [{
        num: 1, protocolId: ProtocolId.ESP, spi: fill(4, 6), transforms: [
          { type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, keyLength: 256 },
          { type: TransformType.INTEG, id: IntegId.AUTH_HMAC_SHA2_256_128 },
          { type: TransformType.ESN, id: 0 },
        ],
      }],
    },
    ts(PayloadType.TSi, v4(0, 0, 0, 0), v4(255, 255, 255, 255)),
    ts(PayloadType.TSr, v4(198, 51, 100, 0), v4(198, 51, 100, 255)),
    n(NotifyType.MOBIKE_SUPPORTED),
    n(NotifyType.NO_ADDITIONAL_ADDRESSES),
    n(NotifyType.MULTIPLE_AUTH_SUPPORTED),
  ];
}

/** The same IKE_AUTH payloads as a plaintext message (what the codec works on after decryption). */
export function samplePlainIkeAuth(certDer?: Uint8Array): IkeMessage {
  return { header: sampleHeader(ExchangeType.IKE_AUTH, 1), payloads: sampleIkeAuthPayloads(certDer) };
}

/**
 * A handful of encoded messages covering every payload codec: IKE_SA_INIT, an IKE_AUTH whose SK
 * body holds the inner chain in clear (so fuzzers reach the inner decoder), an SKF fragment,
 * CREATE_CHILD_SA and INFORMATIONAL with Delete.
 */
export function sampleMessages(): Uint8Array[] {
  const sa: Payload = {
    type: PayloadType.SA, critical: false, proposals: [{
      num: 1, protocolId: ProtocolId.IKE, spi: new Uint8Array(0), transforms: [
        { type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, keyLength: 128 },
        { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_256 },
        { type: TransformType.KE, id: KeGroup.ECP_256 },
      ],
    }],
  };
  const init: IkeMessage = {
    header: sampleHeader(ExchangeType.IKE_SA_INIT, 0),
    payloads: [sa, { type: PayloadType.KE, critical: false, group: KeGroup.ECP_256, data: fill(64, 7) }, { type: PayloadType.NONCE, critical: false, data: fill(32, 8) },
      { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.NAT_DETECTION_SOURCE_IP, data: fill(20, 9) },
      { type: PayloadType.VENDOR_ID, critical: false, data: fill(16, 10) }],
  };
  const inner = encodePayloadChain(sampleIkeAuthPayloads(fill(300, 11)));
  const auth: IkeMessage = { header: sampleHeader(ExchangeType.IKE_AUTH, 1), payloads: [{ type: PayloadType.SK, critical: false, innerNextPayload: inner.firstType, body: inner.bytes }] };
  const frag: IkeMessage = {
    header: sampleHeader(ExchangeType.IKE_AUTH, 1, true),
    payloads: [{ type: PayloadType.SKF, critical: false, innerNextPayload: PayloadType.IDr, fragmentNumber: 1, totalFragments: 2, body: fill(120, 12) }],
  };
  const child = encodePayloadChain([sa, { type: PayloadType.NONCE, critical: false, data: fill(32, 13) }, sampleIkeAuthPayloads()[8] as Payload, sampleIkeAuthPayloads()[9] as Payload]);
  const create: IkeMessage = { header: sampleHeader(ExchangeType.CREATE_CHILD_SA, 2), payloads: [{ type: PayloadType.SK, critical: false, innerNextPayload: child.firstType, body: child.bytes }] };
  const del = encodePayloadChain([{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: [fill(4, 14), fill(4, 15)] }]);
  const info: IkeMessage = { header: sampleHeader(ExchangeType.INFORMATIONAL, 3), payloads: [{ type: PayloadType.SK, critical: false, innerNextPayload: del.firstType, body: del.bytes }] };
  return [init, auth, frag, create, info, samplePlainIkeAuth(fill(300, 16))].map(encodeMessage);
}
