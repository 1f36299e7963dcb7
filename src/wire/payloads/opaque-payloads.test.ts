// KE (§3.4), IDi/IDr (§3.5), CERT (§3.6), CERTREQ (§3.7), AUTH (§3.8), Nonce (§3.9), Vendor ID
// (§3.12), EAP (§3.16): fixed header fields then opaque data, built from the RFC 5996 figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthMethod, CertEncoding, IdType, KeGroup, PayloadType } from '../../iana/ikev2.js';
import { decodePayloadChain, encodePayloadChain } from '../message.js';
import type { Payload } from '../payload.js';
import { assembleFigure, parseFigure, type FigureValues } from '../rfc-figures.testkit.js';
import { parseErrorOf, RFC5996_URL } from './testing.testkit.js';

const rfc = readFileSync(RFC5996_URL, 'utf8');
const data = Uint8Array.from({ length: 37 }, (_, i) => (i * 7 + 3) & 0xff);
const generic = { 'Next Payload': 0, C: 0, 'Payload Length': 'auto' } as const;

interface Case {
  readonly name: string;
  readonly type: number;
  readonly figure: number;
  readonly values: FigureValues;
  readonly record: Payload;
  /** Octets of fixed fields after the generic header (a shorter body must be TRUNCATED). */
  readonly fixed: number;
}

const cases: readonly Case[] = [
  { name: 'KE', type: PayloadType.KE, figure: 10, fixed: 4, values: { 'Diffie-Hellman Group Num': KeGroup.ECP_256, 'Key Exchange Data': data },
    record: { type: PayloadType.KE, critical: false, group: KeGroup.ECP_256, data } },
  { name: 'IDi', type: PayloadType.IDi, figure: 11, fixed: 4, values: { 'ID Type': IdType.ID_FQDN, 'Identification Data': data },
    record: { type: PayloadType.IDi, critical: false, idType: IdType.ID_FQDN, data } },
  { name: 'IDr', type: PayloadType.IDr, figure: 11, fixed: 4, values: { 'ID Type': IdType.ID_DER_ASN1_DN, 'Identification Data': data },
    record: { type: PayloadType.IDr, critical: false, idType: IdType.ID_DER_ASN1_DN, data } },
  { name: 'CERT', type: PayloadType.CERT, figure: 12, fixed: 1, values: { 'Cert Encoding': CertEncoding.X509_CERT_SIGNATURE, 'Certificate Data': data },
    record: { type: PayloadType.CERT, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data } },
  { name: 'CERTREQ', type: PayloadType.CERTREQ, figure: 13, fixed: 1, values: { 'Cert Encoding': CertEncoding.X509_CERT_SIGNATURE, 'Certification Authority': data },
    record: { type: PayloadType.CERTREQ, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data } },
  { name: 'AUTH', type: PayloadType.AUTH, figure: 14, fixed: 4, values: { 'Auth Method': AuthMethod.DIGITAL_SIGNATURE, 'Authentication Data': data },
    record: { type: PayloadType.AUTH, critical: false, method: AuthMethod.DIGITAL_SIGNATURE, data } },
  { name: 'Nonce', type: PayloadType.NONCE, figure: 15, fixed: 0, values: { 'Nonce Data': data },
    record: { type: PayloadType.NONCE, critical: false, data } },
  { name: 'Vendor ID', type: PayloadType.VENDOR_ID, figure: 18, fixed: 0, values: { 'Vendor ID (VID)': data },
    record: { type: PayloadType.VENDOR_ID, critical: false, data } },
  { name: 'EAP', type: PayloadType.EAP, figure: 24, fixed: 0, values: { 'EAP Message': data },
    record: { type: PayloadType.EAP, critical: false, data } },
];

describe('payloads with opaque data', () => {
  for (const c of cases) {
    it(`${c.name}: decodes Figure ${c.figure} octets and re-encodes them exactly`, () => {
      const bytes = assembleFigure(parseFigure(rfc, c.figure), { ...generic, ...c.values });
      const decoded = decodePayloadChain(c.type, bytes);
      expect(decoded).toEqual([c.record]);
      expect(encodePayloadChain(decoded)).toEqual({ firstType: c.type, bytes });
    });

    it(`${c.name}: keeps the critical bit, ignores RESERVED, refuses a short body`, () => {
      const bytes = assembleFigure(parseFigure(rfc, c.figure), { ...generic, ...c.values, C: 1, RESERVED: 0x55 });
      const [p] = decodePayloadChain(c.type, bytes);
      expect(p).toEqual({ ...c.record, critical: true });
      if (c.fixed > 0) {
        const cut = bytes.slice(0, 4 + c.fixed - 1);
        cut[3] = cut.length;
        expect(parseErrorOf(() => decodePayloadChain(c.type, cut)).code).toBe('TRUNCATED');
      }
    });
  }
});
