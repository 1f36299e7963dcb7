/**
 * The ICV of AES-CBC + HMAC ESP (RFC 4303 §3.3.2.1, RFC 2404, RFC 4868 §2.1), shared by both
 * backends: HMAC over SPI | Seq | IV | ciphertext, then Seq-hi when ESN is on (Seq-hi is never
 * sent, RFC 4303 §2.2.1), truncated to the ICV length. Each backend passes only how it starts an
 * HMAC under the SA direction's key.
 */
import { writeU32 } from '../wire/esp.js';

/** An HMAC under way, as `node:crypto`'s `Hmac` and noble's `hmac.create` both expose it. */
export interface HmacState {
  /** Feeds `data`; returns the same state. */
  update(data: Uint8Array): HmacState;
  /** The full-length tag. */
  digest(): Uint8Array;
}

/** Computes the truncated ICV of `pkt[0..end)` for sequence-number high half `seqHi`. */
export type EspIcvFn = (pkt: Uint8Array, end: number, seqHi: number) => Uint8Array;

/**
 * The ICV function of one SA direction. `start` begins an HMAC under the direction's key (called
 * once per packet); the Seq-hi scratch buffer is allocated here, once, not per packet.
 */
export function espHmacIcv(start: () => HmacState, esn: boolean, icvLength: number): EspIcvFn {
  const hiBuf = new Uint8Array(4);
  return (pkt, end, seqHi) => {
    const h = start().update(pkt.subarray(0, end));
    if (esn) {
      writeU32(hiBuf, 0, seqHi);
      h.update(hiBuf);
    }
    return h.digest().subarray(0, icvLength);
  };
}
