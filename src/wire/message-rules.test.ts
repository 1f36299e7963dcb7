import { describe, expect, it } from 'vitest';
import { AuthMethod, ExchangeType, HeaderFlag, IdType, KeGroup, NotifyType, PayloadType, ProtocolId } from '../iana/ikev2.js';
import type { IkeHeader } from './header.js';
import { checkMessageRules, findMessageRule, MESSAGE_RULES } from './message-rules.js';
import type { Payload } from './payload.js';
import { parseErrorOf } from './payloads/testing.testkit.js';

const empty = new Uint8Array(0);
const hdr = (exchangeType: number, response: boolean): IkeHeader => ({
  spiI: new Uint8Array(8), spiR: new Uint8Array(8), nextPayload: 0, majorVersion: 2, minorVersion: 0, exchangeType,
  flags: response ? HeaderFlag.RESPONSE : HeaderFlag.INITIATOR, initiator: !response, response, messageId: 0, length: 0,
});

const SA: Payload = { type: PayloadType.SA, critical: false, proposals: [{ num: 1, protocolId: ProtocolId.IKE, spi: empty, transforms: [] }] };
const KE: Payload = { type: PayloadType.KE, critical: false, group: KeGroup.ECP_256, data: new Uint8Array(64) };
const NONCE: Payload = { type: PayloadType.NONCE, critical: false, data: new Uint8Array(32) };
const notify = (notifyType: number): Payload => ({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: empty, notifyType, data: empty });
const IDI: Payload = { type: PayloadType.IDi, critical: false, idType: IdType.ID_FQDN, data: empty };
const IDR: Payload = { type: PayloadType.IDr, critical: false, idType: IdType.ID_FQDN, data: empty };
const AUTH: Payload = { type: PayloadType.AUTH, critical: false, method: AuthMethod.DIGITAL_SIGNATURE, data: empty };
const EAP: Payload = { type: PayloadType.EAP, critical: false, data: Uint8Array.of(2, 1, 0, 4) };
const TSI: Payload = { type: PayloadType.TSi, critical: false, selectors: [] };
const TSR: Payload = { type: PayloadType.TSr, critical: false, selectors: [] };
const CP: Payload = { type: PayloadType.CP, critical: false, cfgType: 1, attributes: [] };
const DEL: Payload = { type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: [new Uint8Array(4)] };
const SK: Payload = { type: PayloadType.SK, critical: false, innerNextPayload: 0, body: new Uint8Array(32) };
const SKF: Payload = { type: PayloadType.SKF, critical: false, innerNextPayload: 0, fragmentNumber: 1, totalFragments: 2, body: new Uint8Array(32) };
const UNKNOWN: Payload = { type: 222, critical: false, unknown: true, data: empty };

const syntax = (f: () => void) => {
  const e = parseErrorOf(f);
  expect(e.code).toBe('INVALID_SYNTAX');
  return e.field;
};

describe('message rules (RFC 7296 §1, §3)', () => {
  it('has one rule per exchange and direction', () => {
    const keys = MESSAGE_RULES.map((r) => `${r.exchange}/${r.response}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(findMessageRule(ExchangeType.IKE_SA_INIT, false)?.encrypted).toBe(false);
    expect(findMessageRule(ExchangeType.IKE_AUTH, true)?.encrypted).toBe(true);
  });

  it('IKE_SA_INIT request needs SA, KE and Ni, and nothing encrypted', () => {
    expect(() => checkMessageRules(hdr(34, false), [SA, KE, NONCE, notify(NotifyType.NAT_DETECTION_SOURCE_IP), UNKNOWN])).not.toThrow();
    expect(syntax(() => checkMessageRules(hdr(34, false), [SA, NONCE]))).toBe('IKE_SA_INIT request: KE');
    expect(syntax(() => checkMessageRules(hdr(34, false), [SA, KE, NONCE, NONCE]))).toBe('IKE_SA_INIT request: NONCE');
    expect(syntax(() => checkMessageRules(hdr(34, false), [SA, KE, NONCE, SK]))).toBe('IKE_SA_INIT request: SK');
    // Even with a COOKIE, a request must carry SA, KE, Ni.
    expect(syntax(() => checkMessageRules(hdr(34, false), [notify(NotifyType.COOKIE)]))).toBe('IKE_SA_INIT request: SA');
  });

  it('IKE_SA_INIT error-notify-only responses pass (INVALID_KE_PAYLOAD, COOKIE, NO_PROPOSAL_CHOSEN)', () => {
    for (const t of [NotifyType.INVALID_KE_PAYLOAD, NotifyType.COOKIE, NotifyType.NO_PROPOSAL_CHOSEN]) {
      expect(() => checkMessageRules(hdr(34, true), [notify(t)])).not.toThrow();
    }
    expect(syntax(() => checkMessageRules(hdr(34, true), [notify(NotifyType.NAT_DETECTION_SOURCE_IP)]))).toBe('IKE_SA_INIT response: SA');
    expect(() => checkMessageRules(hdr(34, true), [SA, KE, NONCE, notify(NotifyType.MULTIPLE_AUTH_SUPPORTED)])).not.toThrow();
  });

  it('IKE_AUTH: outer is exactly one SK or SKF; inner needs IDi (or AUTH/EAP in later rounds)', () => {
    expect(() => checkMessageRules(hdr(35, false), [SK], [IDI, AUTH, SA, TSI, TSR, CP, notify(NotifyType.INITIAL_CONTACT)])).not.toThrow();
    expect(() => checkMessageRules(hdr(35, false), [SKF])).not.toThrow();
    expect(() => checkMessageRules(hdr(35, false), [IDI])).toThrow(/exactly one SK or SKF/);
    expect(syntax(() => checkMessageRules(hdr(35, false), [SK, SK]))).toBe('IKE_AUTH request: SK');
    expect(() => checkMessageRules(hdr(35, false), [SK], [IDI])).not.toThrow(); // EAP start: IDi without AUTH
    expect(() => checkMessageRules(hdr(35, false), [SK], [EAP])).not.toThrow();
    expect(syntax(() => checkMessageRules(hdr(35, false), [SK], [notify(NotifyType.INITIAL_CONTACT)]))).toBe('IKE_AUTH request: required');
    expect(syntax(() => checkMessageRules(hdr(35, false), [SK], [IDI, AUTH, SA, TSI]))).toBe('IKE_AUTH request: together');
    expect(syntax(() => checkMessageRules(hdr(35, false), [SK], [IDI, AUTH, KE]))).toBe('IKE_AUTH request: KE');
  });

  it('IKE_AUTH response: IDr+AUTH, or an error notify alone', () => {
    expect(() => checkMessageRules(hdr(35, true), [SK], [IDR, AUTH, CP, SA, TSI, TSR])).not.toThrow();
    expect(() => checkMessageRules(hdr(35, true), [SK], [IDR, AUTH, notify(NotifyType.TS_UNACCEPTABLE)])).not.toThrow();
    expect(() => checkMessageRules(hdr(35, true), [SK], [notify(NotifyType.AUTHENTICATION_FAILED)])).not.toThrow();
    expect(syntax(() => checkMessageRules(hdr(35, true), [SK], [IDR]))).toBe('IKE_AUTH response: required');
    expect(syntax(() => checkMessageRules(hdr(35, true), [SK], [IDI, AUTH]))).toBe('IKE_AUTH response: IDi');
  });

  it('CREATE_CHILD_SA and INFORMATIONAL', () => {
    expect(() => checkMessageRules(hdr(36, false), [SK], [notify(NotifyType.REKEY_SA), SA, NONCE, KE, TSI, TSR])).not.toThrow();
    expect(() => checkMessageRules(hdr(36, false), [SK], [SA, NONCE, KE])).not.toThrow(); // IKE SA rekey
    expect(syntax(() => checkMessageRules(hdr(36, false), [SK], [SA, KE]))).toBe('CREATE_CHILD_SA request: NONCE');
    expect(() => checkMessageRules(hdr(36, true), [SK], [notify(NotifyType.NO_ADDITIONAL_SAS)])).not.toThrow();
    expect(syntax(() => checkMessageRules(hdr(36, true), [SK], [SA, NONCE, TSI]))).toBe('CREATE_CHILD_SA response: together');
    expect(() => checkMessageRules(hdr(37, false), [SK], [])).not.toThrow(); // liveness check
    expect(() => checkMessageRules(hdr(37, true), [SK], [DEL, DEL])).not.toThrow();
    expect(syntax(() => checkMessageRules(hdr(37, false), [SK], [SA]))).toBe('INFORMATIONAL request: SA');
  });

  it('refuses exchanges it has no rule for', () => {
    expect(syntax(() => checkMessageRules(hdr(99, false), [SK]))).toBe('exchange 99');
  });
});
