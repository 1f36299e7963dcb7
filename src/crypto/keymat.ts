/**
 * IKEv2 key derivation: SKEYSEED and SK_* (RFC 7296 §2.14), CHILD_SA KEYMAT (§2.17) and the
 * rekeyed SKEYSEED (§2.18). Pure functions over a {@link Prf}.
 */
import { CryptoError } from '../errors.js';
import { concat } from '../util/bytes.js';
import { prfPlus, type Prf } from './prf.js';

/** Inputs to the IKE SA key derivation. */
export interface IkeKeyParams {
  /** Negotiated PRF. */
  readonly prf: Prf;
  /** Bytes of SK_ei / SK_er: the ENCR key length, including the 4-byte salt for AEAD (RFC 5282 §7.1). */
  readonly encrKeyLength: number;
  /** Bytes of SK_ai / SK_ar (0 for AEAD). */
  readonly integKeyLength: number;
  /** Initiator's nonce (Ni data). */
  readonly nonceI: Uint8Array;
  /** Responder's nonce (Nr data). */
  readonly nonceR: Uint8Array;
  /** g^ir, the Diffie-Hellman shared secret. */
  readonly sharedSecret: Uint8Array;
  /** Initiator's IKE SPI (8 bytes). */
  readonly spiI: Uint8Array;
  /** Responder's IKE SPI (8 bytes). */
  readonly spiR: Uint8Array;
}

/** The seven IKE SA keys (RFC 7296 §2.14) and the SKEYSEED they came from. */
export interface IkeKeys {
  /** SKEYSEED. */
  readonly skeyseed: Uint8Array;
  /** Key for deriving CHILD_SA keys and rekeyed SKEYSEED. */
  readonly skD: Uint8Array;
  /** Integrity key, initiator to responder. */
  readonly skAi: Uint8Array;
  /** Integrity key, responder to initiator. */
  readonly skAr: Uint8Array;
  /** Encryption key (incl. AEAD salt), initiator to responder. */
  readonly skEi: Uint8Array;
  /** Encryption key (incl. AEAD salt), responder to initiator. */
  readonly skEr: Uint8Array;
  /** Key for the initiator's AUTH payload (RFC 7296 §2.15). */
  readonly skPi: Uint8Array;
  /** Key for the responder's AUTH payload. */
  readonly skPr: Uint8Array;
}

/**
 * The PRF key for SKEYSEED: Ni | Nr, or for fixed-key PRFs (AES-XCBC/CMAC) the first half of the
 * key from each nonce (RFC 7296 §2.14: "half the bits must come from Ni and half from Nr").
 */
export function skeyseedKey(prf: Prf, nonceI: Uint8Array, nonceR: Uint8Array): Uint8Array {
  if (!prf.fixedKey) return concat(nonceI, nonceR);
  const half = prf.preferredKeyLength / 2;
  if (nonceI.length < half || nonceR.length < half) {
    throw new CryptoError('BAD_NONCE_LENGTH', `nonces too short for a ${prf.preferredKeyLength}-byte PRF key`);
  }
  return concat(nonceI.subarray(0, half), nonceR.subarray(0, half));
}

/** Split prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) into SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr. */
export function expandIkeKeys(params: Omit<IkeKeyParams, 'sharedSecret'> & { readonly skeyseed: Uint8Array }): IkeKeys {
  const { prf, encrKeyLength: e, integKeyLength: a, skeyseed } = params;
  const p = prf.preferredKeyLength;
  const seed = concat(params.nonceI, params.nonceR, params.spiI, params.spiR);
  const stream = prfPlus(prf, skeyseed, seed, 3 * p + 2 * a + 2 * e);
  let off = 0;
  const take = (n: number): Uint8Array => stream.slice(off, (off += n));
  const keys: IkeKeys = {
    skeyseed,
    skD: take(p),
    skAi: take(a),
    skAr: take(a),
    skEi: take(e),
    skEr: take(e),
    skPi: take(p),
    skPr: take(p),
  };
  stream.fill(0);
  return keys;
}

/** SKEYSEED = prf(Ni | Nr, g^ir) and the SK_* keys (RFC 7296 §2.14). */
export function deriveIkeKeys(params: IkeKeyParams): IkeKeys {
  const key = skeyseedKey(params.prf, params.nonceI, params.nonceR);
  const skeyseed = params.prf.compute(key, params.sharedSecret);
  key.fill(0);
  return expandIkeKeys({ ...params, skeyseed });
}

/** Rekeyed SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) (RFC 7296 §2.18). */
export function rekeySkeyseed(
  prf: Prf,
  skDOld: Uint8Array,
  sharedSecret: Uint8Array,
  nonceI: Uint8Array,
  nonceR: Uint8Array,
): Uint8Array {
  const data = concat(sharedSecret, nonceI, nonceR);
  const out = prf.compute(skDOld, data);
  data.fill(0);
  return out;
}

/** Inputs of a CHILD_SA KEYMAT derivation. */
export interface ChildKeyInputs {
  /** g^ir (new) of a CREATE_CHILD_SA with KE (PFS); absent otherwise. */
  readonly sharedSecret?: Uint8Array;
  /** Ni of the exchange that created the CHILD_SA. */
  readonly nonceI: Uint8Array;
  /** Nr of the exchange that created the CHILD_SA. */
  readonly nonceR: Uint8Array;
}

/** CHILD_SA keys, initiator-to-responder first (RFC 7296 §2.17). */
export interface ChildKeys {
  /** The whole KEYMAT. */
  readonly keymat: Uint8Array;
  /** Encryption key (incl. salt for AEAD) for traffic initiator -> responder. */
  readonly encrI: Uint8Array;
  /** Integrity key initiator -> responder (empty for AEAD). */
  readonly integI: Uint8Array;
  /** Encryption key responder -> initiator. */
  readonly encrR: Uint8Array;
  /** Integrity key responder -> initiator. */
  readonly integR: Uint8Array;
}

/** KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), split into the four CHILD_SA keys (RFC 7296 §2.17). */
export function deriveChildKeys(
  prf: Prf,
  skD: Uint8Array,
  inputs: ChildKeyInputs,
  lengths: { readonly encrKeyLength: number; readonly integKeyLength: number },
): ChildKeys {
  const seed =
    inputs.sharedSecret !== undefined
      ? concat(inputs.sharedSecret, inputs.nonceI, inputs.nonceR)
      : concat(inputs.nonceI, inputs.nonceR);
  const e = lengths.encrKeyLength;
  const a = lengths.integKeyLength;
  const keymat = prfPlus(prf, skD, seed, 2 * (e + a));
  seed.fill(0);
  return {
    keymat,
    encrI: keymat.slice(0, e),
    integI: keymat.slice(e, e + a),
    encrR: keymat.slice(e + a, 2 * e + a),
    integR: keymat.slice(2 * e + a),
  };
}
