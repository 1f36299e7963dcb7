/**
 * Fuzz target: the peer's KE payload data (RFC 7296 §3.4) fed to
 * `createKeyExchange(group).computeSharedSecret` for every supported group, node:crypto and noble
 * backends side by side. The first input byte picks the group, the rest is the peer value.
 *
 * A malformed or invalid peer value (wrong length, MODP y outside 1 < y < p-1, point off the curve,
 * low-order X25519 point) is rejected with CryptoError `INVALID_KE_PUBLIC`: that is this API's
 * "ParseError", so the target converts exactly that error into a ParseError and lets anything
 * else (another CryptoError code, a TypeError, an OpenSSL error escaping the wrapper) surface.
 * Beyond that it checks: an accepted value yields a secret of the group's length, and both
 * backends agree (both reject, or both accept with the same secret).
 *
 * Cost: a valid MODP 8192 value costs ~8 ms in node:crypto and ~40 ms in BigInt, so MODP groups
 * above 2048 run on node:crypto only (the noble backend shares `validateModpPublic` with it and
 * differs only in the arithmetic, which the RFC vectors check), and their seeds are values the
 * length or range check rejects before any exponentiation, as the real code does.
 */
import { CryptoError, ParseError } from '../../src/errors.js';
import { KeGroup } from '../../src/iana/ikev2.js';
import { createKeyExchange, keGroupInfo, type KeyExchange } from '../../src/crypto/ke.js';
import { MODP_GROUPS } from '../../src/crypto/modp-groups.js';
import { concat, fromHex } from '../../src/util/bytes.js';
import type { FuzzTarget } from '../harness.js';

/** Groups in selector order; `noble`: also run the noble backend. */
const GROUPS = [
  { group: KeGroup.CURVE25519, noble: true },
  { group: KeGroup.ECP_256, noble: true },
  { group: KeGroup.ECP_384, noble: true },
  { group: KeGroup.ECP_521, noble: true },
  { group: KeGroup.MODP_2048, noble: true },
  { group: KeGroup.MODP_3072, noble: false },
  { group: KeGroup.MODP_4096, noble: false },
  { group: KeGroup.MODP_6144, noble: false },
  { group: KeGroup.MODP_8192, noble: false },
] as const;

/** A fixed private value per group, so a run is reproducible from its seed. */
function privateKeyFor(group: number, fill: number): Uint8Array {
  const info = keGroupInfo(group);
  if (info === undefined) throw new Error(`group ${group} unsupported`);
  // MODP: a 256-bit exponent; ECP: a scalar below the order (top octet 0x01); X25519: 32 octets.
  if (group in MODP_GROUPS) return new Uint8Array(32).fill(fill);
  const out = new Uint8Array(group === KeGroup.CURVE25519 ? 32 : info.sharedSecretLength).fill(fill);
  out[0] = 0x01;
  return out;
}

/** One group under test: our side in each backend. */
interface Side {
  readonly group: number;
  readonly node: KeyExchange;
  readonly noble: KeyExchange | undefined;
}

const sides = (fill: number): Side[] =>
  GROUPS.map(({ group, noble }) => ({
    group,
    node: createKeyExchange(group, 'node', privateKeyFor(group, fill)),
    noble: noble ? createKeyExchange(group, 'noble', privateKeyFor(group, fill)) : undefined,
  }));

/** Our key pairs; created once at load and never modified. */
const OURS: readonly Side[] = sides(0x5a);

/** Peer value with the selector byte in front. */
const sel = (i: number, peer: Uint8Array): Uint8Array => concat(Uint8Array.of(i), peer);

/** Seeds per group: a valid peer value (cheap groups), boundaries and wrong lengths. */
function seedsFor(i: number, side: Side, peerPublic: Uint8Array): Uint8Array[] {
  const info = keGroupInfo(side.group);
  if (info === undefined) return [];
  const len = info.publicKeyLength;
  const short = [new Uint8Array(0), peerPublic.subarray(0, len - 1), concat(peerPublic, Uint8Array.of(0))];
  const modp = (MODP_GROUPS as Readonly<Record<number, { prime: string }>>)[side.group];
  if (modp !== undefined) {
    const pMinus1 = fromHex(modp.prime);
    pMinus1[len - 1] = (pMinus1[len - 1] as number) - 1;
    // All ones exceeds p - 1 and stays above it under most mutations (p starts with 64 one bits),
    // so the range check rejects it cheaply; only MODP 2048 also gets values that reach g^xy.
    const allOnes = new Uint8Array(len).fill(0xff);
    const exact = side.group === KeGroup.MODP_2048 ? [peerPublic, pMinus1, allOnes] : [allOnes];
    return [...exact, ...short].map((b) => sel(i, b));
  }
  if (side.group === KeGroup.CURVE25519) {
    const lowOrder = [new Uint8Array(32), Uint8Array.of(1, ...new Array<number>(31).fill(0))];
    return [peerPublic, ...lowOrder, ...short].map((b) => sel(i, b));
  }
  const half = len / 2;
  const offCurve = concat(peerPublic.subarray(0, half), new Uint8Array(half));
  return [peerPublic, offCurve, new Uint8Array(len), ...short, concat(Uint8Array.of(0x04), peerPublic)].map((b) => sel(i, b));
}

/** g^ir, or ParseError for the expected INVALID_KE_PUBLIC rejection. */
function compute(ke: KeyExchange, peer: Uint8Array): Uint8Array | ParseError {
  try {
    return ke.computeSharedSecret(peer);
  } catch (e) {
    if (e instanceof CryptoError && e.code === 'INVALID_KE_PUBLIC') return new ParseError('BAD_VALUE', `KE(${ke.group}).keyExchangeData`, 0, e.message);
    throw e;
  }
}

/** The KE peer-value fuzz target. */
export const target: FuzzTarget = {
  name: 'ke-public',
  seeds() {
    const peers = sides(0x33);
    return OURS.flatMap((side, i) => seedsFor(i, side, (peers[i] as Side).node.publicKey));
  },
  run(input) {
    const side = OURS[(input[0] ?? 0) % OURS.length] as Side;
    const peer = input.subarray(1);
    const a = compute(side.node, peer);
    const b = side.noble === undefined ? a : compute(side.noble, peer);
    if (a instanceof ParseError !== b instanceof ParseError) {
      throw new Error(`KE ${side.group}: node ${a instanceof ParseError ? 'rejects' : 'accepts'}, noble ${b instanceof ParseError ? 'rejects' : 'accepts'}`);
    }
    if (a instanceof ParseError) throw a;
    if (b instanceof ParseError) throw b;
    if (Buffer.compare(a, b) !== 0) throw new Error(`KE ${side.group}: node and noble secrets differ`);
    if (a.length !== keGroupInfo(side.group)?.sharedSecretLength) throw new Error(`KE ${side.group}: secret of ${a.length} bytes`);
  },
};
