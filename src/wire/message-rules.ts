/**
 * Per-exchange message rules (RFC 7296 §1.2-§1.5, §2.6, §3; RFC 7383 §2.5; RFC 9242; RFC 9370)
 * as data, checked before any protocol code sees a message. Each rule says, for one exchange and
 * direction, which payloads may appear and how often, whether they travel inside SK/SKF, which
 * payloads must appear together, and which notifies stand in for the normal contents (an error
 * notify, or COOKIE in an IKE_SA_INIT response). Uninterpreted non-critical payloads are ignored.
 */
import { ParseError } from '../errors.js';
import { ExchangeType, NOTIFY_ERROR_MAX, NotifyType, PayloadType, exchangeTypeNames, payloadTypeNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import type { IkeHeader } from './header.js';
import { isKnownPayload, type Payload } from './payload.js';

/** How often one payload type may appear. */
export interface PayloadRule {
  readonly type: number;
  readonly min: number;
  readonly max: number;
}

/** The rule for one exchange and direction. */
export interface MessageRule {
  readonly exchange: number;
  readonly response: boolean;
  /** True: the outer message is exactly one SK or SKF payload and `payloads` apply inside it. */
  readonly encrypted: boolean;
  /** Allowed payload types with their counts; any other interpreted type is a syntax error. */
  readonly payloads: readonly PayloadRule[];
  /** At least one of these groups must be present in full (alternatives, e.g. the EAP rounds). */
  readonly requireOneOf?: readonly (readonly number[])[];
  /** Each group appears entirely or not at all (e.g. SA, TSi, TSr of a CHILD SA). */
  readonly together?: readonly (readonly number[])[];
  /** Notify types whose presence waives `min` and `requireOneOf`; 'errors' = every error type. */
  readonly waivedBy?: readonly ('errors' | number)[];
}

const MANY = 64;
const T = PayloadType;
const N = { type: T.NOTIFY, min: 0, max: MANY } as const;
const V = { type: T.VENDOR_ID, min: 0, max: MANY } as const;
const one = (type: number) => ({ type, min: 1, max: 1 }) as const;
const opt = (type: number) => ({ type, min: 0, max: 1 }) as const;
const many = (type: number) => ({ type, min: 0, max: MANY }) as const;

/** The rules Kite enforces, one per exchange and direction. */
export const MESSAGE_RULES: readonly MessageRule[] = [
  { exchange: ExchangeType.IKE_SA_INIT, response: false, encrypted: false, payloads: [one(T.SA), one(T.KE), one(T.NONCE), N, V] },
  {
    exchange: ExchangeType.IKE_SA_INIT, response: true, encrypted: false,
    payloads: [one(T.SA), one(T.KE), one(T.NONCE), many(T.CERTREQ), N, V],
    waivedBy: ['errors', NotifyType.COOKIE],
  },
  {
    exchange: ExchangeType.IKE_AUTH, response: false, encrypted: true,
    payloads: [opt(T.IDi), many(T.CERT), many(T.CERTREQ), opt(T.IDr), opt(T.AUTH), opt(T.EAP), opt(T.CP), opt(T.SA), opt(T.TSi), opt(T.TSr), N, V],
    requireOneOf: [[T.IDi], [T.AUTH], [T.EAP]],
    together: [[T.SA, T.TSi, T.TSr]],
  },
  {
    exchange: ExchangeType.IKE_AUTH, response: true, encrypted: true,
    payloads: [opt(T.IDr), many(T.CERT), opt(T.AUTH), opt(T.EAP), opt(T.CP), opt(T.SA), opt(T.TSi), opt(T.TSr), N, V],
    requireOneOf: [[T.IDr, T.AUTH], [T.AUTH], [T.EAP]],
    together: [[T.SA, T.TSi, T.TSr]],
    waivedBy: ['errors'],
  },
  {
    exchange: ExchangeType.CREATE_CHILD_SA, response: false, encrypted: true,
    payloads: [one(T.SA), one(T.NONCE), opt(T.KE), opt(T.TSi), opt(T.TSr), N, V],
    together: [[T.TSi, T.TSr]],
  },
  {
    exchange: ExchangeType.CREATE_CHILD_SA, response: true, encrypted: true,
    payloads: [one(T.SA), one(T.NONCE), opt(T.KE), opt(T.TSi), opt(T.TSr), N, V],
    together: [[T.TSi, T.TSr]],
    waivedBy: ['errors'],
  },
  { exchange: ExchangeType.INFORMATIONAL, response: false, encrypted: true, payloads: [N, many(T.DELETE), opt(T.CP), V] },
  { exchange: ExchangeType.INFORMATIONAL, response: true, encrypted: true, payloads: [N, many(T.DELETE), opt(T.CP), V] },
  { exchange: ExchangeType.IKE_INTERMEDIATE, response: false, encrypted: true, payloads: [opt(T.KE), N, V] },
  { exchange: ExchangeType.IKE_INTERMEDIATE, response: true, encrypted: true, payloads: [opt(T.KE), N, V] },
  { exchange: ExchangeType.IKE_FOLLOWUP_KE, response: false, encrypted: true, payloads: [one(T.KE), N, V] },
  { exchange: ExchangeType.IKE_FOLLOWUP_KE, response: true, encrypted: true, payloads: [one(T.KE), N, V], waivedBy: ['errors'] },
] as const;

/** The rule for an exchange and direction, if Kite has one. */
export function findMessageRule(exchange: number, response: boolean): MessageRule | undefined {
  return MESSAGE_RULES.find((r) => r.exchange === exchange && r.response === response);
}

function fail(rule: string, detail: string): never {
  throw new ParseError('INVALID_SYNTAX', rule, 0, detail);
}

function label(rule: MessageRule): string {
  return `${nameOf(exchangeTypeNames, rule.exchange)} ${rule.response ? 'response' : 'request'}`;
}

function typeName(t: number): string {
  return nameOf(payloadTypeNames, t);
}

function waived(rule: MessageRule, payloads: readonly Payload[]): boolean {
  const by = rule.waivedBy ?? [];
  return payloads.some((p) => isKnownPayload(p) && p.type === T.NOTIFY &&
    by.some((w) => (w === 'errors' ? p.notifyType <= NOTIFY_ERROR_MAX : w === p.notifyType)));
}

function checkSet(rule: MessageRule, payloads: readonly Payload[], where: string): void {
  const name = label(rule);
  const counts = new Map<number, number>();
  for (const p of payloads) if (isKnownPayload(p)) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
  const skipMin = waived(rule, payloads);
  for (const [type, count] of counts) {
    const pr = rule.payloads.find((x) => x.type === type);
    if (pr === undefined) fail(`${name}: ${typeName(type)}`, `${typeName(type)} payload not allowed ${where}`);
    if (count > pr.max) fail(`${name}: ${typeName(type)}`, `${count} ${typeName(type)} payloads, at most ${pr.max}`);
  }
  if (!skipMin) {
    for (const pr of rule.payloads) {
      if ((counts.get(pr.type) ?? 0) < pr.min) fail(`${name}: ${typeName(pr.type)}`, `${typeName(pr.type)} payload missing ${where}`);
    }
    const alts = rule.requireOneOf;
    if (alts !== undefined && !alts.some((g) => g.every((t) => counts.has(t)))) {
      fail(`${name}: required`, `needs one of ${alts.map((g) => g.map(typeName).join('+')).join(' | ')} ${where}`);
    }
  }
  for (const g of rule.together ?? []) {
    const present = g.filter((t) => counts.has(t)).length;
    if (present !== 0 && present !== g.length) fail(`${name}: together`, `${g.map(typeName).join(', ')} must appear together`);
  }
}

/**
 * Check a message against {@link MESSAGE_RULES}. `outer` are the payloads of the message itself;
 * `inner` the decrypted payloads of its SK payload (or of the reassembled SKF fragments). With
 * `inner` undefined only the outer shape is checked (before decryption, or per fragment). Throws
 * ParseError INVALID_SYNTAX whose `field` names the rule and payload concerned.
 *
 * An unprotected one-way INFORMATIONAL (RFC 7296 §1.5, e.g. N(INVALID_IKE_SPI) in clear) has no
 * SK payload and fails here by design: `ike/` may treat it as an unauthenticated hint before the
 * rules run, never as an ordinary message.
 */
export function checkMessageRules(header: IkeHeader, outer: readonly Payload[], inner?: readonly Payload[]): void {
  const rule = findMessageRule(header.exchangeType, header.response);
  if (rule === undefined) fail(`exchange ${header.exchangeType}`, `no rule for exchange type ${nameOf(exchangeTypeNames, header.exchangeType)}`);
  const name = label(rule);
  if (!rule.encrypted) {
    if (inner !== undefined && inner.length > 0) fail(`${name}: SK`, 'no encrypted payloads expected');
    checkSet(rule, outer, 'in the message');
    return;
  }
  const known = outer.filter(isKnownPayload);
  const only = known[0];
  if (known.length !== 1 || only === undefined || (only.type !== T.SK && only.type !== T.SKF)) {
    fail(`${name}: SK`, `the message must hold exactly one SK or SKF payload, has ${known.map((p) => typeName(p.type)).join(', ') || 'none'}`);
  }
  if (inner !== undefined) checkSet(rule, inner, 'inside SK');
}
