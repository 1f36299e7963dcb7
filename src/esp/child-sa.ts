/**
 * The CHILD_SA record (RFC 7296 §2.17, RFC 4301 §4.4.2): what the IKE side hands the dataplane once
 * a CREATE_CHILD_SA or IKE_AUTH exchange has negotiated an ESP SA pair. Plain data: no methods, no
 * crypto objects, so `ike/` can build it without depending on `esp/` internals.
 */

/** Byte and packet lifetimes (RFC 4301 §4.4.2.1). Soft limits ask for a rekey; hard limits stop the SA. */
export interface ChildSaLifetime {
  /** Bytes (inner payload, both directions counted separately) after which a rekey is requested. */
  readonly softBytes?: number;
  /** Bytes after which the SA refuses to process more packets. */
  readonly hardBytes?: number;
  /** Packets after which a rekey is requested. */
  readonly softPackets?: number;
  /** Packets after which the SA refuses to process more packets. */
  readonly hardPackets?: number;
}

/** IPComp negotiated with IPCOMP_SUPPORTED (RFC 7296 §3.10.1, RFC 3173). */
export interface ChildSaIpcomp {
  /** CPI we announced (the peer sends it to us). */
  readonly cpiIn: number;
  /** CPI the peer announced (we put it in outbound IPComp headers). */
  readonly cpiOut: number;
  /** IPComp Transform ID (`IpcompTransform.IPCOMP_DEFLATE`). */
  readonly transform: number;
}

/**
 * Everything needed to install one ESP SA pair. Keys come from CHILD_SA KEYMAT (RFC 7296 §2.17):
 * `encrKey*` of AEAD suites include the 4-byte salt at their end (RFC 4106 §8.1, RFC 7634 §2).
 */
export interface ChildSaParams {
  /** SPI of inbound packets (the one we chose). */
  readonly spiIn: number;
  /** SPI of outbound packets (the one the peer chose). */
  readonly spiOut: number;
  /** ENCR Transform ID (`EncrId`). */
  readonly encrId: number;
  /** Key length in bits (without the salt). */
  readonly keyLengthBits: number;
  /** INTEG Transform ID (`IntegId`); 0 (NONE) for AEAD suites. */
  readonly integId: number;
  /** Extended Sequence Numbers negotiated (RFC 4303 §2.2.1). */
  readonly esn: boolean;
  /** Inbound encryption key (+ salt for AEAD). */
  readonly encrKeyIn: Uint8Array;
  /** Inbound integrity key (non-AEAD suites). */
  readonly integKeyIn?: Uint8Array;
  /** Outbound encryption key (+ salt for AEAD). */
  readonly encrKeyOut: Uint8Array;
  /** Outbound integrity key (non-AEAD suites). */
  readonly integKeyOut?: Uint8Array;
  /** Tunnel mode (inner IP packet) or transport mode (here: IPComp payload, next header 108). */
  readonly mode: 'tunnel' | 'transport';
  /** IPComp, when negotiated. */
  readonly ipcomp?: ChildSaIpcomp;
  /** Anti-replay window in packets (default 128, at most 4096; 0 disables anti-replay). */
  readonly replayWindow?: number;
  /** Lifetimes. */
  readonly lifetime?: ChildSaLifetime;
}
