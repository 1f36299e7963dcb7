/**
 * The JSON records printed by `kite decode --json` (issue 2 §6): one {@link DecodedMessageJson}
 * per IKE message, payloads named in RFC 7296 §3.2 notation, every registry value as its IANA
 * name (numeric IDs beside names where a reader may want them), octet strings as lower-case hex
 * and addresses as text. Optional fields are left out rather than set to null.
 */

/** Lower-case hex of an octet string. */
export type Hex = string;

/** A transform inside an SA proposal (RFC 7296 §3.3.2). */
export interface TransformJson {
  /** Transform type name: ENCR, PRF, INTEG, KE, ESN, ADDKE1.. */
  readonly type: string;
  /** IANA name of the transform ID, e.g. ENCR_AES_CBC, MODP_2048. */
  readonly name: string;
  readonly id: number;
  /** Key Length attribute in bits. */
  readonly keyLength?: number;
  /** Attributes other than Key Length. */
  readonly attributes?: readonly { readonly type: number; readonly value: Hex }[];
}

/** One SA proposal (RFC 7296 §3.3.1). */
export interface ProposalJson {
  readonly num: number;
  /** IKE, AH or ESP. */
  readonly protocol: string;
  /** SPI, when the proposal carries one. */
  readonly spi?: Hex;
  readonly transforms: readonly TransformJson[];
}

/** An address-range traffic selector (RFC 7296 §3.13.1). */
export interface SelectorJson {
  readonly tsType: string;
  /** IP protocol number (0 = any). */
  readonly protocol: number;
  readonly startPort: number;
  readonly endPort: number;
  readonly startAddress: string;
  readonly endAddress: string;
}

/** A selector of a type other than an address range (e.g. TS_SECLABEL), kept opaque. */
export interface OpaqueSelectorJson {
  readonly tsType: string;
  readonly flags: number;
  readonly data: Hex;
}

/** A configuration attribute (RFC 7296 §3.15.1): value as text, or null when empty (a request). */
export interface CfgAttributeJson {
  readonly type: string;
  readonly value: string | null;
}

/** Fields every payload carries. */
interface PayloadBase {
  /** Set only when the critical bit is. */
  readonly critical?: true;
}

/** SA payload. */
export interface SaJson extends PayloadBase {
  readonly type: 'SA';
  readonly proposals: readonly ProposalJson[];
}
/** KE payload. */
export interface KeJson extends PayloadBase {
  readonly type: 'KE';
  readonly group: string;
  readonly groupId: number;
  readonly data: Hex;
}
/** IDi / IDr payload. */
export interface IdJson extends PayloadBase {
  readonly type: 'IDi' | 'IDr';
  readonly idType: string;
  /** Readable identity: address text, FQDN or e-mail, RFC 4514 DN; hex for opaque types. */
  readonly value: string;
  /** Why `value` fell back to hex (e.g. a DN that is not valid DER). */
  readonly error?: string;
}
/** CERT payload; subject, issuer and serial for an X.509 certificate. */
export interface CertJson extends PayloadBase {
  readonly type: 'CERT';
  readonly encoding: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly serial?: Hex;
  readonly error?: string;
  readonly data: Hex;
}
/** CERTREQ payload; for X.509 the SHA-1 hashes of the acceptable CAs' public keys. */
export interface CertReqJson extends PayloadBase {
  readonly type: 'CERTREQ';
  readonly encoding: string;
  readonly authorities?: readonly Hex[];
  readonly data: Hex;
}
/** AUTH payload. */
export interface AuthJson extends PayloadBase {
  readonly type: 'AUTH';
  readonly method: string;
  readonly methodId: number;
  readonly data: Hex;
}
/** Nonce payload: Ni in messages from the original initiator, Nr otherwise. */
export interface NonceJson extends PayloadBase {
  readonly type: 'Ni' | 'Nr';
  readonly data: Hex;
}
/** Notify payload, with the data interpreted where its type defines a format. */
export interface NotifyJson extends PayloadBase {
  readonly type: 'N';
  readonly notifyType: string;
  readonly notifyTypeId: number;
  /** Protocol of the SA concerned, when one is. */
  readonly protocol?: string;
  readonly spi?: Hex;
  /** NAT_DETECTION_*: the SHA-1 hash. */
  readonly hash?: Hex;
  /** SIGNATURE_HASH_ALGORITHMS: RFC 7427 hash names. */
  readonly hashAlgorithms?: readonly string[];
  /** IPCOMP_SUPPORTED: the CPI and IPComp transform. */
  readonly cpi?: number;
  readonly transform?: string;
  /** INVALID_KE_PAYLOAD: the group the responder wants. */
  readonly group?: string;
  /** The raw notification data, when there is any. */
  readonly data?: Hex;
}
/** Delete payload. */
export interface DeleteJson extends PayloadBase {
  readonly type: 'D';
  readonly protocol: string;
  readonly spiSize: number;
  readonly spis: readonly Hex[];
}
/** Vendor ID payload; `text` when the ID is printable ASCII (e.g. "OpenIKED-7.2"). */
export interface VendorIdJson extends PayloadBase {
  readonly type: 'V';
  readonly text?: string;
  readonly data: Hex;
}
/** TSi / TSr payload. */
export interface TsJson extends PayloadBase {
  readonly type: 'TSi' | 'TSr';
  readonly selectors: readonly (SelectorJson | OpaqueSelectorJson)[];
}
/** SK payload; `payloads` once decrypted, `error` when decryption or decoding failed. */
export interface SkJson extends PayloadBase {
  readonly type: 'SK';
  /** Type of the first inner payload. */
  readonly nextPayload: string;
  /** Octets of IV, ciphertext and ICV. */
  readonly length: number;
  readonly payloads?: readonly PayloadJson[];
  readonly error?: string;
}
/** SKF payload (RFC 7383); `payloads` when the reassembled message was decrypted. */
export interface SkfJson extends PayloadBase {
  readonly type: 'SKF';
  readonly nextPayload: string;
  readonly fragmentNumber: number;
  readonly totalFragments: number;
  readonly length: number;
  readonly payloads?: readonly PayloadJson[];
  readonly error?: string;
}
/** CP payload. */
export interface CpJson extends PayloadBase {
  readonly type: 'CP';
  readonly cfgType: string;
  readonly attributes: readonly CfgAttributeJson[];
}
/** EAP payload (opaque). */
export interface EapJson extends PayloadBase {
  readonly type: 'EAP';
  readonly data: Hex;
}
/** A payload Kite does not interpret. */
export interface UnknownJson {
  /** Registry name when there is one (e.g. GSPM), else UNKNOWN_<n>. */
  readonly type: string;
  readonly typeId: number;
  readonly critical: boolean;
  readonly data: Hex;
}

/** Any payload in `kite decode --json`. */
export type PayloadJson =
  | SaJson | KeJson | IdJson | CertJson | CertReqJson | AuthJson | NonceJson | NotifyJson | DeleteJson
  | VendorIdJson | TsJson | SkJson | SkfJson | CpJson | EapJson | UnknownJson;

/** One IKE message in `kite decode --json`. */
export interface DecodedMessageJson {
  /** Exchange type name, e.g. IKE_SA_INIT. */
  readonly exchange: string;
  readonly exchangeType: number;
  readonly response: boolean;
  /** The I flag: sent by the original initiator of the IKE SA. */
  readonly initiator: boolean;
  readonly messageId: number;
  readonly spiI: Hex;
  readonly spiR: Hex;
  /** "major.minor". */
  readonly version: string;
  /** Total length from the header. */
  readonly length: number;
  readonly payloads: readonly PayloadJson[];
}

/** A datagram that did not decode as an IKE message: the ParseError's parts. */
export interface DecodeErrorJson {
  readonly error: {
    readonly name: string;
    readonly code: string;
    readonly field?: string;
    readonly offset?: number;
    readonly message: string;
  };
}
