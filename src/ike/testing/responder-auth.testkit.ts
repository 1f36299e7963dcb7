/**
 * IKE_AUTH for the test responder (RFC 7296 §1.2, §2.15): verify the initiator's AUTH with the
 * key of its CERT, sign ours (RFC 7427 when the initiator sent SIGNATURE_HASH_ALGORITHMS, else the
 * key's classic method), answer the CP request from the pool and create the first CHILD_SA.
 * Misbehaviour (error notifies, a corrupt AUTH) comes from the options. Not part of the build.
 */
import { X509Certificate } from 'node:crypto';
import { defaultSchemeFor, sign, signedOctets, verify } from '../../crypto/sign.js';
import { AuthMethod, CertEncoding, CfgAttr, CfgType, NotifyType, PayloadType } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import { ipToBytes } from '../addr.js';
import type { IkeSa } from '../ike-sa.js';
import { idPayloadBody } from '../tasks/ike-auth.js';
import { spiNumber } from '../tasks/informational.js';
import { makeChild, pickFirst, type ResponderChild } from './responder-child.testkit.js';
import type { TestResponderOptions } from './responder.testkit.js';

/** A Notify payload without SPI. */
export const notify = (notifyType: number, data: Uint8Array = new Uint8Array(0)): NotifyPayload =>
  ({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType, data });

/** A 4-octet SPI as a number. */
export const u32 = spiNumber;

/** What the responder answered to IKE_AUTH. */
export interface AuthAnswer {
  readonly payloads: Payload[];
  /** The initiator's AUTH verified. */
  readonly verified: boolean;
  /** The CHILD_SA created, if any. */
  readonly child?: ResponderChild;
}

/** Answer the initiator's IKE_AUTH on `sa` (`peerSha`: it sent SIGNATURE_HASH_ALGORITHMS). */
export function answerAuth(o: TestResponderOptions, sa: IkeSa, req: readonly Payload[], peerSha: boolean): AuthAnswer {
  if (o.error?.where === 'auth') return { payloads: [notify(o.error.notifyType)], verified: false };
  if (!verifyInitiator(sa, req)) return { payloads: [notify(NotifyType.AUTHENTICATION_FAILED)], verified: false };
  if (sa.prf === undefined || sa.keys === undefined) return { payloads: [notify(NotifyType.INVALID_SYNTAX)], verified: true };
  const octets = signedOctets({ realMessage: sa.initMessageOut, nonce: sa.nonceI, prf: sa.prf, skP: sa.keys.skPr, idPayloadBody: idPayloadBody(o.id) });
  const useSig = peerSha && o.signatureHashes !== false;
  const method = useSig ? AuthMethod.DIGITAL_SIGNATURE : o.privateKey.asymmetricKeyType === 'rsa' ? AuthMethod.RSA_DIGITAL_SIGNATURE : AuthMethod.ECDSA_SHA256_P256;
  const authData = sign({ method, privateKey: o.privateKey, octets, ...(method === AuthMethod.DIGITAL_SIGNATURE ? { scheme: defaultSchemeFor(o.privateKey) } : {}) });
  if (o.badAuth === true) authData[authData.length - 1] = (authData[authData.length - 1] as number) ^ 1;
  const out: Payload[] = [{ type: PayloadType.IDr, critical: false, idType: o.id.idType, data: o.id.data }];
  for (const c of o.certificates) out.push({ type: PayloadType.CERT, critical: false, encoding: CertEncoding.X509_CERT_SIGNATURE, data: c });
  out.push({ type: PayloadType.AUTH, critical: false, method, data: authData });
  const cp = findPayload(req, PayloadType.CP);
  if (cp !== undefined && cp.cfgType === CfgType.CFG_REQUEST && o.pool !== undefined) {
    const attributes = [
      ...o.pool.map((a) => ({ type: CfgAttr.INTERNAL_IP4_ADDRESS, value: ipToBytes(a) })),
      { type: CfgAttr.INTERNAL_IP4_NETMASK, value: ipToBytes('255.255.255.255') },
      ...(o.dns ?? []).map((a) => ({ type: CfgAttr.INTERNAL_IP4_DNS, value: ipToBytes(a) })),
    ];
    out.push({ type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REPLY, attributes });
  }
  if (o.error?.where === 'child') return { payloads: [...out, notify(o.error.notifyType)], verified: true };
  const created = createChild(o, sa, req);
  out.push(...created.payloads);
  sa.state = 'established';
  if (o.mobike !== false) out.push(notify(NotifyType.MOBIKE_SUPPORTED));
  return { payloads: out, verified: true, ...(created.child === undefined ? {} : { child: created.child }) };
}

function verifyInitiator(sa: IkeSa, req: readonly Payload[]): boolean {
  try {
    const cert = findPayload(req, PayloadType.CERT);
    const idi = findPayload(req, PayloadType.IDi);
    const auth = findPayload(req, PayloadType.AUTH);
    if (cert === undefined || idi === undefined || auth === undefined || sa.prf === undefined || sa.keys === undefined) return false;
    const octets = signedOctets({ realMessage: sa.initMessageIn, nonce: sa.nonceR, prf: sa.prf, skP: sa.keys.skPi, idPayloadBody: idPayloadBody(idi) });
    const publicKey = new X509Certificate(Buffer.from(cert.data)).publicKey;
    return verify({ method: auth.method, authData: auth.data, publicKey, octets });
  } catch {
    return false;
  }
}

function createChild(o: TestResponderOptions, sa: IkeSa, req: readonly Payload[]): { payloads: Payload[]; child?: ResponderChild } {
  const saP = findPayload(req, PayloadType.SA);
  const tsi = findPayload(req, PayloadType.TSi);
  const tsr = findPayload(req, PayloadType.TSr);
  const first = saP?.proposals[0];
  if (first === undefined || tsi === undefined || tsr === undefined) return { payloads: [notify(NotifyType.NO_PROPOSAL_CHOSEN)] };
  const chosen = pickFirst(first);
  const vip = o.pool?.[0];
  const tsiOut = vip === undefined ? tsi.selectors : [{ tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(vip), endAddress: ipToBytes(vip) }];
  const tsrOut = o.tsr ?? tsr.selectors;
  const child = makeChild(sa, chosen, u32(first.spi), u32(chosen.spi), { ni: sa.nonceI, nr: sa.nonceR }, false, { tsi: tsiOut, tsr: tsrOut });
  const out: Payload[] = [];
  if (findNotifies(req, NotifyType.IPCOMP_SUPPORTED).length > 0) out.push(notify(NotifyType.IPCOMP_SUPPORTED, Uint8Array.of(0x12, 0x34, 2)));
  out.push({ type: PayloadType.SA, critical: false, proposals: [chosen] });
  out.push({ type: PayloadType.TSi, critical: false, selectors: tsiOut });
  out.push({ type: PayloadType.TSr, critical: false, selectors: tsrOut });
  return { payloads: out, child };
}
