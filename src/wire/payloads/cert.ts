/**
 * Certificate payload (RFC 7296 §3.6, Figure 12): Cert Encoding (1 octet), Certificate Data.
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** CERT payload record. */
export interface CertPayload {
  readonly type: typeof PayloadType.CERT;
  readonly critical: boolean;
  /** Cert Encoding (`CertEncoding`). */
  readonly encoding: number;
  /** Certificate Data (a DER certificate for X509_CERT_SIGNATURE). */
  readonly data: Uint8Array;
}

/** Decode a CERT payload body. */
export function decodeCertPayload(r: Reader, critical: boolean): CertPayload {
  const encoding = r.u8('cert.encoding');
  return { type: PayloadType.CERT, critical, encoding, data: r.copy(r.remaining, 'cert.data') };
}

/** Encode a CERT payload body. */
export function encodeCertPayload(w: Writer, p: CertPayload): void {
  checkUint(p.encoding, 0xff, 'cert.encoding');
  w.u8(p.encoding).bytes(p.data);
}
