/**
 * IKE_AUTH authentication (RFC 7296 §1.2, §2.15, §3.5-§3.8): IDi, CERT (+chain), CERTREQ, optional
 * IDr, AUTH (RFC 7427 method 14 when the peer sent SIGNATURE_HASH_ALGORITHMS, else method 1 for
 * RSA or 9-11 for ECDSA); then the peer's AUTH, chain and identity. The responder's error notify
 * ends the attempt with cause and fix.
 */
import type { KeyObject } from 'node:crypto';
import { defaultSchemeFor, sign, signedOctets, verify } from '../../crypto/sign.js';
import { AuthMethod, CertEncoding, ExchangeType, NotifyType, PayloadType, authMethodNames } from '../../iana/ikev2.js';
import { nameOf } from '../../iana/names.js';
import { concat } from '../../util/bytes.js';
import type { Payload } from '../../wire/payload.js';
import { filterPayloads, findNotifies, findPayload } from '../../wire/payload.js';
import type { IdPayload } from '../../wire/payloads/id.js';
import type { IkeIdentity } from '../config.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

/** RestOfIDPayload (RFC 7296 §2.15): ID Type, three reserved octets, data. */
export function idPayloadBody(id: IkeIdentity): Uint8Array {
  return concat(Uint8Array.of(id.idType, 0, 0, 0), id.data);
}

/** The AUTH method we use with `key` given the peer's advertised hash algorithms. */
export function authMethodFor(key: KeyObject, peerHashes: readonly number[]): number {
  if (peerHashes.length > 0) return AuthMethod.DIGITAL_SIGNATURE;
  if (key.asymmetricKeyType === 'rsa') return AuthMethod.RSA_DIGITAL_SIGNATURE;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return AuthMethod.ECDSA_SHA256_P256;
  if (curve === 'secp384r1') return AuthMethod.ECDSA_SHA384_P384;
  if (curve === 'secp521r1') return AuthMethod.ECDSA_SHA512_P521;
  return AuthMethod.DIGITAL_SIGNATURE;
}

const AUTH_FIX = 'check the gateway certificate, the configured CA and the expected remote identity';

/** The authentication task of IKE_AUTH. */
export class IkeAuthTask implements Task {
  readonly name = 'IKE_AUTH';

  build(ctx: TaskContext): Payload[] {
    const { sa, config } = ctx;
    const keys = sa.keys;
    const prf = sa.prf;
    if (keys === undefined || prf === undefined) throw new IkeFailure('INTERNAL', 'IKE_AUTH before keys', '');
    const out: Payload[] = [{ type: PayloadType.IDi, critical: false, idType: config.localId.idType, data: config.localId.data }];
    for (const der of config.certificates) out.push({ type: PayloadType.CERT, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: der });
    if (config.initialContact) out.push({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.INITIAL_CONTACT, data: new Uint8Array(0) });
    if (config.trust.certreqData.length > 0) out.push({ type: PayloadType.CERTREQ, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: config.trust.certreqData });
    if (config.remoteId !== undefined) out.push({ type: PayloadType.IDr, critical: false, idType: config.remoteId.idType, data: config.remoteId.data });
    const octets = signedOctets({ realMessage: sa.initMessageOut, nonce: sa.nonceR, prf, skP: keys.skPi, idPayloadBody: idPayloadBody(config.localId) });
    const method = authMethodFor(config.privateKey, sa.peer.signatureHashes);
    const data = sign({ method, privateKey: config.privateKey, octets, ...(method === AuthMethod.DIGITAL_SIGNATURE ? { scheme: defaultSchemeFor(config.privateKey) } : {}) });
    ctx.log(3, `AUTH method ${nameOf(authMethodNames, method)}`);
    out.push({ type: PayloadType.AUTH, critical: false, method, data });
    if (config.mobike) out.push({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.MOBIKE_SUPPORTED, data: new Uint8Array(0) });
    return out;
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    // Errors about the CHILD_SA alone leave the IKE SA up (RFC 7296 §1.2); child-create reports them.
    if (err !== undefined && findPayload(response, PayloadType.AUTH) === undefined) throw peerFailure(err, { exchange: ExchangeType.IKE_AUTH });
    const { sa, config } = ctx;
    const idr = findPayload(response, PayloadType.IDr);
    const auth = findPayload(response, PayloadType.AUTH);
    if (idr === undefined || auth === undefined) throw new IkeFailure('INVALID_SYNTAX', 'IKE_AUTH response lacks IDr or AUTH', 'the gateway may require EAP, which Kite does not do');
    const certs = filterPayloads(response, PayloadType.CERT).filter((c) => c.encoding === CertEncoding.X509_CERT_SIGNATURE).map((c) => c.data);
    if (certs.length === 0) throw new IkeFailure('NO_PEER_CERTIFICATE', 'the peer sent no X.509 certificate in IKE_AUTH', 'configure the gateway to send its certificate (strongSwan: leftsendcert=always / send_cert = always; iked: a certificate for its ID)');
    const id: IdPayload = idr;
    const publicKey = config.trust.verifyPeer(certs, { idType: id.idType, data: id.data }, config.wallClock());
    const keys = sa.keys;
    const prf = sa.prf;
    if (keys === undefined || prf === undefined) throw new IkeFailure('INTERNAL', 'no keys', '');
    const octets = signedOctets({ realMessage: sa.initMessageIn, nonce: sa.nonceI, prf, skP: keys.skPr, idPayloadBody: idPayloadBody(id) });
    const accepted = [AuthMethod.RSA_DIGITAL_SIGNATURE, AuthMethod.ECDSA_SHA256_P256, AuthMethod.ECDSA_SHA384_P384, AuthMethod.ECDSA_SHA512_P521, AuthMethod.DIGITAL_SIGNATURE] as const;
    if (!(accepted as readonly number[]).includes(auth.method)) {
      throw new IkeFailure('AUTH_METHOD', `the peer authenticated with ${nameOf(authMethodNames, auth.method)}`, 'configure the gateway for certificate (public key) authentication');
    }
    if (!verify({ method: auth.method, authData: auth.data, publicKey, octets })) {
      throw new IkeFailure('AUTHENTICATION_FAILED', `the peer's AUTH (${nameOf(authMethodNames, auth.method)}) does not verify`, AUTH_FIX);
    }
    sa.authenticated = true;
    sa.peer.mobike = findNotifies(response, NotifyType.MOBIKE_SUPPORTED).length > 0;
    ctx.log(2, `peer authenticated with ${nameOf(authMethodNames, auth.method)}`);
    return 'done';
  }
}
