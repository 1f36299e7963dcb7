/**
 * Key exchange (Transform Type 4): MODP groups (RFC 3526), ECP groups (RFC 5903) and Curve25519
 * (RFC 8031), with the peer checks of RFC 6989. KE payload data and shared secrets use IKE's
 * wire forms: MODP y left-padded to the prime length; ECP x | y and secret x; X25519 raw u.
 */
import { CryptoError } from '../errors.js';
import { KeGroup } from '../iana/ikev2.js';
import { type Backend, DEFAULT_BACKEND } from './backend.js';
import { createModpKeyExchange, MODP_GROUP_IDS } from './ke-modp.js';
import { createEcpKeyExchange, createX25519KeyExchange, ECP_CURVES } from './ke-ec.js';

/** One side of a Diffie-Hellman exchange. */
export interface KeyExchange {
  /** IANA Key Exchange Method ID. */
  readonly group: number;
  /** Our public value as KE payload Key Exchange Data. */
  readonly publicKey: Uint8Array;
  /**
   * g^ir from the peer's KE data. Throws `CryptoError` INVALID_KE_PUBLIC when the peer value is
   * malformed or fails the RFC 6989 checks (or yields an all-zero X25519 secret).
   */
  computeSharedSecret(peer: Uint8Array): Uint8Array;
}

/** Metadata of a supported KE group. */
export interface KeGroupInfo {
  /** IANA ID. */
  readonly group: number;
  /** Length of the KE payload data in bytes. */
  readonly publicKeyLength: number;
  /** Length of the shared secret in bytes. */
  readonly sharedSecretLength: number;
}

/** Supported KE groups with their wire lengths. */
export const KE_GROUPS = {
  [KeGroup.MODP_2048]: { group: KeGroup.MODP_2048, publicKeyLength: 256, sharedSecretLength: 256 },
  [KeGroup.MODP_3072]: { group: KeGroup.MODP_3072, publicKeyLength: 384, sharedSecretLength: 384 },
  [KeGroup.MODP_4096]: { group: KeGroup.MODP_4096, publicKeyLength: 512, sharedSecretLength: 512 },
  [KeGroup.MODP_6144]: { group: KeGroup.MODP_6144, publicKeyLength: 768, sharedSecretLength: 768 },
  [KeGroup.MODP_8192]: { group: KeGroup.MODP_8192, publicKeyLength: 1024, sharedSecretLength: 1024 },
  [KeGroup.ECP_256]: { group: KeGroup.ECP_256, publicKeyLength: 64, sharedSecretLength: 32 },
  [KeGroup.ECP_384]: { group: KeGroup.ECP_384, publicKeyLength: 96, sharedSecretLength: 48 },
  [KeGroup.ECP_521]: { group: KeGroup.ECP_521, publicKeyLength: 132, sharedSecretLength: 66 },
  [KeGroup.CURVE25519]: { group: KeGroup.CURVE25519, publicKeyLength: 32, sharedSecretLength: 32 },
} as const satisfies Readonly<Record<number, KeGroupInfo>>;

/** Metadata of KE group `group`, or undefined if unsupported. */
export function keGroupInfo(group: number): KeGroupInfo | undefined {
  return (KE_GROUPS as Readonly<Record<number, KeGroupInfo>>)[group];
}

/**
 * A fresh key pair for `group` (or one from `privateKey`: MODP exponent big-endian, ECP scalar
 * big-endian, X25519 32 raw bytes). Throws `CryptoError` UNSUPPORTED_KE for unknown groups.
 */
export function createKeyExchange(group: number, backend?: Backend, privateKey?: Uint8Array): KeyExchange {
  if ((MODP_GROUP_IDS as readonly number[]).includes(group)) return createModpKeyExchange(group, backend ?? 'node', privateKey);
  if (group in ECP_CURVES) return createEcpKeyExchange(group, backend ?? DEFAULT_BACKEND.ecdh, privateKey);
  if (group === KeGroup.CURVE25519) return createX25519KeyExchange(backend ?? DEFAULT_BACKEND.x25519, privateKey);
  throw new CryptoError('UNSUPPORTED_KE', `Key Exchange Method ${group} is not supported`);
}
