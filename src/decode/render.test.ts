import { describe, expect, it } from 'vitest';
import { CryptoError, ParseError } from '../errors.js';
import {
  AuthMethod, CertEncoding, CfgAttr, CfgType, EncrId, ExchangeType, HashAlgorithm, IdType, IpcompTransform, KeGroup,
  NotifyType, PayloadType, ProtocolId, TransformType, TsType,
} from '../iana/ikev2.js';
import { IpProto } from '../iana/ipsec.js';
import type { IkeHeader } from '../wire/header.js';
import { decodeMessage, encodeMessage, type IkeMessage } from '../wire/message.js';
import type { Payload } from '../wire/payload.js';
import { renderError, renderMessage, renderText } from './render.js';

const b = (...v: number[]): Uint8Array => new Uint8Array(v);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

function header(over: Partial<IkeHeader> = {}): IkeHeader {
  return {
    spiI: b(1, 2, 3, 4, 5, 6, 7, 8), spiR: fill(8, 0), nextPayload: 0, majorVersion: 2, minorVersion: 0,
    exchangeType: ExchangeType.IKE_AUTH, flags: 0x08, initiator: true, response: false, messageId: 1, length: 0, ...over,
  };
}

/** Encode and decode again, so the renderer sees exactly what the wire decoder produces. */
function wire(payloads: readonly Payload[], over: Partial<IkeHeader> = {}): IkeMessage {
  return decodeMessage(encodeMessage({ header: header(over), payloads }));
}

// A DER Name: C=XX, O=Kite, CN=gw
const DN = b(0x30, 0x2a, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x58, 0x58, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x04, 0x4b, 0x69, 0x74, 0x65, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x03, 0x67, 0x77, 0x2e);

describe('renderMessage', () => {
  it('renders the header fields of issue 2 §6', () => {
    const m = wire([], { exchangeType: ExchangeType.INFORMATIONAL, flags: 0x20, initiator: false, response: true, messageId: 7 });
    expect(renderMessage(m)).toEqual({
      exchange: 'INFORMATIONAL', exchangeType: 37, response: true, initiator: false, messageId: 7,
      spiI: '0102030405060708', spiR: '0000000000000000', version: '2.0', length: 28, payloads: [],
    });
  });

  it('names SA transforms, KE group, AUTH method, nonce direction', () => {
    const sa: Payload = {
      type: PayloadType.SA, critical: false,
      proposals: [{ num: 1, protocolId: ProtocolId.ESP, spi: b(0xc0, 0xff, 0xee, 1), transforms: [
        { type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, keyLength: 256 },
        { type: TransformType.ESN, id: 0 },
        { type: TransformType.KE, id: KeGroup.CURVE25519 },
      ] }],
    };
    const payloads: Payload[] = [
      sa,
      { type: PayloadType.KE, critical: false, group: KeGroup.ECP_256, data: fill(64, 9) },
      { type: PayloadType.AUTH, critical: false, method: AuthMethod.DIGITAL_SIGNATURE, data: b(1, 2) },
      { type: PayloadType.NONCE, critical: false, data: b(0xaa, 0xbb) },
    ];
    const req = renderMessage(wire(payloads));
    expect(req.payloads).toEqual([
      { type: 'SA', proposals: [{ num: 1, protocol: 'ESP', spi: 'c0ffee01', transforms: [
        { type: 'ENCR', name: 'ENCR_AES_GCM_16', id: 20, keyLength: 256 },
        { type: 'ESN', name: 'NO_ESN', id: 0 },
        { type: 'KE', name: 'CURVE25519', id: 31 },
      ] }] },
      { type: 'KE', group: 'ECP_256', groupId: 19, data: '09'.repeat(64) },
      { type: 'AUTH', method: 'DIGITAL_SIGNATURE', methodId: 14, data: '0102' },
      { type: 'Ni', data: 'aabb' },
    ]);
    const resp = renderMessage(wire(payloads, { flags: 0x20, initiator: false, response: true }));
    expect(resp.payloads[3]).toEqual({ type: 'Nr', data: 'aabb' });
  });

  it('shows identities readably', () => {
    const id = (idType: number, data: Uint8Array): Payload => ({ type: PayloadType.IDi, critical: false, idType, data });
    const m = wire([
      id(IdType.ID_IPV4_ADDR, b(192, 0, 2, 1)),
      id(IdType.ID_IPV6_ADDR, b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
      id(IdType.ID_FQDN, text('gw.example.test')),
      id(IdType.ID_RFC822_ADDR, text('client@example.test')),
      id(IdType.ID_DER_ASN1_DN, DN),
      id(IdType.ID_DER_ASN1_DN, b(0x30, 0x05, 1)),
      id(IdType.ID_KEY_ID, b(0, 1, 0xfe)),
      id(IdType.ID_IPV4_ADDR, b(1, 2, 3)),
    ]);
    const r = renderMessage(m).payloads;
    expect(r.slice(0, 5)).toEqual([
      { type: 'IDi', idType: 'ID_IPV4_ADDR', value: '192.0.2.1' },
      { type: 'IDi', idType: 'ID_IPV6_ADDR', value: '2001:db8::1' },
      { type: 'IDi', idType: 'ID_FQDN', value: 'gw.example.test' },
      { type: 'IDi', idType: 'ID_RFC822_ADDR', value: 'client@example.test' },
      { type: 'IDi', idType: 'ID_DER_ASN1_DN', value: 'CN=gw.,O=Kite,C=XX' },
    ]);
    expect(r[5]).toMatchObject({ idType: 'ID_DER_ASN1_DN', value: '300501', error: expect.stringContaining('TRUNCATED') as unknown });
    expect(r[6]).toEqual({ type: 'IDi', idType: 'ID_KEY_ID', value: '0001fe' });
    expect(r[7]).toMatchObject({ value: '010203', error: 'IPv4 address of 3 octets' });
  });

  it('interprets notify data where the type defines it', () => {
    const n = (notifyType: number, data: Uint8Array, protocolId = 0, spi = b()): Payload => ({ type: PayloadType.NOTIFY, critical: false, protocolId, spi, notifyType, data });
    const r = renderMessage(wire([
      n(NotifyType.NAT_DETECTION_SOURCE_IP, fill(20, 0xab)),
      n(NotifyType.SIGNATURE_HASH_ALGORITHMS, b(0, HashAlgorithm.SHA2_256, 0, HashAlgorithm.SHA2_512, 0, 99)),
      n(NotifyType.IPCOMP_SUPPORTED, b(0x12, 0x34, IpcompTransform.IPCOMP_DEFLATE)),
      n(NotifyType.INVALID_KE_PAYLOAD, b(0, KeGroup.MODP_2048)),
      n(NotifyType.REKEY_SA, b(), ProtocolId.ESP, b(1, 2, 3, 4)),
      n(NotifyType.COOKIE, b(5, 6)),
      n(60000, b()),
    ])).payloads;
    expect(r).toEqual([
      { type: 'N', notifyType: 'NAT_DETECTION_SOURCE_IP', notifyTypeId: 16388, hash: 'ab'.repeat(20) },
      { type: 'N', notifyType: 'SIGNATURE_HASH_ALGORITHMS', notifyTypeId: 16431, hashAlgorithms: ['SHA2_256', 'SHA2_512', 'UNKNOWN_99'] },
      { type: 'N', notifyType: 'IPCOMP_SUPPORTED', notifyTypeId: 16387, cpi: 0x1234, transform: 'IPCOMP_DEFLATE' },
      { type: 'N', notifyType: 'INVALID_KE_PAYLOAD', notifyTypeId: 17, group: 'MODP_2048' },
      { type: 'N', notifyType: 'REKEY_SA', notifyTypeId: 16393, protocol: 'ESP', spi: '01020304' },
      { type: 'N', notifyType: 'COOKIE', notifyTypeId: 16390, data: '0506' },
      { type: 'N', notifyType: 'UNKNOWN_60000', notifyTypeId: 60000 },
    ]);
  });

  it('renders CP attributes as text, TS selectors, D, V, CERT, CERTREQ, EAP and unknown payloads', () => {
    const attr = (type: number, value: Uint8Array): { type: number; value: Uint8Array } => ({ type, value });
    const v6 = b(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5);
    const r = renderMessage(wire([
      { type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REPLY, attributes: [
        attr(CfgAttr.INTERNAL_IP4_ADDRESS, b(10, 99, 1, 1)), attr(CfgAttr.INTERNAL_IP4_NETMASK, b(255, 255, 255, 0)),
        attr(CfgAttr.INTERNAL_IP4_SUBNET, b(10, 99, 0, 0, 255, 255, 0, 0)), attr(CfgAttr.INTERNAL_IP4_SUBNET, b(10, 0, 0, 0, 255, 0, 255, 0)),
        attr(CfgAttr.INTERNAL_IP6_ADDRESS, new Uint8Array([...v6, 64])), attr(CfgAttr.INTERNAL_IP6_DNS, v6),
        attr(CfgAttr.INTERNAL_DNS_DOMAIN, text('example.test')), attr(CfgAttr.SUPPORTED_ATTRIBUTES, b(0, 1, 0, 3)),
        attr(CfgAttr.INTERNAL_IP4_DNS, b()), attr(CfgAttr.INTERNAL_IP4_ADDRESS, b(1, 2)),
      ] },
      { type: PayloadType.TSi, critical: false, selectors: [
        { tsType: TsType.TS_IPV6_ADDR_RANGE, ipProtocol: IpProto.UDP, startPort: 500, endPort: 500, startAddress: v6, endAddress: v6 },
        { tsType: TsType.TS_SECLABEL, flags: 0, data: b(1, 2, 3, 4) },
      ] },
      { type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: [b(1, 2, 3, 4), b(5, 6, 7, 8)] },
      { type: PayloadType.VENDOR_ID, critical: false, data: text('OpenIKED-7.2') },
      { type: PayloadType.VENDOR_ID, critical: false, data: b(0x88, 0x2f) },
      { type: PayloadType.CERT, critical: true, encoding: CertEncoding.X509_CERT_SIGNATURE, data: b(0x30, 0x03, 0x02, 0x01, 0x01) },
      { type: PayloadType.CERT, critical: false, encoding: CertEncoding.RAW_PUBLIC_KEY, data: b(7) },
      { type: PayloadType.CERTREQ, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: new Uint8Array([...fill(20, 1), ...fill(20, 2)]) },
      { type: PayloadType.EAP, critical: false, data: b(1, 1, 0, 4) },
      { type: 49, critical: false, unknown: true, data: b(9) },
      { type: 200, critical: false, unknown: true, data: b() },
    ])).payloads;
    expect(r[0]).toEqual({ type: 'CP', cfgType: 'CFG_REPLY', attributes: [
      { type: 'INTERNAL_IP4_ADDRESS', value: '10.99.1.1' }, { type: 'INTERNAL_IP4_NETMASK', value: '255.255.255.0' },
      { type: 'INTERNAL_IP4_SUBNET', value: '10.99.0.0/16' }, { type: 'INTERNAL_IP4_SUBNET', value: '10.0.0.0/255.0.255.0' },
      { type: 'INTERNAL_IP6_ADDRESS', value: 'fd00::5/64' }, { type: 'INTERNAL_IP6_DNS', value: 'fd00::5' },
      { type: 'INTERNAL_DNS_DOMAIN', value: 'example.test' }, { type: 'SUPPORTED_ATTRIBUTES', value: 'INTERNAL_IP4_ADDRESS,INTERNAL_IP4_DNS' },
      { type: 'INTERNAL_IP4_DNS', value: null }, { type: 'INTERNAL_IP4_ADDRESS', value: '0102' },
    ] });
    expect(r[1]).toEqual({ type: 'TSi', selectors: [
      { tsType: 'TS_IPV6_ADDR_RANGE', protocol: 17, startPort: 500, endPort: 500, startAddress: 'fd00::5', endAddress: 'fd00::5' },
      { tsType: 'TS_SECLABEL', flags: 0, data: '01020304' },
    ] });
    expect(r[2]).toEqual({ type: 'D', protocol: 'ESP', spiSize: 4, spis: ['01020304', '05060708'] });
    expect(r[3]).toEqual({ type: 'V', text: 'OpenIKED-7.2', data: Buffer.from('OpenIKED-7.2').toString('hex') });
    expect(r[4]).toEqual({ type: 'V', data: '882f' });
    expect(r[5]).toMatchObject({ type: 'CERT', critical: true, encoding: 'X509_CERT_SIGNATURE', data: '3003020101', error: expect.stringContaining('certificate') as unknown });
    expect(r[6]).toEqual({ type: 'CERT', encoding: 'RAW_PUBLIC_KEY', data: '07' });
    expect(r[7]).toEqual({ type: 'CERTREQ', encoding: 'X509_CERT_SIGNATURE', authorities: ['01'.repeat(20), '02'.repeat(20)], data: '01'.repeat(20) + '02'.repeat(20) });
    expect(r[8]).toEqual({ type: 'EAP', data: '01010004' });
    expect(r[9]).toEqual({ type: 'GSPM', typeId: 49, critical: false, data: '09' });
    expect(r[10]).toEqual({ type: 'UNKNOWN_200', typeId: 200, critical: false, data: '' });
  });

  it('attaches decrypted payloads or the error to SK and SKF', () => {
    const sk: Payload = { type: PayloadType.SK, critical: false, innerNextPayload: PayloadType.IDi, body: fill(48, 1) };
    const inner: Payload[] = [{ type: PayloadType.IDi, critical: false, idType: IdType.ID_FQDN, data: text('a.b') }, { type: PayloadType.NONCE, critical: false, data: b(1) }];
    const m = wire([sk]);
    expect(renderMessage(m).payloads).toEqual([{ type: 'SK', nextPayload: 'IDi', length: 48 }]);
    expect(renderMessage(m, { decrypted: inner }).payloads).toEqual([
      { type: 'SK', nextPayload: 'IDi', length: 48, payloads: [{ type: 'IDi', idType: 'ID_FQDN', value: 'a.b' }, { type: 'Ni', data: '01' }] },
    ]);
    expect(renderMessage(m, { decrypted: new CryptoError('ICV_MISMATCH', 'SK: ICV does not verify') }).payloads[0]).toEqual({
      type: 'SK', nextPayload: 'IDi', length: 48, error: 'CryptoError ICV_MISMATCH: SK: ICV does not verify',
    });
    const skf: Payload = { type: PayloadType.SKF, critical: false, innerNextPayload: PayloadType.NONCE, fragmentNumber: 1, totalFragments: 2, body: fill(20, 2) };
    expect(renderMessage(wire([skf]), { decrypted: [] }).payloads[0]).toEqual({ type: 'SKF', nextPayload: 'Ni', fragmentNumber: 1, totalFragments: 2, length: 20, payloads: [] });
  });
});

describe('renderError', () => {
  it('keeps the ParseError parts', () => {
    expect(renderError(new ParseError('BAD_LENGTH', 'payload.length', 30, 'too long'))).toEqual({
      error: { name: 'ParseError', code: 'BAD_LENGTH', field: 'payload.length', offset: 30, message: 'BAD_LENGTH in payload.length at offset 30: too long' },
    });
    expect(renderError(new CryptoError('ICV_MISMATCH', 'x')).error).toEqual({ name: 'CryptoError', code: 'ICV_MISMATCH', message: 'x' });
  });
});

describe('renderText', () => {
  it('prints an indented tree', () => {
    const sa: Payload = { type: PayloadType.SA, critical: false, proposals: [{ num: 1, protocolId: ProtocolId.IKE, spi: b(), transforms: [{ type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, keyLength: 128 }] }] };
    const m = wire([
      sa,
      { type: PayloadType.KE, critical: false, group: KeGroup.MODP_2048, data: fill(256, 0xee) },
      { type: PayloadType.IDi, critical: false, idType: IdType.ID_DER_ASN1_DN, data: DN },
      { type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REQUEST, attributes: [{ type: CfgAttr.INTERNAL_IP4_ADDRESS, value: b() }] },
      { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: b(), notifyType: NotifyType.SIGNATURE_HASH_ALGORITHMS, data: b(0, 2, 0, 3) },
    ], { exchangeType: ExchangeType.IKE_SA_INIT, messageId: 0 });
    expect(renderText(renderMessage(m)).split('\n')).toEqual([
      `IKE_SA_INIT request from initiator msgid=0 spiI=0102030405060708 spiR=0000000000000000 length=${m.header.length}`,
      '  SA',
      '    proposal num=1 protocol=IKE',
      '      ENCR ENCR_AES_CBC keyLength=128',
      `  KE group=MODP_2048 data=${'ee'.repeat(32)}…(256 bytes)`,
      '  IDi idType=ID_DER_ASN1_DN value=CN=gw.,O=Kite,C=XX',
      '  CP cfgType=CFG_REQUEST',
      '    INTERNAL_IP4_ADDRESS value=(requested)',
      '  N SIGNATURE_HASH_ALGORITHMS hashAlgorithms=[SHA2_256, SHA2_384]',
    ]);
  });

  it('prints decode errors on one line', () => {
    expect(renderText(renderError(new ParseError('TRUNCATED', 'header', 0, 'need 28 bytes, have 3')))).toBe(
      'decode error: TRUNCATED in header at offset 0: need 28 bytes, have 3',
    );
    expect(renderText(renderError(new CryptoError('ICV_MISMATCH', 'bad ICV')))).toBe('decode error ICV_MISMATCH: bad ICV');
  });
});
