/**
 * Protection of the IKE Encrypted payload SK / SKF (RFC 7296 §3.14, RFC 7383 §2.5) with
 * AES-CBC + HMAC, AES-GCM (RFC 5282) and ChaCha20-Poly1305 (RFC 7634 §4).
 *
 * What the caller passes as `aad` — the same for every suite: the bytes of the message from the
 * first octet of the IKE header up to and including the SK generic payload header (4 octets) or
 * the SKF header (8 octets: generic header, Fragment Number, Total Fragments), with all length
 * fields already final (use {@link SkCipher.sealedLength}). In other words everything that
 * precedes the IV.
 *   - CBC + HMAC: ICV = trunc(HMAC(SK_a, aad | IV | ciphertext)) (RFC 7296 §3.14).
 *   - AEAD: nonce = salt(4, the last octets of SK_e) | IV(8); AAD = `aad`; ICV = the tag (RFC 5282 §5.1).
 *
 * `plaintext` given to `encrypt` is the inner payload chain without padding: the cipher appends
 * `skPad()` zero octets and the Pad Length octet. `decrypt` verifies the ICV first (constant
 * time), then decrypts and returns the inner payload chain with padding removed.
 */
import { CryptoError } from '../errors.js';
import { EncrId } from '../iana/ikev2.js';
import { ctEqual } from '../util/ct.js';
import { type Backend, DEFAULT_BACKEND } from './backend.js';
import { createAead } from './aead.js';
import { aesCbc, AES_BLOCK } from './cbc.js';
import { createInteg } from './integ.js';

/** Metadata of an ENCR transform as IKE uses it. */
export interface EncrInfo {
  /** IANA ENCR transform ID. */
  readonly id: number;
  /** Allowed key lengths in bits (the Key Length attribute); ChaCha20 has none and uses 256. */
  readonly keyLengths: readonly number[];
  /** True if the Key Length attribute must be sent (RFC 7296 §3.3.5). */
  readonly keyLengthAttribute: boolean;
  /** Cipher block size for padding (1 for AEADs in IKE, RFC 5282 §3 / RFC 7634 §4). */
  readonly blockSize: number;
  /** Length of the IV carried in the payload. */
  readonly ivLength: number;
  /** ICV length (0 here means: from the INTEG transform). */
  readonly icvLength: number;
  /** Combined-mode cipher (no INTEG transform). */
  readonly aead: boolean;
  /** Salt octets appended to the key material (AEAD). */
  readonly saltLength: number;
}

/** ENCR transforms Kite implements, with their IKE parameters. */
export const ENCR_TRANSFORMS = {
  [EncrId.ENCR_AES_CBC]: { id: EncrId.ENCR_AES_CBC, keyLengths: [128, 192, 256], keyLengthAttribute: true, blockSize: 16, ivLength: 16, icvLength: 0, aead: false, saltLength: 0 },
  [EncrId.ENCR_AES_GCM_8]: { id: EncrId.ENCR_AES_GCM_8, keyLengths: [128, 192, 256], keyLengthAttribute: true, blockSize: 1, ivLength: 8, icvLength: 8, aead: true, saltLength: 4 },
  [EncrId.ENCR_AES_GCM_12]: { id: EncrId.ENCR_AES_GCM_12, keyLengths: [128, 192, 256], keyLengthAttribute: true, blockSize: 1, ivLength: 8, icvLength: 12, aead: true, saltLength: 4 },
  [EncrId.ENCR_AES_GCM_16]: { id: EncrId.ENCR_AES_GCM_16, keyLengths: [128, 192, 256], keyLengthAttribute: true, blockSize: 1, ivLength: 8, icvLength: 16, aead: true, saltLength: 4 },
  [EncrId.ENCR_CHACHA20_POLY1305]: { id: EncrId.ENCR_CHACHA20_POLY1305, keyLengths: [256], keyLengthAttribute: false, blockSize: 1, ivLength: 8, icvLength: 16, aead: true, saltLength: 4 },
} as const satisfies Readonly<Record<number, EncrInfo>>;

/** Metadata of ENCR transform `id`, or undefined if unsupported. */
export function encrInfo(id: number): EncrInfo | undefined {
  return (ENCR_TRANSFORMS as Readonly<Record<number, EncrInfo>>)[id];
}

/** Key material length in bytes for an ENCR transform: key plus salt (RFC 5282 §7.1, RFC 7634 §4). */
export function encrKeyMaterialLength(info: EncrInfo, keyLengthBits: number): number {
  return keyLengthBits / 8 + info.saltLength;
}

/** Number of zero padding octets before the Pad Length octet (RFC 7296 §3.14): minimal. */
export function skPad(plaintextLength: number, blockSize: number): number {
  return (blockSize - ((plaintextLength + 1) % blockSize)) % blockSize;
}

/** Parameters of {@link SkCipher.encrypt}. */
export interface SkEncryptParams {
  /** SK_ei / SK_er (AEAD: key | 4-byte salt). */
  readonly encrKey: Uint8Array;
  /** SK_ai / SK_ar (CBC only). */
  readonly integKey?: Uint8Array;
  /** Fresh IV of `ivLength` bytes (random for CBC; unique per key for AEAD). */
  readonly iv: Uint8Array;
  /** Inner payload chain, unpadded. */
  readonly plaintext: Uint8Array;
  /** Message bytes before the IV (see the module comment). */
  readonly aad: Uint8Array;
}

/** Parameters of {@link SkCipher.decrypt}. */
export interface SkDecryptParams {
  /** Peer's SK_e (AEAD: key | salt). */
  readonly encrKey: Uint8Array;
  /** Peer's SK_a (CBC only). */
  readonly integKey?: Uint8Array;
  /** IV from the payload. */
  readonly iv: Uint8Array;
  /** Encrypted octets between IV and ICV. */
  readonly ciphertext: Uint8Array;
  /** ICV from the payload. */
  readonly icv: Uint8Array;
  /** Message bytes before the IV. */
  readonly aad: Uint8Array;
}

/** The SK payload protection of one negotiated suite. */
export interface SkCipher {
  /** IV length in the payload. */
  readonly ivLength: number;
  /** ICV length in the payload. */
  readonly icvLength: number;
  /** Padding block size. */
  readonly blockSize: number;
  /** Combined-mode cipher. */
  readonly aead: boolean;
  /** Ciphertext length (padding and Pad Length included) for a plaintext of `n` octets. */
  ciphertextLength(n: number): number;
  /** IV + ciphertext + ICV: the SK payload body length for a plaintext of `n` octets. */
  sealedLength(n: number): number;
  /** Pad, encrypt and compute the ICV. */
  encrypt(params: SkEncryptParams): { readonly ciphertext: Uint8Array; readonly icv: Uint8Array };
  /** Verify the ICV, decrypt and unpad. Throws `CryptoError` ICV_MISMATCH / BAD_PADDING / BAD_BLOCK_LENGTH. */
  decrypt(params: SkDecryptParams): Uint8Array;
}

function padded(plaintext: Uint8Array, blockSize: number): Uint8Array {
  const pad = skPad(plaintext.length, blockSize);
  const out = new Uint8Array(plaintext.length + pad + 1);
  out.set(plaintext);
  out[out.length - 1] = pad;
  return out;
}

function unpad(data: Uint8Array): Uint8Array {
  const padLength = data[data.length - 1];
  if (padLength === undefined || padLength + 1 > data.length) {
    throw new CryptoError('BAD_PADDING', `SK: Pad Length ${padLength ?? 'missing'} exceeds ${data.length} decrypted octets`);
  }
  return data.subarray(0, data.length - padLength - 1);
}

function checkLength(name: string, got: Uint8Array, want: number): void {
  if (got.length !== want) {
    throw new CryptoError(name === 'iv' ? 'BAD_IV_LENGTH' : 'BAD_KEY_LENGTH', `SK: ${name} must be ${want} bytes, got ${got.length}`);
  }
}

/**
 * Create the SK cipher for ENCR `encrId` with a `keyLengthBits` key and, for non-AEAD suites, the
 * INTEG transform `integId`. Throws `CryptoError` for unsupported or inconsistent combinations.
 */
export function createSkCipher(encrId: number, keyLengthBits: number, integId?: number, backend?: Backend): SkCipher {
  const info = encrInfo(encrId);
  if (info === undefined) throw new CryptoError('UNSUPPORTED_ENCR', `ENCR transform ${encrId} is not supported`);
  if (!info.keyLengths.includes(keyLengthBits)) {
    throw new CryptoError('BAD_KEY_LENGTH', `ENCR ${encrId}: key length ${keyLengthBits} bits not allowed`);
  }
  const keyBytes = encrKeyMaterialLength(info, keyLengthBits);
  const ciphertextLength = (n: number): number => n + skPad(n, info.blockSize) + 1;
  const common = {
    ivLength: info.ivLength,
    blockSize: info.blockSize,
    aead: info.aead,
    ciphertextLength,
  };
  if (info.aead) {
    if (integId !== undefined && integId !== 0) throw new CryptoError('BAD_SUITE', 'an AEAD cipher takes no INTEG transform');
    const aead = createAead(encrId === EncrId.ENCR_CHACHA20_POLY1305 ? 'chacha20-poly1305' : 'aes-gcm', info.icvLength, backend ?? DEFAULT_BACKEND.aead);
    const split = (encrKey: Uint8Array, iv: Uint8Array): { key: Uint8Array; nonce: Uint8Array } => {
      checkLength('encrKey', encrKey, keyBytes);
      checkLength('iv', iv, info.ivLength);
      const nonce = new Uint8Array(12);
      nonce.set(encrKey.subarray(keyBytes - 4));
      nonce.set(iv, 4);
      return { key: encrKey.subarray(0, keyBytes - 4), nonce };
    };
    return {
      ...common,
      icvLength: info.icvLength,
      sealedLength: (n) => info.ivLength + ciphertextLength(n) + info.icvLength,
      encrypt({ encrKey, iv, plaintext, aad }) {
        const { key, nonce } = split(encrKey, iv);
        const p = padded(plaintext, info.blockSize);
        const { ciphertext, tag } = aead.seal(key, nonce, aad, p);
        p.fill(0);
        return { ciphertext, icv: tag };
      },
      decrypt({ encrKey, iv, ciphertext, icv, aad }) {
        const { key, nonce } = split(encrKey, iv);
        const plain = aead.open(key, nonce, aad, ciphertext, icv);
        if (plain === undefined) throw new CryptoError('ICV_MISMATCH', 'SK: AEAD tag does not verify');
        return unpad(plain);
      },
    };
  }
  if (integId === undefined) throw new CryptoError('BAD_SUITE', `ENCR ${encrId} needs an INTEG transform`);
  const integ = createInteg(integId, backend ?? DEFAULT_BACKEND.hmac);
  const cbc = aesCbc(backend ?? DEFAULT_BACKEND.cbc);
  const macKey = (k: Uint8Array | undefined): Uint8Array => {
    if (k === undefined) throw new CryptoError('BAD_KEY_LENGTH', 'SK: integKey is required for CBC suites');
    return k;
  };
  return {
    ...common,
    icvLength: integ.icvLength,
    sealedLength: (n) => AES_BLOCK + ciphertextLength(n) + integ.icvLength,
    encrypt({ encrKey, integKey, iv, plaintext, aad }) {
      checkLength('encrKey', encrKey, keyBytes);
      const p = padded(plaintext, info.blockSize);
      const ciphertext = cbc.encrypt(encrKey, iv, p);
      p.fill(0);
      return { ciphertext, icv: integ.compute(macKey(integKey), [aad, iv, ciphertext]) };
    },
    decrypt({ encrKey, integKey, iv, ciphertext, icv, aad }) {
      checkLength('encrKey', encrKey, keyBytes);
      const expected = integ.compute(macKey(integKey), [aad, iv, ciphertext]);
      if (!ctEqual(expected, icv)) throw new CryptoError('ICV_MISMATCH', 'SK: integrity check value does not verify');
      if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
        throw new CryptoError('BAD_BLOCK_LENGTH', `SK: ciphertext length ${ciphertext.length} is not a multiple of 16`);
      }
      return unpad(cbc.decrypt(encrKey, iv, ciphertext));
    },
  };
}
