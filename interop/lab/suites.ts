/**
 * The three suites the strongSwan fixtures are captured with, their swanctl proposal strings and
 * the algorithm names Wireshark 4.0's UAT tables accept for them.
 */
import { EncrId, IntegId, KeGroup, PrfId } from '../../src/iana/ikev2.js';

/** Wireshark UAT algorithm names for one suite (undefined where tshark 4.0 cannot decrypt). */
export interface WiresharkNames {
  /** `ikev2_decryption_table` encryption algorithm. */
  readonly ikeEncr: string;
  /** `ikev2_decryption_table` integrity algorithm. */
  readonly ikeInteg: string;
  /** `esp_sa` encryption algorithm. */
  readonly espEncr: string;
  /** `esp_sa` authentication algorithm. */
  readonly espAuth: string;
}

/** One capture suite. */
export interface CaptureSuite {
  /** Directory name under `vectors/strongswan/`. */
  readonly id: string;
  /** swanctl `proposals` (IKE). */
  readonly ikeProposal: string;
  /** swanctl `esp_proposals`. */
  readonly espProposal: string;
  /** IANA transform IDs of the IKE proposal. */
  readonly ike: {
    readonly encr: number;
    readonly keyLength: number;
    readonly integ: number | undefined;
    readonly prf: number;
    readonly ke: number;
  };
  /** Names for the Wireshark key files; undefined when tshark 4.0 has no such algorithm. */
  readonly wireshark: WiresharkNames | undefined;
}

/** The suites of issue 2 §5. */
export const CAPTURE_SUITES: readonly CaptureSuite[] = [
  {
    id: 'aes256-sha256-modp2048',
    ikeProposal: 'aes256-sha256-prfsha256-modp2048',
    espProposal: 'aes256-sha256',
    ike: {
      encr: EncrId.ENCR_AES_CBC,
      keyLength: 256,
      integ: IntegId.AUTH_HMAC_SHA2_256_128,
      prf: PrfId.PRF_HMAC_SHA2_256,
      ke: KeGroup.MODP_2048,
    },
    wireshark: {
      ikeEncr: 'AES-CBC-256 [RFC3602]',
      ikeInteg: 'HMAC_SHA2_256_128 [RFC4868]',
      espEncr: 'AES-CBC [RFC3602]',
      espAuth: 'HMAC-SHA-256-128 [RFC4868]',
    },
  },
  {
    id: 'aes128gcm16-ecp256',
    ikeProposal: 'aes128gcm16-prfsha256-ecp256',
    espProposal: 'aes128gcm16',
    ike: { encr: EncrId.ENCR_AES_GCM_16, keyLength: 128, integ: undefined, prf: PrfId.PRF_HMAC_SHA2_256, ke: KeGroup.ECP_256 },
    wireshark: {
      ikeEncr: 'AES-GCM-128 with 16 octet ICV [RFC5282]',
      ikeInteg: 'NONE [RFC4306]',
      espEncr: 'AES-GCM with 16 octet ICV [RFC4106]',
      espAuth: 'NULL',
    },
  },
  {
    id: 'chacha20poly1305-x25519',
    ikeProposal: 'chacha20poly1305-prfsha256-x25519',
    espProposal: 'chacha20poly1305',
    ike: {
      encr: EncrId.ENCR_CHACHA20_POLY1305,
      keyLength: 256,
      integ: undefined,
      prf: PrfId.PRF_HMAC_SHA2_256,
      ke: KeGroup.CURVE25519,
    },
    wireshark: undefined,
  },
];
