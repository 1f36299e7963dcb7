/**
 * Peer verification for IKE_AUTH (re-exports only): certificate and key loading, chain
 * validation, CRLs, identities and the peer trust object the IKE core uses.
 */
export * from './certs.js';
export * from './chain.js';
export * from './crl.js';
export * from './id-text.js';
export * from './identity.js';
export * from './trust.js';
export * from './x509.js';
