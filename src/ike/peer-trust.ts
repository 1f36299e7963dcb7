/**
 * A {@link PeerTrust} over `pki/`: chain validation to the configured CAs (dates, signatures,
 * basicConstraints, keyUsage, optional CRLs), then the identity check of IDr against the end
 * entity (SAN DNS / email / IP, or the subject DN) and, when configured, against the expected
 * remote identity.
 */
import type { KeyObject } from 'node:crypto';
import { certreqData, publicKeyOf } from '../pki/certs.js';
import { verifyChain } from '../pki/chain.js';
import type { CertInfo } from '../pki/x509.js';
import { IdType, idTypeNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import { bytesEqual } from '../util/bytes.js';
import type { IkeIdentity, PeerTrust } from './config.js';
import { IkeFailure } from './tasks/task.js';

/** Options of {@link createPeerTrust}. */
export interface PeerTrustOptions {
  /** Trusted CA certificates (DER). */
  readonly cas: readonly Uint8Array[];
  /** CRLs (DER). */
  readonly crls?: readonly Uint8Array[];
  /** The identity the peer must have (default: whatever IDr it sends, if its certificate matches). */
  readonly expectedId?: IkeIdentity;
  /** Wall clock for validity dates (default Date.now). */
  readonly now?: () => number;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8').toLowerCase();

/** Does `id` name the certificate `leaf` (RFC 4945 §3.1 style)? */
export function certMatchesId(leaf: CertInfo, id: IkeIdentity): boolean {
  switch (id.idType) {
    case IdType.ID_FQDN:
      return leaf.altNames.some((a) => a.kind === 'dns' && a.value.toLowerCase() === text(id.data));
    case IdType.ID_RFC822_ADDR:
      return leaf.altNames.some((a) => a.kind === 'email' && a.value.toLowerCase() === text(id.data));
    case IdType.ID_IPV4_ADDR:
    case IdType.ID_IPV6_ADDR:
      return leaf.altNames.some((a) => a.kind === 'ip' && bytesEqual(a.value, id.data));
    case IdType.ID_DER_ASN1_DN:
      return bytesEqual(leaf.subject, id.data);
    default:
      return false;
  }
}

function describeId(id: IkeIdentity): string {
  return `${nameOf(idTypeNames, id.idType)} ${id.idType === IdType.ID_DER_ASN1_DN ? '(DN)' : Buffer.from(id.data).toString('utf8')}`;
}

/** Build the trust object the initiator uses to accept the responder. */
export function createPeerTrust(o: PeerTrustOptions): PeerTrust {
  const clock = o.now ?? Date.now;
  return {
    certreqData: certreqData(o.cas),
    verifyPeer(certs: readonly Uint8Array[], idr: IkeIdentity): KeyObject {
      const [leaf, ...rest] = certs;
      if (leaf === undefined) throw new IkeFailure('NO_PEER_CERT', 'the peer sent no certificate', 'configure the gateway to send its certificate');
      const chain = verifyChain({ leaf, intermediates: rest, trustAnchors: o.cas, now: clock(), ...(o.crls === undefined ? {} : { crls: o.crls }) });
      if (!certMatchesId(chain.leaf, idr)) {
        throw new IkeFailure('PEER_ID_MISMATCH', `the peer's IDr ${describeId(idr)} does not match its certificate ${chain.leaf.subjectText}`, 'fix the gateway\'s identity (leftid / local id) to match its certificate');
      }
      const want = o.expectedId;
      if (want !== undefined && (want.idType !== idr.idType || !bytesEqual(want.data, idr.data)) && !certMatchesId(chain.leaf, want)) {
        throw new IkeFailure('PEER_ID_MISMATCH', `the peer is ${describeId(idr)}, expected ${describeId(want)}`, 'set the expected remote identity to the gateway\'s');
      }
      return publicKeyOf(leaf);
    },
  };
}
