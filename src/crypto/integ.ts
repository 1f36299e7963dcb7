/**
 * Integrity transforms (Transform Type 3): truncated HMAC-SHA1/SHA2 (RFC 2404, RFC 4868) and
 * AES-XCBC-96 / AES-CMAC-96 (RFC 3566, RFC 4494). Used by the IKE SK payload and by ESP.
 */
import { CryptoError } from '../errors.js';
import { IntegId } from '../iana/ikev2.js';
import { type Backend, DEFAULT_BACKEND } from './backend.js';
import { hmacParts, type HashName } from './hash.js';
import { aesCmac, aesXcbcMac } from './aes-mac.js';
import { concat } from '../util/bytes.js';

/** Metadata of an integrity transform. */
export interface IntegInfo {
  /** IANA INTEG transform ID. */
  readonly id: number;
  /** Key length in bytes. */
  readonly keyLength: number;
  /** ICV (truncated MAC) length in bytes. */
  readonly icvLength: number;
}

/** An integrity transform ready to compute ICVs. */
export interface Integ extends IntegInfo {
  /** Truncated MAC over the concatenation of `parts`. */
  compute(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
}

type IntegDef = IntegInfo & ({ readonly hash: HashName } | { readonly aes: 'xcbc' | 'cmac' });

/** Supported INTEG transforms (RFC 4868 §2.1: key = full hash length, ICV = half of it). */
export const INTEG_TRANSFORMS = {
  [IntegId.AUTH_HMAC_SHA1_96]: { id: IntegId.AUTH_HMAC_SHA1_96, keyLength: 20, icvLength: 12, hash: 'sha1' },
  [IntegId.AUTH_AES_XCBC_96]: { id: IntegId.AUTH_AES_XCBC_96, keyLength: 16, icvLength: 12, aes: 'xcbc' },
  [IntegId.AUTH_AES_CMAC_96]: { id: IntegId.AUTH_AES_CMAC_96, keyLength: 16, icvLength: 12, aes: 'cmac' },
  [IntegId.AUTH_HMAC_SHA2_256_128]: { id: IntegId.AUTH_HMAC_SHA2_256_128, keyLength: 32, icvLength: 16, hash: 'sha256' },
  [IntegId.AUTH_HMAC_SHA2_384_192]: { id: IntegId.AUTH_HMAC_SHA2_384_192, keyLength: 48, icvLength: 24, hash: 'sha384' },
  [IntegId.AUTH_HMAC_SHA2_512_256]: { id: IntegId.AUTH_HMAC_SHA2_512_256, keyLength: 64, icvLength: 32, hash: 'sha512' },
} as const satisfies Readonly<Record<number, IntegDef>>;

/** Metadata of INTEG transform `id`, or undefined if unsupported. */
export function integInfo(id: number): IntegInfo | undefined {
  return (INTEG_TRANSFORMS as Readonly<Record<number, IntegDef>>)[id];
}

/** Create INTEG transform `id`; throws `CryptoError` UNSUPPORTED_INTEG for unknown IDs. */
export function createInteg(id: number, backend: Backend = DEFAULT_BACKEND.hmac): Integ {
  const def = (INTEG_TRANSFORMS as Readonly<Record<number, IntegDef>>)[id];
  if (def === undefined) throw new CryptoError('UNSUPPORTED_INTEG', `INTEG transform ${id} is not supported`);
  const { keyLength, icvLength } = def;
  const check = (key: Uint8Array): void => {
    if (key.length !== keyLength) throw new CryptoError('BAD_KEY_LENGTH', `INTEG ${id}: key must be ${keyLength} bytes, got ${key.length}`);
  };
  if ('hash' in def) {
    const hash = def.hash;
    return {
      id,
      keyLength,
      icvLength,
      compute(key, parts) {
        check(key);
        const full = hmacParts(hash, key, parts, backend);
        const icv = full.slice(0, icvLength);
        full.fill(0);
        return icv;
      },
    };
  }
  const mac = def.aes === 'xcbc' ? aesXcbcMac : aesCmac;
  return {
    id,
    keyLength,
    icvLength,
    compute(key, parts) {
      check(key);
      return mac(key, concat(...parts), backend).slice(0, icvLength);
    },
  };
}
