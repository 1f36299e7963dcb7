/**
 * Explicit size and count limits of the IKEv2 wire codec. Exceeding any of them makes a decoder throw
 * `ParseError` with code `LIMIT`; they bound the work and memory one untrusted datagram can cost.
 * The values are generous for real peers (strongSwan's largest default proposal has ~40 transforms).
 */

/** Codec limits (RFC 7296 fixes none of these; they are Kite's policy). */
export const WIRE_LIMITS = {
  /** Largest IKE message (the 32-bit Length field could say more; a UDP datagram cannot). */
  maxMessageSize: 65_535,
  /** Payloads in one chain (outer message, or the decrypted contents of SK). */
  maxPayloads: 128,
  /** Proposals in one SA payload. */
  maxProposals: 64,
  /** Transforms in one proposal. */
  maxTransforms: 128,
  /** Attributes in one transform. */
  maxTransformAttributes: 8,
  /** Traffic selectors in one TSi/TSr payload. */
  maxTrafficSelectors: 64,
  /** Attributes in one CP payload. */
  maxCfgAttributes: 128,
  /** SPIs in one Delete payload. */
  maxDeleteSpis: 4096,
} as const;
