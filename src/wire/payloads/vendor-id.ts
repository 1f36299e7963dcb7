/**
 * Vendor ID payload (RFC 7296 §3.12, Figure 18): Vendor ID (opaque, typically a hash).
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';

/** Vendor ID payload record. */
export interface VendorIdPayload {
  readonly type: typeof PayloadType.VENDOR_ID;
  readonly critical: boolean;
  /** Vendor ID octets. */
  readonly data: Uint8Array;
}

/** Decode a Vendor ID payload body. */
export function decodeVendorIdPayload(r: Reader, critical: boolean): VendorIdPayload {
  return { type: PayloadType.VENDOR_ID, critical, data: r.copy(r.remaining, 'vendorId.data') };
}

/** Encode a Vendor ID payload body. */
export function encodeVendorIdPayload(w: Writer, p: VendorIdPayload): void {
  w.bytes(p.data);
}
