/**
 * Certificate Request payload (RFC 7296 §3.7, Figure 13): Cert Encoding (1 octet), Certification
 * Authority (for X.509: concatenated 20-octet SHA-1 hashes of trusted CA public keys).
 */
import { PayloadType } from '../../iana/ikev2.js';
import type { Reader, Writer } from '../../util/bytes.js';
import { checkUint } from './common.js';

/** CERTREQ payload record. */
export interface CertReqPayload {
  readonly type: typeof PayloadType.CERTREQ;
  readonly critical: boolean;
  /** Cert Encoding (`CertEncoding`). */
  readonly encoding: number;
  /** Certification Authority data, kept whole. */
  readonly data: Uint8Array;
}

/** Decode a CERTREQ payload body. */
export function decodeCertReqPayload(r: Reader, critical: boolean): CertReqPayload {
  const encoding = r.u8('certreq.encoding');
  return { type: PayloadType.CERTREQ, critical, encoding, data: r.copy(r.remaining, 'certreq.data') };
}

/** Encode a CERTREQ payload body. */
export function encodeCertReqPayload(w: Writer, p: CertReqPayload): void {
  checkUint(p.encoding, 0xff, 'certreq.encoding');
  w.u8(p.encoding).bytes(p.data);
}
