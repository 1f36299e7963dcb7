/**
 * IKEv2 pseudo-random functions (Transform Type 2) and prf+ (RFC 7296 §2.13).
 */
import { CryptoError } from '../errors.js';
import { PrfId } from '../iana/ikev2.js';
import { type Backend, DEFAULT_BACKEND } from './backend.js';
import { hmac, HASH_LENGTH, type HashName } from './hash.js';
import { aesCmacPrf128, aesXcbcPrf128 } from './aes-mac.js';

/** A negotiated PRF. */
export interface Prf {
  /** IANA PRF transform ID. */
  readonly id: number;
  /** Output length in bytes. */
  readonly outputLength: number;
  /**
   * Key length in bytes used for SK_d / SK_pi / SK_pr (RFC 7296 §2.14: the PRF's preferred key
   * size; for the HMAC PRFs the output length, for AES-XCBC/CMAC 16).
   */
  readonly preferredKeyLength: number;
  /** True for PRFs with a fixed key size (AES-XCBC, AES-CMAC), which changes SKEYSEED input (RFC 7296 §2.14). */
  readonly fixedKey: boolean;
  /** prf(key, data). */
  compute(key: Uint8Array, data: Uint8Array): Uint8Array;
}

const HMAC_PRFS = {
  [PrfId.PRF_HMAC_SHA1]: 'sha1',
  [PrfId.PRF_HMAC_SHA2_256]: 'sha256',
  [PrfId.PRF_HMAC_SHA2_384]: 'sha384',
  [PrfId.PRF_HMAC_SHA2_512]: 'sha512',
} as const satisfies Readonly<Record<number, HashName>>;

/** PRF transform IDs Kite implements. */
export const SUPPORTED_PRFS = [
  PrfId.PRF_HMAC_SHA1,
  PrfId.PRF_HMAC_SHA2_256,
  PrfId.PRF_HMAC_SHA2_384,
  PrfId.PRF_HMAC_SHA2_512,
  PrfId.PRF_AES128_XCBC,
  PrfId.PRF_AES128_CMAC,
] as const;

/** Create the PRF for transform `id`; throws `CryptoError` UNSUPPORTED_PRF for others. */
export function createPrf(id: number, backend: Backend = DEFAULT_BACKEND.hmac): Prf {
  const hash: HashName | undefined = (HMAC_PRFS as Readonly<Record<number, HashName>>)[id];
  if (hash !== undefined) {
    const len = HASH_LENGTH[hash];
    return {
      id,
      outputLength: len,
      preferredKeyLength: len,
      fixedKey: false,
      compute: (key, data) => hmac(hash, key, data, backend),
    };
  }
  if (id === PrfId.PRF_AES128_XCBC) {
    return { id, outputLength: 16, preferredKeyLength: 16, fixedKey: true, compute: (k, d) => aesXcbcPrf128(k, d, backend) };
  }
  if (id === PrfId.PRF_AES128_CMAC) {
    return { id, outputLength: 16, preferredKeyLength: 16, fixedKey: true, compute: (k, d) => aesCmacPrf128(k, d, backend) };
  }
  throw new CryptoError('UNSUPPORTED_PRF', `PRF transform ${id} is not supported`);
}

/** Largest prf+ output: the counter is one octet and starts at 1 (RFC 7296 §2.13). */
export function prfPlusMaxLength(prf: Prf): number {
  return 255 * prf.outputLength;
}

/**
 * prf+(K, S) = T1 | T2 | ... with T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), truncated to
 * `length` bytes (RFC 7296 §2.13). More than 255 blocks is an error.
 */
export function prfPlus(prf: Prf, key: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > prfPlusMaxLength(prf)) {
    throw new CryptoError('PRF_PLUS_TOO_LONG', `prf+ cannot produce ${length} bytes (max ${prfPlusMaxLength(prf)})`);
  }
  const out = new Uint8Array(length);
  const olen = prf.outputLength;
  const input = new Uint8Array(olen + seed.length + 1);
  let prev: Uint8Array = new Uint8Array(0);
  for (let n = 1, off = 0; off < length; n++) {
    input.set(prev, 0);
    input.set(seed, prev.length);
    input[prev.length + seed.length] = n;
    const t = prf.compute(key, input.subarray(0, prev.length + seed.length + 1));
    out.set(t.subarray(0, Math.min(olen, length - off)), off);
    off += olen;
    prev.fill(0);
    prev = t;
  }
  prev.fill(0);
  input.fill(0);
  return out;
}
