/**
 * EAP payload (RFC 7296 §3.16, Figures 24-25): one EAP message (RFC 3748), kept opaque. The EAP
 * message carries its own Code/Identifier/Length; interpreting them is the EAP method's business.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';

/** EAP payload record. */
export interface EapPayload {
  readonly type: typeof PayloadType.EAP;
  readonly critical: boolean;
  /** The EAP message, opaque. */
  readonly data: Uint8Array;
}

/** Decode an EAP payload body. */
export function decodeEapPayload(r: Reader, critical: boolean): EapPayload {
  return { type: PayloadType.EAP, critical, data: r.copy(r.remaining, 'eap.data') };
}

/** Encode an EAP payload body. */
export function encodeEapPayload(w: Writer, p: EapPayload): void {
  w.bytes(p.data);
}
