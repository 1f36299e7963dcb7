/**
 * Moved to `src/crypto/dn.ts` (beside the DER reader of crypto/der.ts): pki/ renders names too,
 * and DESIGN.md's layer table lets pki/ import crypto/ but not decode/. This path re-exports it
 * until nothing imports it.
 * @deprecated import from `../crypto/dn.js`.
 */
export { dnToString, certificateSummary, type CertificateSummary } from '../crypto/dn.js';
