/**
 * SA proposals (RFC 7296 §2.7, §3.3): build our offer from strongSwan-style strings, check that
 * the responder's single chosen proposal is drawn from it (one transform of each offered type, the
 * same proposal number, a valid SPI size), and read the negotiated algorithms.
 */
import { KiteError } from '../errors.js';
import { EncrId, EsnId, IntegId, PrfId, ProtocolId, TransformType, encrIdNames, esnIdNames, integIdNames, keGroupNames, prfIdNames, protocolIdNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import { encrSuite, integSuite, keSuite, prfSuite } from '../crypto/suites.js';
import type { Proposal, Transform } from '../wire/payloads/sa.js';
import { keywordOf, lookupKeyword } from './proposal-keywords.js';

/** Which SA a proposal string is for. */
export type ProposalProtocol = 'ike' | 'esp';

/** Proposals to build: strongSwan strings, one proposal each (comma-separated lists allowed). */
export interface ProposalSpec {
  /** IKE SA or CHILD_SA (ESP). */
  readonly protocol: ProposalProtocol;
  /** e.g. `['aes256gcm16-prfsha256-x25519', 'aes256-sha256-modp2048']`; omit for the defaults. */
  readonly proposals?: string | readonly string[];
  /** SPI to put in every proposal (empty for IKE_SA_INIT, 8 octets for IKE rekey, 4 for ESP). */
  readonly spi?: Uint8Array;
}

/** Default IKE proposals (issue 4 §1): AES-GCM-16-256/PRF-SHA2-256 and AES-CBC-256/SHA2-256, X25519, ECP-256, MODP-2048. */
export const DEFAULT_IKE_PROPOSALS = [
  'aes256gcm16-prfsha256-x25519-ecp256-modp2048',
  'aes256-sha256-prfsha256-x25519-ecp256-modp2048',
] as const;

/**
 * Default ESP proposals: AES-GCM-16 and AES-CBC with HMAC-SHA2-256/384/512, each with ESN and
 * no ESN, no PFS group. openiked 7.2's Linux default has neither GCM nor SHA2-256, so the CBC
 * proposal's SHA2-384/512 are what it picks.
 */
export const DEFAULT_ESP_PROPOSALS = [
  'aes256gcm16-aes128gcm16-esn-noesn',
  'aes256-aes128-sha256-sha384-sha512-esn-noesn',
] as const;

/** Integrity algorithm -> the PRF strongSwan adds to an IKE proposal that names none. */
const PRF_FOR_INTEG = {
  [IntegId.AUTH_HMAC_MD5_96]: PrfId.PRF_HMAC_MD5,
  [IntegId.AUTH_HMAC_SHA1_96]: PrfId.PRF_HMAC_SHA1,
  [IntegId.AUTH_AES_XCBC_96]: PrfId.PRF_AES128_XCBC,
  [IntegId.AUTH_AES_CMAC_96]: PrfId.PRF_AES128_CMAC,
  [IntegId.AUTH_HMAC_SHA2_256_128]: PrfId.PRF_HMAC_SHA2_256,
  [IntegId.AUTH_HMAC_SHA2_384_192]: PrfId.PRF_HMAC_SHA2_384,
  [IntegId.AUTH_HMAC_SHA2_512_256]: PrfId.PRF_HMAC_SHA2_512,
} as const;

/** Transform types in the order strongSwan sends and logs them. */
const TYPE_ORDER = [TransformType.ENCR, TransformType.INTEG, TransformType.PRF, TransformType.KE, TransformType.ESN] as const;

const bad = (text: string, why: string, fix: string): KiteError =>
  new KiteError('BAD_PROPOSAL', `proposal "${text}": ${why}; fix: ${fix}`);

/**
 * ENCR (with key lengths) and INTEG transforms the ESP dataplane implements: a mirror of
 * esp/cipher.ts's ESP_ENCR / ESP_INTEG, which ike/ may not import at run time (DESIGN.md layers);
 * proposal.test.ts checks that the two agree.
 */
export const ESP_ENCR_KEY_LENGTHS = {
  [EncrId.ENCR_AES_GCM_16]: [128, 192, 256],
  [EncrId.ENCR_CHACHA20_POLY1305]: [256],
  [EncrId.ENCR_AES_CBC]: [128, 192, 256],
  [EncrId.ENCR_NULL_AUTH_AES_GMAC]: [128, 192, 256],
} as const;
/** See {@link ESP_ENCR_KEY_LENGTHS}. */
export const ESP_INTEG_IDS = [IntegId.AUTH_HMAC_SHA1_96, IntegId.AUTH_HMAC_SHA2_256_128, IntegId.AUTH_HMAC_SHA2_384_192, IntegId.AUTH_HMAC_SHA2_512_256] as const;

function espKeyLengths(id: number): readonly number[] | undefined {
  return (ESP_ENCR_KEY_LENGTHS as Readonly<Record<number, readonly number[]>>)[id];
}

/** Combined-mode ciphers: their proposals carry no INTEG transform (RFC 5282 §8). */
const AEAD_ENCR = [
  EncrId.ENCR_AES_CCM_8, EncrId.ENCR_AES_CCM_12, EncrId.ENCR_AES_CCM_16, EncrId.ENCR_AES_GCM_8, EncrId.ENCR_AES_GCM_12,
  EncrId.ENCR_AES_GCM_16, EncrId.ENCR_NULL_AUTH_AES_GMAC, EncrId.ENCR_CAMELLIA_CCM_8, EncrId.ENCR_CAMELLIA_CCM_12,
  EncrId.ENCR_CAMELLIA_CCM_16, EncrId.ENCR_CHACHA20_POLY1305,
] as const;

function isAead(t: Transform): boolean {
  return (AEAD_ENCR as readonly number[]).includes(t.id);
}

function supported(t: Transform, protocol: ProposalProtocol): boolean {
  const k = t.keyLength;
  switch (t.type) {
    case TransformType.ENCR: {
      const lengths = protocol === 'ike' ? encrSuite(t.id)?.keyLengths : espKeyLengths(t.id);
      return lengths !== undefined && (k === undefined ? lengths.length === 1 : lengths.includes(k));
    }
    case TransformType.INTEG: return protocol === 'ike' ? integSuite(t.id) !== undefined : (ESP_INTEG_IDS as readonly number[]).includes(t.id);
    case TransformType.PRF: return protocol === 'ike' && prfSuite(t.id) !== undefined;
    case TransformType.KE: return keSuite(t.id) !== undefined;
    case TransformType.ESN: return protocol === 'esp';
    default: return false;
  }
}

/** Parse one strongSwan proposal string into one or two transform lists (AEAD and classic split). */
export function parseProposalString(text: string, protocol: ProposalProtocol): Transform[][] {
  const body = text.trim().replace(/!$/, '');
  if (body === '') throw bad(text, 'empty', 'list algorithms separated by "-", e.g. aes256gcm16-prfsha256-x25519');
  const all: Transform[] = [];
  for (const token of body.split('-')) {
    const k = lookupKeyword(token);
    if (k === undefined) throw bad(text, `unknown algorithm "${token}"`, 'use strongSwan keywords such as aes256gcm16, aes256, sha256, prfsha256, x25519, ecp256, modp2048, esn, noesn');
    const t: Transform = { type: k.type, id: k.id, ...(k.keyLength !== undefined ? { keyLength: k.keyLength } : {}) };
    if (!supported(t, protocol)) {
      throw bad(text, `"${token}" is not available for ${protocol.toUpperCase()} in Kite`, protocol === 'ike' ? 'choose from aes*gcm*, aes*, chacha20poly1305, sha1/256/384/512, aesxcbc, aescmac, prfsha*, modp2048+, ecp256/384/521, x25519' : 'choose from aes*gcm16, aes*, chacha20poly1305, sha1/256/384/512, esn, noesn');
    }
    if (!all.some((o) => o.type === t.type && o.id === t.id && o.keyLength === t.keyLength)) all.push(t);
  }
  const encr = all.filter((t) => t.type === TransformType.ENCR);
  if (encr.length === 0) throw bad(text, 'no encryption algorithm', 'add one, e.g. aes256gcm16 or aes256');
  const aead = encr.filter(isAead);
  const classic = encr.filter((t) => !isAead(t));
  const rest = (withInteg: boolean): Transform[] => all.filter((t) => t.type !== TransformType.ENCR && (withInteg || t.type !== TransformType.INTEG));
  const lists: Transform[][] = [];
  if (aead.length > 0) lists.push([...aead, ...rest(false)]);
  if (classic.length > 0) lists.push([...classic, ...rest(true)]);
  return lists.map((l) => complete(text, l, protocol));
}

function complete(text: string, list: Transform[], protocol: ProposalProtocol): Transform[] {
  const has = (type: number): boolean => list.some((t) => t.type === type);
  const aead = list.some((t) => t.type === TransformType.ENCR && isAead(t));
  const out = [...list];
  if (!aead && !has(TransformType.INTEG)) throw bad(text, 'no integrity algorithm for a non-AEAD cipher', 'add one, e.g. sha256');
  if (protocol === 'ike') {
    if (!has(TransformType.PRF)) {
      for (const t of list) {
        const prf = (PRF_FOR_INTEG as Readonly<Record<number, number>>)[t.type === TransformType.INTEG ? t.id : -1];
        if (prf !== undefined && prfSuite(prf) !== undefined && !out.some((o) => o.type === TransformType.PRF && o.id === prf)) out.push({ type: TransformType.PRF, id: prf });
      }
      if (!out.some((t) => t.type === TransformType.PRF)) throw bad(text, 'no PRF', 'add one, e.g. prfsha256');
    }
    if (!has(TransformType.KE)) throw bad(text, 'no key exchange group', 'add one, e.g. x25519 or modp2048');
  } else if (!has(TransformType.ESN)) {
    out.push({ type: TransformType.ESN, id: EsnId.NO_ESN });
  }
  return TYPE_ORDER.flatMap((type) => out.filter((t) => t.type === type));
}

/** Wire proposals (numbered from 1) for `spec`; throws KiteError `BAD_PROPOSAL` naming the token. */
export function buildProposals(spec: ProposalSpec): Proposal[] {
  const given = spec.proposals ?? (spec.protocol === 'ike' ? DEFAULT_IKE_PROPOSALS : DEFAULT_ESP_PROPOSALS);
  const strings = (typeof given === 'string' ? [given] : given).flatMap((s) => s.split(',')).filter((s) => s.trim() !== '');
  if (strings.length === 0) throw bad('', 'no proposal given', 'give at least one, or omit the option for the defaults');
  const protocolId = spec.protocol === 'ike' ? ProtocolId.IKE : ProtocolId.ESP;
  const spi = spec.spi ?? new Uint8Array(0);
  const lists = strings.flatMap((s) => parseProposalString(s, spec.protocol));
  if (lists.length > 255) throw bad(strings.join(','), 'more than 255 proposals', 'offer fewer');
  return lists.map((transforms, i) => ({ num: i + 1, protocolId, spi, transforms }));
}

/** The same proposals with `spi` (a CHILD_SA's inbound SPI, or the new IKE SPI on rekey). */
export function withSpi(proposals: readonly Proposal[], spi: Uint8Array): Proposal[] {
  return proposals.map((p) => ({ ...p, spi }));
}

/** The responder's SA payload is not a valid answer to what we offered. */
export class ProposalError extends KiteError {
  override readonly name = 'ProposalError';
}

function sameTransform(a: Transform, b: Transform): boolean {
  return a.type === b.type && a.id === b.id && a.keyLength === b.keyLength && (b.attributes ?? []).length === 0;
}

function expectedSpiSizes(protocolId: number, offered: Proposal): readonly number[] {
  if (protocolId === ProtocolId.IKE) return [offered.spi.length];
  return [4];
}

/**
 * Check the responder's choice (RFC 7296 §2.7, §3.3.6) and return it: exactly one proposal, its
 * number and protocol those of one we offered, an SPI of the right size, and exactly one transform
 * of each type that proposal offered, each one we offered. Throws ProposalError
 * `PROPOSAL_MISMATCH` naming what we offered.
 */
export function selectChosen(offered: readonly Proposal[], chosen: Proposal | readonly Proposal[]): Proposal {
  const list: readonly Proposal[] = 'transforms' in chosen ? [chosen] : chosen;
  const fail = (why: string): ProposalError => new ProposalError('PROPOSAL_MISMATCH',
    `the responder's SA payload is not a valid choice: ${why}; we offered ${describeProposals(offered)}; fix: the gateway is misbehaving, report it with a capture`);
  if (list.length !== 1) throw fail(`it holds ${list.length} proposals, not one`);
  const c = list[0] as Proposal;
  const ours = offered.find((p) => p.num === c.num);
  if (ours === undefined) throw fail(`proposal number ${c.num} was not offered`);
  if (c.protocolId !== ours.protocolId) throw fail(`protocol ${nameOf(protocolIdNames, c.protocolId)} instead of ${nameOf(protocolIdNames, ours.protocolId)}`);
  if (!expectedSpiSizes(c.protocolId, ours).includes(c.spi.length)) throw fail(`SPI of ${c.spi.length} octets`);
  const seen = new Set<number>();
  for (const t of c.transforms) {
    if (seen.has(t.type)) throw fail(`two transforms of type ${t.type}`);
    seen.add(t.type);
    if (!ours.transforms.some((o) => sameTransform(o, t))) throw fail(`${describeTransform(t)} was not offered in proposal ${c.num}`);
  }
  for (const o of ours.transforms) if (!seen.has(o.type)) throw fail(`no transform of type ${o.type} although we offered ${describeTransform(o)}`);
  return c;
}

/** Algorithms of a chosen proposal. */
export interface NegotiatedAlgorithms {
  /** Protocol ID. */
  readonly protocolId: number;
  /** ENCR transform ID. */
  readonly encrId: number;
  /** ENCR key length in bits (fixed length for ciphers without the attribute). */
  readonly keyLengthBits: number;
  /** INTEG transform ID, 0 (NONE) for AEAD. */
  readonly integId: number;
  /** PRF transform ID (IKE only). */
  readonly prfId: number | undefined;
  /** KE group, undefined when none (ESP without PFS). */
  readonly keGroup: number | undefined;
  /** Extended sequence numbers (ESP). */
  readonly esn: boolean;
  /** The responder's SPI. */
  readonly spi: Uint8Array;
}

/** Read the negotiated algorithms of a (checked) chosen proposal; throws KiteError `PROPOSAL_MISMATCH` without ENCR. */
export function negotiatedAlgorithms(p: Proposal): NegotiatedAlgorithms {
  const pick = (type: number): Transform | undefined => p.transforms.find((t) => t.type === type);
  const encr = pick(TransformType.ENCR);
  if (encr === undefined) throw new ProposalError('PROPOSAL_MISMATCH', 'the chosen proposal has no encryption algorithm');
  const fixedBits = (encrSuite(encr.id)?.keyLengths ?? espKeyLengths(encr.id) ?? [])[0] ?? 0;
  const ke = pick(TransformType.KE)?.id;
  return {
    protocolId: p.protocolId,
    encrId: encr.id,
    keyLengthBits: encr.keyLength ?? fixedBits,
    integId: pick(TransformType.INTEG)?.id ?? IntegId.NONE,
    prfId: pick(TransformType.PRF)?.id,
    keGroup: ke === undefined || ke === 0 ? undefined : ke,
    esn: pick(TransformType.ESN)?.id === EsnId.ESN,
    spi: p.spi,
  };
}

/** KE groups offered, in order of first appearance (the first is the one to send KE for). */
export function offeredGroups(offered: readonly Proposal[]): number[] {
  const out: number[] = [];
  for (const p of offered) for (const t of p.transforms) if (t.type === TransformType.KE && t.id !== 0 && !out.includes(t.id)) out.push(t.id);
  return out;
}

/** One transform as strongSwan logs it, e.g. `AES_GCM_16_256`, `HMAC_SHA2_256_128`, `CURVE_25519`, `NO_EXT_SEQ`. */
export function describeTransform(t: Transform): string {
  switch (t.type) {
    case TransformType.ENCR: return `${nameOf(encrIdNames, t.id).replace(/^ENCR_/, '')}${t.keyLength !== undefined ? `_${t.keyLength}` : ''}`;
    case TransformType.INTEG: return nameOf(integIdNames, t.id).replace(/^AUTH_/, '');
    case TransformType.PRF: return nameOf(prfIdNames, t.id);
    case TransformType.KE: return nameOf(keGroupNames, t.id).replace(/^CURVE(\d+)$/, 'CURVE_$1');
    case TransformType.ESN: return t.id === EsnId.ESN ? 'EXT_SEQ' : t.id === EsnId.NO_ESN ? 'NO_EXT_SEQ' : nameOf(esnIdNames, t.id);
    default: return `TYPE${t.type}_${t.id}`;
  }
}

/** Proposals as strongSwan logs them: `IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519, ESP:...`. */
export function describeProposals(list: readonly Proposal[]): string {
  if (list.length === 0) return '(nothing)';
  return list.map((p) => `${nameOf(protocolIdNames, p.protocolId)}:${p.transforms.map(describeTransform).join('/')}`).join(', ');
}

/** A proposal in strongSwan keyword syntax (`aes256gcm16-prfsha256-x25519`), for config hints. */
export function proposalToString(p: Proposal): string {
  return p.transforms.map((t) => keywordOf(t) ?? describeTransform(t).toLowerCase()).join('-');
}
