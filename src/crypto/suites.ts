/**
 * The crypto suite registry: every transform Kite implements, keyed by Transform Type and ID
 * (RFC 7296 §3.3.2), with its metadata and a factory. Proposal code (ike/) asks this table what
 * it can offer and accept; nothing else hard-codes algorithm parameters.
 */
import { TransformType, encrIdNames, integIdNames, keGroupNames, prfIdNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import type { Backend } from './backend.js';
import { createInteg, INTEG_TRANSFORMS, type Integ } from './integ.js';
import { createKeyExchange, KE_GROUPS, type KeyExchange } from './ke.js';
import { createPrf, type Prf, SUPPORTED_PRFS } from './prf.js';
import { createSkCipher, ENCR_TRANSFORMS, type EncrInfo, encrKeyMaterialLength, type SkCipher } from './sk-cipher.js';

/** An ENCR suite: metadata and the SK cipher factory. */
export interface EncrSuite extends EncrInfo {
  /** Transform Type 1. */
  readonly type: typeof TransformType.ENCR;
  /** IANA name. */
  readonly name: string;
  /** Key material bytes (key + salt) for `keyLengthBits`. */
  keyMaterialLength(keyLengthBits: number): number;
  /** SK payload cipher. */
  create(keyLengthBits: number, integId?: number, backend?: Backend): SkCipher;
}

/** An INTEG suite. */
export interface IntegSuite {
  /** Transform Type 3. */
  readonly type: typeof TransformType.INTEG;
  /** IANA ID. */
  readonly id: number;
  /** IANA name. */
  readonly name: string;
  /** Key length in bytes. */
  readonly keyLength: number;
  /** ICV length in bytes. */
  readonly icvLength: number;
  /** Factory. */
  create(backend?: Backend): Integ;
}

/** A PRF suite. */
export interface PrfSuite {
  /** Transform Type 2. */
  readonly type: typeof TransformType.PRF;
  /** IANA ID. */
  readonly id: number;
  /** IANA name. */
  readonly name: string;
  /** Output length in bytes. */
  readonly outputLength: number;
  /** Preferred key length in bytes (SK_d, SK_p). */
  readonly preferredKeyLength: number;
  /** Factory. */
  create(backend?: Backend): Prf;
}

/** A key exchange suite. */
export interface KeSuite {
  /** Transform Type 4. */
  readonly type: typeof TransformType.KE;
  /** IANA ID. */
  readonly id: number;
  /** IANA name. */
  readonly name: string;
  /** KE payload data length. */
  readonly publicKeyLength: number;
  /** Shared secret length. */
  readonly sharedSecretLength: number;
  /** Factory (fresh key pair, or from a given private key). */
  create(backend?: Backend, privateKey?: Uint8Array): KeyExchange;
}

/** Any registered suite. */
export type Suite = EncrSuite | IntegSuite | PrfSuite | KeSuite;

function buildRegistry(): ReadonlyMap<string, Suite> {
  const m = new Map<string, Suite>();
  for (const info of Object.values(ENCR_TRANSFORMS)) {
    m.set(`${TransformType.ENCR}:${info.id}`, {
      type: TransformType.ENCR,
      ...info,
      name: nameOf(encrIdNames, info.id),
      keyMaterialLength: (bits) => encrKeyMaterialLength(info, bits),
      create: (bits, integId, backend) => createSkCipher(info.id, bits, integId, backend),
    });
  }
  for (const info of Object.values(INTEG_TRANSFORMS)) {
    m.set(`${TransformType.INTEG}:${info.id}`, {
      type: TransformType.INTEG,
      id: info.id,
      name: nameOf(integIdNames, info.id),
      keyLength: info.keyLength,
      icvLength: info.icvLength,
      create: (backend) => createInteg(info.id, backend),
    });
  }
  for (const id of SUPPORTED_PRFS) {
    const p = createPrf(id);
    m.set(`${TransformType.PRF}:${id}`, {
      type: TransformType.PRF,
      id,
      name: nameOf(prfIdNames, id),
      outputLength: p.outputLength,
      preferredKeyLength: p.preferredKeyLength,
      create: (backend) => createPrf(id, backend),
    });
  }
  for (const info of Object.values(KE_GROUPS)) {
    m.set(`${TransformType.KE}:${info.group}`, {
      type: TransformType.KE,
      id: info.group,
      name: nameOf(keGroupNames, info.group),
      publicKeyLength: info.publicKeyLength,
      sharedSecretLength: info.sharedSecretLength,
      create: (backend, privateKey) => createKeyExchange(info.group, backend, privateKey),
    });
  }
  return m;
}

/**
 * Look up a transform. Returns undefined for transforms Kite does not implement, so proposal
 * selection can skip them. The registry is rebuilt per call: module scope holds no state.
 */
export function getSuite(type: typeof TransformType.ENCR, id: number): EncrSuite | undefined;
export function getSuite(type: typeof TransformType.INTEG, id: number): IntegSuite | undefined;
export function getSuite(type: typeof TransformType.PRF, id: number): PrfSuite | undefined;
export function getSuite(type: typeof TransformType.KE, id: number): KeSuite | undefined;
export function getSuite(type: number, id: number): Suite | undefined;
export function getSuite(type: number, id: number): Suite | undefined {
  return buildRegistry().get(`${type}:${id}`);
}

/** Every registered suite, ENCR first, then INTEG, PRF, KE. */
export function listSuites(): readonly Suite[] {
  return [...buildRegistry().values()];
}

/** ENCR suite by ID. */
export const encrSuite = (id: number): EncrSuite | undefined => getSuite(TransformType.ENCR, id);
/** INTEG suite by ID. */
export const integSuite = (id: number): IntegSuite | undefined => getSuite(TransformType.INTEG, id);
/** PRF suite by ID. */
export const prfSuite = (id: number): PrfSuite | undefined => getSuite(TransformType.PRF, id);
/** KE suite by ID. */
export const keSuite = (id: number): KeSuite | undefined => getSuite(TransformType.KE, id);
