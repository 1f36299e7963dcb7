/**
 * strongSwan's proposal keywords (`ike=`/`esp=` in ipsec.conf, `proposals` in swanctl.conf; its
 * `proposal_keywords_static.txt`) <-> IKEv2 transforms (RFC 7296 §3.3.2, IANA registries).
 */
import { EncrId, EsnId, IntegId, KeGroup, PrfId, TransformType } from '../iana/ikev2.js';
import type { Transform } from '../wire/payloads/sa.js';

/** One keyword's transform. */
export interface Keyword {
  /** Transform Type. */
  readonly type: number;
  /** Transform ID. */
  readonly id: number;
  /** Key Length attribute in bits, for variable-length ciphers. */
  readonly keyLength?: number;
}

/** Fixed keywords; parametrised cipher names (aes256gcm16, ...) are matched in {@link lookupKeyword}. */
const FIXED = {
  '3des': [TransformType.ENCR, EncrId.ENCR_3DES],
  null: [TransformType.ENCR, EncrId.ENCR_NULL],
  chacha20poly1305: [TransformType.ENCR, EncrId.ENCR_CHACHA20_POLY1305],
  md5: [TransformType.INTEG, IntegId.AUTH_HMAC_MD5_96],
  md5_128: [TransformType.INTEG, IntegId.AUTH_HMAC_MD5_128],
  sha: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA1_96],
  sha1: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA1_96],
  sha1_160: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA1_160],
  aesxcbc: [TransformType.INTEG, IntegId.AUTH_AES_XCBC_96],
  aescmac: [TransformType.INTEG, IntegId.AUTH_AES_CMAC_96],
  sha256: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_256_128],
  sha2_256: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_256_128],
  sha384: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_384_192],
  sha2_384: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_384_192],
  sha512: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_512_256],
  sha2_512: [TransformType.INTEG, IntegId.AUTH_HMAC_SHA2_512_256],
  prfmd5: [TransformType.PRF, PrfId.PRF_HMAC_MD5],
  prfsha1: [TransformType.PRF, PrfId.PRF_HMAC_SHA1],
  prfaesxcbc: [TransformType.PRF, PrfId.PRF_AES128_XCBC],
  prfaescmac: [TransformType.PRF, PrfId.PRF_AES128_CMAC],
  prfsha256: [TransformType.PRF, PrfId.PRF_HMAC_SHA2_256],
  prfsha384: [TransformType.PRF, PrfId.PRF_HMAC_SHA2_384],
  prfsha512: [TransformType.PRF, PrfId.PRF_HMAC_SHA2_512],
  modp768: [TransformType.KE, KeGroup.MODP_768],
  modp1024: [TransformType.KE, KeGroup.MODP_1024],
  modp1536: [TransformType.KE, KeGroup.MODP_1536],
  modp2048: [TransformType.KE, KeGroup.MODP_2048],
  modp3072: [TransformType.KE, KeGroup.MODP_3072],
  modp4096: [TransformType.KE, KeGroup.MODP_4096],
  modp6144: [TransformType.KE, KeGroup.MODP_6144],
  modp8192: [TransformType.KE, KeGroup.MODP_8192],
  modp1024s160: [TransformType.KE, KeGroup.MODP_1024_160_POS],
  modp2048s224: [TransformType.KE, KeGroup.MODP_2048_224_POS],
  modp2048s256: [TransformType.KE, KeGroup.MODP_2048_256_POS],
  ecp192: [TransformType.KE, KeGroup.ECP_192],
  ecp224: [TransformType.KE, KeGroup.ECP_224],
  ecp256: [TransformType.KE, KeGroup.ECP_256],
  ecp384: [TransformType.KE, KeGroup.ECP_384],
  ecp521: [TransformType.KE, KeGroup.ECP_521],
  ecp224bp: [TransformType.KE, KeGroup.BRAINPOOLP224R1],
  ecp256bp: [TransformType.KE, KeGroup.BRAINPOOLP256R1],
  ecp384bp: [TransformType.KE, KeGroup.BRAINPOOLP384R1],
  ecp512bp: [TransformType.KE, KeGroup.BRAINPOOLP512R1],
  curve25519: [TransformType.KE, KeGroup.CURVE25519],
  x25519: [TransformType.KE, KeGroup.CURVE25519],
  curve448: [TransformType.KE, KeGroup.CURVE448],
  x448: [TransformType.KE, KeGroup.CURVE448],
  mlkem512: [TransformType.KE, KeGroup.ML_KEM_512],
  mlkem768: [TransformType.KE, KeGroup.ML_KEM_768],
  mlkem1024: [TransformType.KE, KeGroup.ML_KEM_1024],
  esn: [TransformType.ESN, EsnId.ESN],
  noesn: [TransformType.ESN, EsnId.NO_ESN],
} as const;

/** ICV-length suffixes of AES-GCM/CCM names: bytes, or strongSwan's bit spelling. */
const ICV_SUFFIX = { '8': 8, '12': 12, '16': 16, '64': 8, '96': 12, '128': 16 } as const;
const GCM = { 8: EncrId.ENCR_AES_GCM_8, 12: EncrId.ENCR_AES_GCM_12, 16: EncrId.ENCR_AES_GCM_16 } as const;
const CCM = { 8: EncrId.ENCR_AES_CCM_8, 12: EncrId.ENCR_AES_CCM_12, 16: EncrId.ENCR_AES_CCM_16 } as const;

/** The transform a strongSwan keyword names, or undefined. Case-insensitive. */
export function lookupKeyword(token: string): Keyword | undefined {
  const t = token.toLowerCase();
  const fixed = (FIXED as Readonly<Record<string, readonly [number, number]>>)[t];
  if (fixed !== undefined) return { type: fixed[0], id: fixed[1] };
  const m = /^(aes|camellia)(128|192|256)?(ctr|gcm|ccm|gmac)?(\d+)?$/.exec(t);
  if (m === null) return undefined;
  const [, family, bits = '128', mode, icv] = m;
  const keyLength = Number(bits);
  if (family === 'camellia') {
    if (mode === undefined && icv === undefined) return { type: TransformType.ENCR, id: EncrId.ENCR_CAMELLIA_CBC, keyLength };
    if (mode === 'ctr' && icv === undefined) return { type: TransformType.ENCR, id: EncrId.ENCR_CAMELLIA_CTR, keyLength };
    return undefined;
  }
  if (mode === undefined) return icv === undefined ? { type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, keyLength } : undefined;
  if (mode === 'ctr' || mode === 'gmac') {
    if (icv !== undefined) return undefined;
    return { type: TransformType.ENCR, id: mode === 'ctr' ? EncrId.ENCR_AES_CTR : EncrId.ENCR_NULL_AUTH_AES_GMAC, keyLength };
  }
  const bytes = icv === undefined ? 16 : (ICV_SUFFIX as Readonly<Record<string, 8 | 12 | 16>>)[icv];
  if (bytes === undefined) return undefined;
  return { type: TransformType.ENCR, id: (mode === 'gcm' ? GCM : CCM)[bytes], keyLength };
}

/** strongSwan keyword of a transform (the canonical spelling), or undefined when it has none. */
export function keywordOf(t: Transform): string | undefined {
  if (t.type === TransformType.ENCR) {
    const k = t.keyLength ?? 128;
    switch (t.id) {
      case EncrId.ENCR_AES_CBC: return `aes${k}`;
      case EncrId.ENCR_AES_CTR: return `aes${k}ctr`;
      case EncrId.ENCR_AES_GCM_8: return `aes${k}gcm8`;
      case EncrId.ENCR_AES_GCM_12: return `aes${k}gcm12`;
      case EncrId.ENCR_AES_GCM_16: return `aes${k}gcm16`;
      case EncrId.ENCR_AES_CCM_8: return `aes${k}ccm8`;
      case EncrId.ENCR_AES_CCM_12: return `aes${k}ccm12`;
      case EncrId.ENCR_AES_CCM_16: return `aes${k}ccm16`;
      case EncrId.ENCR_NULL_AUTH_AES_GMAC: return `aes${k}gmac`;
      case EncrId.ENCR_CAMELLIA_CBC: return `camellia${k}`;
      case EncrId.ENCR_CAMELLIA_CTR: return `camellia${k}ctr`;
      default: break;
    }
  }
  for (const [name, [type, id]] of Object.entries(FIXED)) {
    if (type === t.type && id === t.id && !name.includes('2_') && name !== 'sha' && name !== 'curve25519' && name !== 'curve448') return name;
  }
  return undefined;
}
