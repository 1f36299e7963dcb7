/**
 * ESP payload protection (RFC 4303 §3.3.2, §3.4.4) for one direction of one SA, with the key bound
 * at creation. The packet layout is fixed: `SPI(4) | Seq(4) | IV | payload+trailer | ICV`; the
 * cipher encrypts the middle in the output buffer and verifies / decrypts it on the way in.
 *
 * - AES-GCM-16 (RFC 4106) and ChaCha20-Poly1305 (RFC 7634): nonce = salt(4) | IV(8), the IV is the
 *   64-bit sequence number (unique per key, RFC 4106 §3.1 allows a counter); AAD = SPI | Seq, or
 *   SPI | Seq-hi | Seq-lo with ESN (RFC 4106 §5, RFC 7634 §2.1).
 * - AES-CBC (RFC 3602) with HMAC-SHA1-96 / HMAC-SHA2-256-128 / 384-192 / 512-256 (RFC 2404, 4868):
 *   random IV; ICV over SPI | Seq | IV | ciphertext, then Seq-hi with ESN (RFC 4303 §3.3.2.1).
 * - AES-GMAC (RFC 4543): integrity only, see `cipher-gmac.ts`.
 */
import { EncrId, IntegId } from '../iana/ikev2.js';
import { KiteError } from '../errors.js';
import { type Backend, DEFAULT_BACKEND } from '../crypto/backend.js';
import { gmacEspCipher } from './cipher-gmac.js';
import { nodeEspCipher } from './cipher-node.js';
import { nobleEspCipher } from './cipher-noble.js';

/** One ESP ENCR transform as the dataplane implements it. */
export interface EspEncrInfo {
  /** Combined mode (no separate INTEG). */
  readonly aead: boolean;
  /** `aes-gcm`, `chacha20-poly1305`, `aes-cbc` or `aes-gmac` (integrity only). */
  readonly algorithm: 'aes-gcm' | 'chacha20-poly1305' | 'aes-cbc' | 'aes-gmac';
  /** Explicit IV bytes on the wire. */
  readonly ivLength: number;
  /** Salt bytes at the end of the KEYMAT key. */
  readonly saltLength: number;
  /** ICV bytes of AEAD suites (0: from INTEG). */
  readonly icvLength: number;
  /** Payload alignment for padding (RFC 4303 §2.4: at least 4). */
  readonly blockSize: number;
  /** Key lengths in bits. */
  readonly keyLengths: readonly number[];
}

/** ENCR transforms of the ESP dataplane. */
export const ESP_ENCR = {
  [EncrId.ENCR_AES_GCM_16]: { aead: true, algorithm: 'aes-gcm', ivLength: 8, saltLength: 4, icvLength: 16, blockSize: 4, keyLengths: [128, 192, 256] },
  [EncrId.ENCR_CHACHA20_POLY1305]: { aead: true, algorithm: 'chacha20-poly1305', ivLength: 8, saltLength: 4, icvLength: 16, blockSize: 4, keyLengths: [256] },
  [EncrId.ENCR_NULL_AUTH_AES_GMAC]: { aead: true, algorithm: 'aes-gmac', ivLength: 8, saltLength: 4, icvLength: 16, blockSize: 4, keyLengths: [128, 192, 256] },
  [EncrId.ENCR_AES_CBC]: { aead: false, algorithm: 'aes-cbc', ivLength: 16, saltLength: 0, icvLength: 0, blockSize: 16, keyLengths: [128, 192, 256] },
} as const satisfies Readonly<Record<number, EspEncrInfo>>;

/** An ESP INTEG transform: HMAC hash, key and truncated ICV lengths. */
export interface EspIntegInfo {
  /** HMAC hash. */
  readonly hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** Key bytes (the full hash length, RFC 4868 §2.1.1). */
  readonly keyLength: number;
  /** Truncated ICV bytes. */
  readonly icvLength: number;
}

/** INTEG transforms of the ESP dataplane (RFC 2404, RFC 4868 §2.1). */
export const ESP_INTEG = {
  [IntegId.AUTH_HMAC_SHA1_96]: { hash: 'sha1', keyLength: 20, icvLength: 12 },
  [IntegId.AUTH_HMAC_SHA2_256_128]: { hash: 'sha256', keyLength: 32, icvLength: 16 },
  [IntegId.AUTH_HMAC_SHA2_384_192]: { hash: 'sha384', keyLength: 48, icvLength: 24 },
  [IntegId.AUTH_HMAC_SHA2_512_256]: { hash: 'sha512', keyLength: 64, icvLength: 32 },
} as const satisfies Readonly<Record<number, EspIntegInfo>>;

/** Metadata of ENCR `id` for ESP, or undefined. */
export function espEncrInfo(id: number): EspEncrInfo | undefined {
  return (ESP_ENCR as Readonly<Record<number, EspEncrInfo>>)[id];
}

/** Metadata of INTEG `id` for ESP, or undefined. */
export function espIntegInfo(id: number): EspIntegInfo | undefined {
  return (ESP_INTEG as Readonly<Record<number, EspIntegInfo>>)[id];
}

/** One direction's payload protection. */
export interface EspCipher {
  /** Backend serving it. */
  readonly backend: Backend;
  /** Explicit IV bytes. */
  readonly ivLength: number;
  /** ICV bytes. */
  readonly icvLength: number;
  /** Alignment of payload + trailer. */
  readonly blockSize: number;
  /**
   * Protect `pkt` in place: `pkt[0..8)` holds SPI | Seq-lo, the plaintext sits after the IV slot
   * and the last `icvLength` bytes receive the ICV. Writes the IV. `seq` is the full sequence
   * number (its high half enters the AAD / ICV when ESN is on). Never throws for valid layouts.
   */
  seal(pkt: Uint8Array, seq: number): void;
  /**
   * Verify (constant time) and decrypt ESP packet `pkt`; `seqHi` is the inferred high half (ESN).
   * Returns the plaintext (payload + trailer), or undefined when the ICV does not verify or the
   * ciphertext is not a whole number of blocks. Never throws.
   */
  open(pkt: Uint8Array, seqHi: number): Uint8Array | undefined;
}

/** Resolved parameters of one direction (keys split, lengths checked). */
export interface EspCipherSpec {
  /** ENCR metadata. */
  readonly encr: EspEncrInfo;
  /** INTEG metadata (undefined for AEAD). */
  readonly integ: EspIntegInfo | undefined;
  /** Cipher key without salt. */
  readonly key: Uint8Array;
  /** Salt (AEAD) or empty. */
  readonly salt: Uint8Array;
  /** HMAC key or empty. */
  readonly integKey: Uint8Array;
  /** Extended Sequence Numbers: Seq-hi enters the AAD / ICV. */
  readonly esn: boolean;
}

/** Check and split the parameters; KiteError UNSUPPORTED_ALGORITHM / BAD_KEY_LENGTH on misconfiguration. */
export function espCipherSpec(encrId: number, keyLengthBits: number, integId: number, encrKey: Uint8Array, integKey: Uint8Array | undefined, esn: boolean): EspCipherSpec {
  const encr = espEncrInfo(encrId);
  if (encr === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `ESP: ENCR transform ${encrId} is not implemented`);
  if (!encr.keyLengths.includes(keyLengthBits)) throw new KiteError('BAD_KEY_LENGTH', `ESP: ENCR ${encrId} does not take ${keyLengthBits}-bit keys`);
  const keyBytes = keyLengthBits / 8;
  if (encrKey.length !== keyBytes + encr.saltLength) {
    throw new KiteError('BAD_KEY_LENGTH', `ESP: ENCR ${encrId}/${keyLengthBits} needs ${keyBytes + encr.saltLength} key bytes, got ${encrKey.length}`);
  }
  let integ: EspIntegInfo | undefined;
  if (encr.aead) {
    if (integId !== IntegId.NONE) throw new KiteError('UNSUPPORTED_ALGORITHM', `ESP: AEAD ENCR ${encrId} with INTEG ${integId}`);
  } else {
    integ = espIntegInfo(integId);
    if (integ === undefined) throw new KiteError('UNSUPPORTED_ALGORITHM', `ESP: INTEG transform ${integId} is not implemented`);
    if (integKey?.length !== integ.keyLength) {
      throw new KiteError('BAD_KEY_LENGTH', `ESP: INTEG ${integId} needs ${integ.keyLength} key bytes, got ${integKey?.length ?? 0}`);
    }
  }
  return {
    encr,
    integ,
    key: encrKey.slice(0, keyBytes),
    salt: encrKey.slice(keyBytes),
    integKey: integ === undefined ? new Uint8Array(0) : (integKey ?? new Uint8Array(0)).slice(),
    esn,
  };
}

/** The cipher for `spec` over `backend` (default: `node`, the faster one measured in bench/suites/esp.ts). */
export function createEspCipher(spec: EspCipherSpec, backend: Backend = DEFAULT_BACKEND.aead): EspCipher {
  if (spec.encr.algorithm === 'aes-gmac') return gmacEspCipher(spec, backend);
  return backend === 'noble' ? nobleEspCipher(spec) : nodeEspCipher(spec);
}
