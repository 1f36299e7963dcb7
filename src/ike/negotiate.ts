/**
 * Checking the responder's choice (RFC 7296 §2.7, §3.3.6): exactly one proposal, one transform of
 * each type, all of it drawn from one proposal we offered; then the algorithms it names.
 * (`ike/proposal.ts`'s `selectChosen`/`negotiatedAlgorithms` will supersede this narrow check.)
 */
import { EncrId, TransformType } from '../iana/ikev2.js';
import type { Proposal, SaPayload, Transform } from '../wire/payloads/sa.js';
import { encrInfo } from '../crypto/sk-cipher.js';
import type { IkeAlgorithms } from './ike-sa.js';
import { IkeFailure } from './tasks/task.js';

const INVALID = (why: string): IkeFailure =>
  new IkeFailure('INVALID_CHOICE', `the responder's SA payload is not a valid choice: ${why}`, 'the gateway is misbehaving; report it with a capture');

function sameTransform(a: Transform, b: Transform): boolean {
  return a.type === b.type && a.id === b.id && a.keyLength === b.keyLength;
}

/** The one proposal the responder chose, checked against `offered`. */
export function checkChosen(offered: readonly Proposal[], sa: SaPayload, protocolId: number): Proposal {
  if (sa.proposals.length !== 1) throw INVALID(`${sa.proposals.length} proposals`);
  const chosen = sa.proposals[0] as Proposal;
  if (chosen.protocolId !== protocolId) throw INVALID(`protocol ${chosen.protocolId}`);
  const ours = offered.find((p) => p.num === chosen.num);
  if (ours === undefined) throw INVALID(`proposal number ${chosen.num} was not offered`);
  const seen = new Set<number>();
  for (const t of chosen.transforms) {
    if (seen.has(t.type)) throw INVALID(`two transforms of type ${t.type}`);
    seen.add(t.type);
    if (!ours.transforms.some((o) => sameTransform(o, t))) throw INVALID(`transform ${t.type}/${t.id} was not offered in proposal ${chosen.num}`);
  }
  for (const o of ours.transforms) {
    if (!seen.has(o.type) && o.type !== TransformType.INTEG) throw INVALID(`no transform of type ${o.type}`);
  }
  return chosen;
}

function pick(p: Proposal, type: number): Transform | undefined {
  return p.transforms.find((t) => t.type === type);
}

/** Key length of an ENCR transform (attribute, or the fixed length of ChaCha20-Poly1305). */
export function encrKeyBits(t: Transform): number {
  if (t.keyLength !== undefined) return t.keyLength;
  if (t.id === EncrId.ENCR_CHACHA20_POLY1305) return 256;
  const info = encrInfo(t.id);
  return info?.keyLengths[0] ?? 0;
}

/** The IKE algorithms of a chosen proposal. */
export function ikeAlgorithms(p: Proposal): IkeAlgorithms {
  const encr = pick(p, TransformType.ENCR);
  const prf = pick(p, TransformType.PRF);
  const ke = pick(p, TransformType.KE);
  if (encr === undefined || prf === undefined || ke === undefined) throw INVALID('ENCR, PRF and KE are required');
  return { encrId: encr.id, keyLengthBits: encrKeyBits(encr), integId: pick(p, TransformType.INTEG)?.id ?? 0, prfId: prf.id, group: ke.id };
}

/** ESP algorithms of a chosen CHILD_SA proposal. */
export interface EspAlgorithms {
  readonly encrId: number;
  readonly keyLengthBits: number;
  readonly integId: number;
  readonly esn: boolean;
  readonly group: number | undefined;
}

/** The ESP algorithms of a chosen proposal. */
export function espAlgorithms(p: Proposal): EspAlgorithms {
  const encr = pick(p, TransformType.ENCR);
  if (encr === undefined) throw INVALID('ENCR is required');
  return {
    encrId: encr.id,
    keyLengthBits: encrKeyBits(encr),
    integId: pick(p, TransformType.INTEG)?.id ?? 0,
    esn: pick(p, TransformType.ESN)?.id === 1,
    group: pick(p, TransformType.KE)?.id,
  };
}

/** KE groups offered, in order of first appearance. */
export function offeredGroups(offered: readonly Proposal[]): number[] {
  const out: number[] = [];
  for (const p of offered) for (const t of p.transforms) if (t.type === TransformType.KE && !out.includes(t.id)) out.push(t.id);
  return out;
}
