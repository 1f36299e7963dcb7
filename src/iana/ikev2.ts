/**
 * IKEv2 protocol constants, from the IANA "Internet Key Exchange Version 2 (IKEv2) Parameters"
 * registries (RFC 7296 and the RFCs named beside each entry). Every protocol number used by Kite
 * lives here; names keep the registry spelling.
 */
import { nameMap } from './names.js';

/** IKEv2 Exchange Types (RFC 7296 §3.1; RFC 9242 for IKE_INTERMEDIATE; RFC 9370 IKE_FOLLOWUP_KE). */
export const ExchangeType = {
  IKE_SA_INIT: 34,
  IKE_AUTH: 35,
  CREATE_CHILD_SA: 36,
  INFORMATIONAL: 37,
  IKE_SESSION_RESUME: 38,
  GSA_AUTH: 39,
  GSA_REGISTRATION: 40,
  GSA_REKEY: 41,
  IKE_INTERMEDIATE: 43,
  IKE_FOLLOWUP_KE: 44,
} as const;
/** One ExchangeType value (the union of the numbers above). */
export type ExchangeType = (typeof ExchangeType)[keyof typeof ExchangeType];
/** ExchangeType number -> its name as spelled above, for logs and `kite decode`. */
export const exchangeTypeNames = nameMap(ExchangeType);

/** IKE header flags (RFC 7296 §3.1). */
export const HeaderFlag = {
  INITIATOR: 0x08,
  VERSION: 0x10,
  RESPONSE: 0x20,
} as const;

/** IKEv2 Payload Types (RFC 7296 §3.2; RFC 7383 for SKF; RFC 6467 GSPM). */
export const PayloadType = {
  NONE: 0,
  SA: 33,
  KE: 34,
  IDi: 35,
  IDr: 36,
  CERT: 37,
  CERTREQ: 38,
  AUTH: 39,
  NONCE: 40,
  NOTIFY: 41,
  DELETE: 42,
  VENDOR_ID: 43,
  TSi: 44,
  TSr: 45,
  SK: 46,
  CP: 47,
  EAP: 48,
  GSPM: 49,
  IDg: 50,
  GSA: 51,
  KD: 52,
  SKF: 53,
  PS: 54,
} as const;
/** One PayloadType value (the union of the numbers above). */
export type PayloadType = (typeof PayloadType)[keyof typeof PayloadType];
/** PayloadType number -> its name as spelled above, for logs and `kite decode`. */
export const payloadTypeNames = nameMap(PayloadType);

/** RFC 7296 §3.2 notation used in logs and `kite decode --json` (Ni/Nr resolved by direction). */
export const payloadShortNames: ReadonlyMap<number, string> = new Map([
  [33, 'SA'], [34, 'KE'], [35, 'IDi'], [36, 'IDr'], [37, 'CERT'], [38, 'CERTREQ'], [39, 'AUTH'],
  [40, 'Ni, Nr'], [41, 'N'], [42, 'D'], [43, 'V'], [44, 'TSi'], [45, 'TSr'], [46, 'SK'], [47, 'CP'],
  [48, 'EAP'], [49, 'GSPM'], [53, 'SKF'],
]);

/** Security Protocol Identifiers (RFC 7296 §3.3.1). */
export const ProtocolId = {
  IKE: 1,
  AH: 2,
  ESP: 3,
} as const;
/** One ProtocolId value (the union of the numbers above). */
export type ProtocolId = (typeof ProtocolId)[keyof typeof ProtocolId];
/** ProtocolId number -> its name as spelled above, for logs and `kite decode`. */
export const protocolIdNames = nameMap(ProtocolId);

/** Transform Types (RFC 7296 §3.3.2; RFC 9370 renames type 4 to Key Exchange Method). */
export const TransformType = {
  ENCR: 1,
  PRF: 2,
  INTEG: 3,
  KE: 4,
  ESN: 5,
  ADDKE1: 6,
  ADDKE2: 7,
  ADDKE3: 8,
  ADDKE4: 9,
  ADDKE5: 10,
  ADDKE6: 11,
  ADDKE7: 12,
} as const;
/** One TransformType value (the union of the numbers above). */
export type TransformType = (typeof TransformType)[keyof typeof TransformType];
/** TransformType number -> its name as spelled above, for logs and `kite decode`. */
export const transformTypeNames = nameMap(TransformType);

/** Transform Type 1 — Encryption Algorithm Transform IDs. */
export const EncrId = {
  ENCR_DES_IV64: 1,
  ENCR_DES: 2,
  ENCR_3DES: 3,
  ENCR_RC5: 4,
  ENCR_IDEA: 5,
  ENCR_CAST: 6,
  ENCR_BLOWFISH: 7,
  ENCR_3IDEA: 8,
  ENCR_DES_IV32: 9,
  ENCR_NULL: 11,
  ENCR_AES_CBC: 12,
  ENCR_AES_CTR: 13,
  ENCR_AES_CCM_8: 14,
  ENCR_AES_CCM_12: 15,
  ENCR_AES_CCM_16: 16,
  ENCR_AES_GCM_8: 18,
  ENCR_AES_GCM_12: 19,
  ENCR_AES_GCM_16: 20,
  ENCR_NULL_AUTH_AES_GMAC: 21,
  ENCR_CAMELLIA_CBC: 23,
  ENCR_CAMELLIA_CTR: 24,
  ENCR_CAMELLIA_CCM_8: 25,
  ENCR_CAMELLIA_CCM_12: 26,
  ENCR_CAMELLIA_CCM_16: 27,
  ENCR_CHACHA20_POLY1305: 28,
} as const;
/** One EncrId value (the union of the numbers above). */
export type EncrId = (typeof EncrId)[keyof typeof EncrId];
/** EncrId number -> its name as spelled above, for logs and `kite decode`. */
export const encrIdNames = nameMap(EncrId);

/** Transform Type 2 — Pseudorandom Function Transform IDs. */
export const PrfId = {
  PRF_HMAC_MD5: 1,
  PRF_HMAC_SHA1: 2,
  PRF_HMAC_TIGER: 3,
  PRF_AES128_XCBC: 4,
  PRF_HMAC_SHA2_256: 5,
  PRF_HMAC_SHA2_384: 6,
  PRF_HMAC_SHA2_512: 7,
  PRF_AES128_CMAC: 8,
} as const;
/** One PrfId value (the union of the numbers above). */
export type PrfId = (typeof PrfId)[keyof typeof PrfId];
/** PrfId number -> its name as spelled above, for logs and `kite decode`. */
export const prfIdNames = nameMap(PrfId);

/** Transform Type 3 — Integrity Algorithm Transform IDs. */
export const IntegId = {
  NONE: 0,
  AUTH_HMAC_MD5_96: 1,
  AUTH_HMAC_SHA1_96: 2,
  AUTH_DES_MAC: 3,
  AUTH_KPDK_MD5: 4,
  AUTH_AES_XCBC_96: 5,
  AUTH_HMAC_MD5_128: 6,
  AUTH_HMAC_SHA1_160: 7,
  AUTH_AES_CMAC_96: 8,
  AUTH_AES_128_GMAC: 9,
  AUTH_AES_192_GMAC: 10,
  AUTH_AES_256_GMAC: 11,
  AUTH_HMAC_SHA2_256_128: 12,
  AUTH_HMAC_SHA2_384_192: 13,
  AUTH_HMAC_SHA2_512_256: 14,
} as const;
/** One IntegId value (the union of the numbers above). */
export type IntegId = (typeof IntegId)[keyof typeof IntegId];
/** IntegId number -> its name as spelled above, for logs and `kite decode`. */
export const integIdNames = nameMap(IntegId);

/** Transform Type 4 — Key Exchange Method Transform IDs (Diffie-Hellman groups). */
export const KeGroup = {
  NONE: 0,
  MODP_768: 1,
  MODP_1024: 2,
  MODP_1536: 5,
  MODP_2048: 14,
  MODP_3072: 15,
  MODP_4096: 16,
  MODP_6144: 17,
  MODP_8192: 18,
  ECP_256: 19,
  ECP_384: 20,
  ECP_521: 21,
  MODP_1024_160_POS: 22,
  MODP_2048_224_POS: 23,
  MODP_2048_256_POS: 24,
  ECP_192: 25,
  ECP_224: 26,
  BRAINPOOLP224R1: 27,
  BRAINPOOLP256R1: 28,
  BRAINPOOLP384R1: 29,
  BRAINPOOLP512R1: 30,
  CURVE25519: 31,
  CURVE448: 32,
  GOST3410_2012_256: 33,
  GOST3410_2012_512: 34,
  ML_KEM_512: 35,
  ML_KEM_768: 36,
  ML_KEM_1024: 37,
} as const;
/** One KeGroup value (the union of the numbers above). */
export type KeGroup = (typeof KeGroup)[keyof typeof KeGroup];
/** KeGroup number -> its name as spelled above, for logs and `kite decode`. */
export const keGroupNames = nameMap(KeGroup);

/** Transform Type 5 — Extended Sequence Numbers. */
export const EsnId = {
  NO_ESN: 0,
  ESN: 1,
} as const;
/** One EsnId value (the union of the numbers above). */
export type EsnId = (typeof EsnId)[keyof typeof EsnId];
/** EsnId number -> its name as spelled above, for logs and `kite decode`. */
export const esnIdNames = nameMap(EsnId);

/** Transform Attribute Types (RFC 7296 §3.3.5). */
export const TransformAttr = {
  KEY_LENGTH: 14,
} as const;

/** Notify Message Types — errors (RFC 7296 §3.10.1 and later RFCs), values 0..16383. */
export const NotifyError = {
  UNSUPPORTED_CRITICAL_PAYLOAD: 1,
  INVALID_IKE_SPI: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_SYNTAX: 7,
  INVALID_MESSAGE_ID: 9,
  INVALID_SPI: 11,
  NO_PROPOSAL_CHOSEN: 14,
  INVALID_KE_PAYLOAD: 17,
  AUTHENTICATION_FAILED: 24,
  SINGLE_PAIR_REQUIRED: 34,
  NO_ADDITIONAL_SAS: 35,
  INTERNAL_ADDRESS_FAILURE: 36,
  FAILED_CP_REQUIRED: 37,
  TS_UNACCEPTABLE: 38,
  INVALID_SELECTORS: 39,
  UNACCEPTABLE_ADDRESSES: 40, // RFC 4555
  UNEXPECTED_NAT_DETECTED: 41, // RFC 4555
  USE_ASSIGNED_HoA: 42, // RFC 5026
  TEMPORARY_FAILURE: 43, // RFC 7296
  CHILD_SA_NOT_FOUND: 44, // RFC 7296
  INVALID_GROUP_ID: 45, // RFC 9838
  AUTHORIZATION_FAILED: 46, // RFC 9838
  STATE_NOT_FOUND: 47, // RFC 9329
  TS_MAX_QUEUE: 48, // RFC 9611
} as const;

/** Notify Message Types — status (RFC 7296 §3.10.1 and later RFCs), values 16384..65535. */
export const NotifyStatus = {
  INITIAL_CONTACT: 16384,
  SET_WINDOW_SIZE: 16385,
  ADDITIONAL_TS_POSSIBLE: 16386,
  IPCOMP_SUPPORTED: 16387,
  NAT_DETECTION_SOURCE_IP: 16388,
  NAT_DETECTION_DESTINATION_IP: 16389,
  COOKIE: 16390,
  USE_TRANSPORT_MODE: 16391,
  HTTP_CERT_LOOKUP_SUPPORTED: 16392,
  REKEY_SA: 16393,
  ESP_TFC_PADDING_NOT_SUPPORTED: 16394,
  NON_FIRST_FRAGMENTS_ALSO: 16395,
  MOBIKE_SUPPORTED: 16396, // RFC 4555
  ADDITIONAL_IP4_ADDRESS: 16397, // RFC 4555
  ADDITIONAL_IP6_ADDRESS: 16398, // RFC 4555
  NO_ADDITIONAL_ADDRESSES: 16399, // RFC 4555
  UPDATE_SA_ADDRESSES: 16400, // RFC 4555
  COOKIE2: 16401, // RFC 4555
  NO_NATS_ALLOWED: 16402, // RFC 4555
  AUTH_LIFETIME: 16403, // RFC 4478
  MULTIPLE_AUTH_SUPPORTED: 16404, // RFC 4739
  ANOTHER_AUTH_FOLLOWS: 16405, // RFC 4739
  REDIRECT_SUPPORTED: 16406, // RFC 5685
  REDIRECT: 16407, // RFC 5685
  REDIRECTED_FROM: 16408, // RFC 5685
  TICKET_LT_OPAQUE: 16409, // RFC 5723
  TICKET_REQUEST: 16410, // RFC 5723
  TICKET_ACK: 16411, // RFC 5723
  TICKET_NACK: 16412, // RFC 5723
  TICKET_OPAQUE: 16413, // RFC 5723
  LINK_ID: 16414, // RFC 5739
  USE_WESP_MODE: 16415, // RFC 5840
  ROHC_SUPPORTED: 16416, // RFC 5857
  EAP_ONLY_AUTHENTICATION: 16417, // RFC 5998
  CHILDLESS_IKEV2_SUPPORTED: 16418, // RFC 6023
  QUICK_CRASH_DETECTION: 16419, // RFC 6290
  IKEV2_MESSAGE_ID_SYNC_SUPPORTED: 16420, // RFC 6311
  IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED: 16421, // RFC 6311
  IKEV2_MESSAGE_ID_SYNC: 16422, // RFC 6311
  IPSEC_REPLAY_COUNTER_SYNC: 16423, // RFC 6311
  SECURE_PASSWORD_METHODS: 16424, // RFC 6467
  PSK_PERSIST: 16425, // RFC 6631
  PSK_CONFIRM: 16426, // RFC 6631
  ERX_SUPPORTED: 16427, // RFC 6867
  IFOM_CAPABILITY: 16428,
  SENDER_REQUEST_ID: 16429,
  IKEV2_FRAGMENTATION_SUPPORTED: 16430, // RFC 7383
  SIGNATURE_HASH_ALGORITHMS: 16431, // RFC 7427
  CLONE_IKE_SA_SUPPORTED: 16432, // RFC 7791
  CLONE_IKE_SA: 16433, // RFC 7791
  PUZZLE: 16434, // RFC 8019
  USE_PPK: 16435, // RFC 8784
  PPK_IDENTITY: 16436, // RFC 8784
  NO_PPK_AUTH: 16437, // RFC 8784
  INTERMEDIATE_EXCHANGE_SUPPORTED: 16438, // RFC 9242
  IP4_ALLOWED: 16439, // RFC 8983
  IP6_ALLOWED: 16440, // RFC 8983
  ADDITIONAL_KEY_EXCHANGE: 16441, // RFC 9370
  USE_AGGFRAG: 16442, // RFC 9347
  SUPPORTED_AUTH_METHODS: 16443, // RFC 9593
  SA_RESOURCE_INFO: 16444, // RFC 9611
  USE_PPK_INT: 16445, // RFC 9867
  PPK_IDENTITY_KEY: 16446, // RFC 9867
} as const;

/** All Notify Message Types, errors and status. */
export const NotifyType = { ...NotifyError, ...NotifyStatus } as const;
/** One NotifyType value (the union of the numbers above). */
export type NotifyType = (typeof NotifyType)[keyof typeof NotifyType];
/** NotifyType number -> its name as spelled above, for logs and `kite decode`. */
export const notifyTypeNames = nameMap(NotifyType);

/** Notify types below this value are errors (RFC 7296 §3.10.1). */
export const NOTIFY_ERROR_MAX = 16383;

/** IKEv2 Identification Payload ID Types (RFC 7296 §3.5). */
export const IdType = {
  ID_IPV4_ADDR: 1,
  ID_FQDN: 2,
  ID_RFC822_ADDR: 3,
  ID_IPV6_ADDR: 5,
  ID_DER_ASN1_DN: 9,
  ID_DER_ASN1_GN: 10,
  ID_KEY_ID: 11,
  ID_FC_NAME: 12,
  ID_NULL: 13, // RFC 7619
} as const;
/** One IdType value (the union of the numbers above). */
export type IdType = (typeof IdType)[keyof typeof IdType];
/** IdType number -> its name as spelled above, for logs and `kite decode`. */
export const idTypeNames = nameMap(IdType);

/** IKEv2 Certificate Encodings (RFC 7296 §3.6). */
export const CertEncoding = {
  PKCS7_WRAPPED_X509: 1,
  PGP: 2,
  DNS_SIGNED_KEY: 3,
  X509_CERT_SIGNATURE: 4,
  KERBEROS_TOKEN: 6,
  CRL: 7,
  ARL: 8,
  SPKI: 9,
  X509_CERT_ATTRIBUTE: 10,
  RAW_RSA_KEY: 11,
  HASH_URL_X509_CERT: 12,
  HASH_URL_X509_BUNDLE: 13,
  OCSP_CONTENT: 14, // RFC 4806
  RAW_PUBLIC_KEY: 15, // RFC 7670
} as const;
/** One CertEncoding value (the union of the numbers above). */
export type CertEncoding = (typeof CertEncoding)[keyof typeof CertEncoding];
/** CertEncoding number -> its name as spelled above, for logs and `kite decode`. */
export const certEncodingNames = nameMap(CertEncoding);

/** IKEv2 Authentication Methods (RFC 7296 §3.8; RFC 4754; RFC 7427; RFC 7619). */
export const AuthMethod = {
  RSA_DIGITAL_SIGNATURE: 1,
  SHARED_KEY_MESSAGE_INTEGRITY_CODE: 2,
  DSS_DIGITAL_SIGNATURE: 3,
  ECDSA_SHA256_P256: 9,
  ECDSA_SHA384_P384: 10,
  ECDSA_SHA512_P521: 11,
  GENERIC_SECURE_PASSWORD: 12,
  NULL_AUTHENTICATION: 13,
  DIGITAL_SIGNATURE: 14,
} as const;
/** One AuthMethod value (the union of the numbers above). */
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];
/** AuthMethod number -> its name as spelled above, for logs and `kite decode`. */
export const authMethodNames = nameMap(AuthMethod);

/** IKEv2 Configuration Payload CFG Types (RFC 7296 §3.15). */
export const CfgType = {
  CFG_REQUEST: 1,
  CFG_REPLY: 2,
  CFG_SET: 3,
  CFG_ACK: 4,
} as const;
/** One CfgType value (the union of the numbers above). */
export type CfgType = (typeof CfgType)[keyof typeof CfgType];
/** CfgType number -> its name as spelled above, for logs and `kite decode`. */
export const cfgTypeNames = nameMap(CfgType);

/** IKEv2 Configuration Payload Attribute Types (RFC 7296 §3.15.1; RFC 8598 split DNS). */
export const CfgAttr = {
  INTERNAL_IP4_ADDRESS: 1,
  INTERNAL_IP4_NETMASK: 2,
  INTERNAL_IP4_DNS: 3,
  INTERNAL_IP4_NBNS: 4,
  INTERNAL_IP4_DHCP: 6,
  APPLICATION_VERSION: 7,
  INTERNAL_IP6_ADDRESS: 8,
  INTERNAL_IP6_DNS: 10,
  INTERNAL_IP6_DHCP: 12,
  INTERNAL_IP4_SUBNET: 13,
  SUPPORTED_ATTRIBUTES: 14,
  INTERNAL_IP6_SUBNET: 15,
  MIP6_HOME_PREFIX: 16, // RFC 5026
  INTERNAL_IP6_LINK: 17, // RFC 5739
  INTERNAL_IP6_PREFIX: 18, // RFC 5739
  HOME_AGENT_ADDRESS: 19, // RFC 5213
  P_CSCF_IP4_ADDRESS: 20, // RFC 7651
  P_CSCF_IP6_ADDRESS: 21, // RFC 7651
  FTT_KAT: 22, // RFC 7651
  EXTERNAL_SOURCE_IP4_NAT_INFO: 23, // RFC 7651
  TIMEOUT_PERIOD_FOR_LIVENESS_CHECK: 24, // RFC 7651
  INTERNAL_DNS_DOMAIN: 25, // RFC 8598
  INTERNAL_DNSSEC_TA: 26, // RFC 8598
  ENCDNS_IP4: 27, // RFC 9464
  ENCDNS_IP6: 28, // RFC 9464
  ENCDNS_DIGEST_INFO: 29, // RFC 9464
} as const;
/** One CfgAttr value (the union of the numbers above). */
export type CfgAttr = (typeof CfgAttr)[keyof typeof CfgAttr];
/** CfgAttr number -> its name as spelled above, for logs and `kite decode`. */
export const cfgAttrNames = nameMap(CfgAttr);

/** IKEv2 Traffic Selector Types (RFC 7296 §3.13.1; RFC 9478 TS_SECLABEL). */
export const TsType = {
  TS_IPV4_ADDR_RANGE: 7,
  TS_IPV6_ADDR_RANGE: 8,
  TS_FC_ADDR_RANGE: 9,
  TS_SECLABEL: 10,
} as const;
/** One TsType value (the union of the numbers above). */
export type TsType = (typeof TsType)[keyof typeof TsType];
/** TsType number -> its name as spelled above, for logs and `kite decode`. */
export const tsTypeNames = nameMap(TsType);

/** IPComp Transform IDs carried in IPCOMP_SUPPORTED (RFC 7296 §3.10.1; IANA IPComp registry). */
export const IpcompTransform = {
  IPCOMP_OUI: 1,
  IPCOMP_DEFLATE: 2,
  IPCOMP_LZS: 3,
  IPCOMP_LZJH: 4,
} as const;
/** One IpcompTransform value (the union of the numbers above). */
export type IpcompTransform = (typeof IpcompTransform)[keyof typeof IpcompTransform];
/** IpcompTransform number -> its name as spelled above, for logs and `kite decode`. */
export const ipcompTransformNames = nameMap(IpcompTransform);

/** IKEv2 Hash Algorithms for SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7; RFC 8420 Identity). */
export const HashAlgorithm = {
  SHA1: 1,
  SHA2_256: 2,
  SHA2_384: 3,
  SHA2_512: 4,
  IDENTITY: 5,
  STREEBOG_256: 6,
  STREEBOG_512: 7,
} as const;
/** One HashAlgorithm value (the union of the numbers above). */
export type HashAlgorithm = (typeof HashAlgorithm)[keyof typeof HashAlgorithm];
/** HashAlgorithm number -> its name as spelled above, for logs and `kite decode`. */
export const hashAlgorithmNames = nameMap(HashAlgorithm);

/** Gateway Identity Types for REDIRECT (RFC 5685 §10). */
export const GatewayIdType = {
  IPV4: 1,
  IPV6: 2,
  FQDN: 3,
} as const;

/** UDP ports (RFC 7296 §2.23, RFC 3948). */
export const IkePort = {
  IKE: 500,
  NAT_T: 4500,
} as const;

/** IKE version carried in the header: major 2, minor 0. */
export const IKE_VERSION = 0x20;
