/**
 * Peer trust for the IKE core (structurally the `PeerTrust` of `ike/config.ts`): our CAs' CERTREQ
 * data, and `verifyPeer`, which validates the peer's CERT chain to one of our CAs, checks that the
 * certificate backs the IDr the peer sent (and the remote ID we configured), and returns the key
 * that must verify the peer's AUTH.
 */
import type { KeyObject } from 'node:crypto';
import { KiteError } from '../errors.js';
import { verifyChain } from './chain.js';
import { certreqData, publicKeyOf } from './certs.js';
import { parseCrl } from './crl.js';
import { checkPeerIdentity, type Identity } from './identity.js';
import { parseCertificate } from './x509.js';

/** What we trust. */
export interface TrustOptions {
  /** Our CA certificates (DER). */
  readonly cas: readonly Uint8Array[];
  /** Optional CRLs (DER). */
  readonly crls?: readonly Uint8Array[];
  /** The identity the peer must prove, when configured (strongSwan `rightid`). */
  readonly remoteId?: Identity;
}

/** The peer verifier handed to the IKE core. */
export interface PeerVerifier {
  /** CERTREQ Certification Authority data: our CAs' SHA-1 SPKI hashes. */
  readonly certreqData: Uint8Array;
  /**
   * Validate `certs` (end entity first, DER) at `now`, check the identities, return the end
   * entity's public key. Throws CertificateError, IdentityError or KiteError `NO_PEER_CERTIFICATE`.
   */
  verifyPeer(certs: readonly Uint8Array[], idr: Identity, now: number | Date): KeyObject;
}

/**
 * Build a {@link PeerVerifier}; throws KiteError `NO_CA` when no CA is configured. The CAs and CRLs
 * are parsed here, once; each handshake parses the peer's certificates once.
 */
export function createPeerTrust(options: TrustOptions): PeerVerifier {
  if (options.cas.length === 0) throw new KiteError('NO_CA', 'no CA certificate configured; fix: give the CA that issued the gateway\'s certificate with --ca');
  const cas = options.cas.map(parseCertificate);
  const crls = (options.crls ?? []).map(parseCrl);
  return {
    certreqData: certreqData(cas),
    verifyPeer(certs, idr, now) {
      const [leaf, ...intermediates] = certs;
      if (leaf === undefined) {
        throw new KiteError('NO_PEER_CERTIFICATE', 'the peer sent no certificate in IKE_AUTH; fix: configure the gateway to send its certificate (strongSwan: leftsendcert=always; iked: a certificate for its ID)');
      }
      const { leaf: info } = verifyChain({ leaf: parseCertificate(leaf), intermediates, trustAnchors: cas, now, crls });
      checkPeerIdentity(info, idr);
      if (options.remoteId !== undefined) checkPeerIdentity(info, options.remoteId);
      return publicKeyOf(info);
    },
  };
}
