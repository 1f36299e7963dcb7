/**
 * Answers to the peer's requests on an established IKE SA: INFORMATIONAL (liveness, NAT-D checks,
 * Deletes of CHILD_SAs or of the IKE SA) and CREATE_CHILD_SA for a CHILD_SA (rekeys are done; a new
 * CHILD_SA is refused with NO_ADDITIONAL_SAS). IKE SA rekeys are answered by `sa-set.ts`.
 */
import { ExchangeType, NotifyType, PayloadType } from '../iana/ikev2.js';
import type { Payload } from '../wire/payload.js';
import type { NotifyPayload } from '../wire/payloads/notify.js';
import type { ChildTable } from './children.js';
import { respondCreateChild } from './tasks/child-rekey.js';
import { informationalResponse, readInformational } from './tasks/informational.js';
import type { TaskContext } from './tasks/task.js';

/** N(TEMPORARY_FAILURE): the answer to a request that collides with one of ours (RFC 7296 §2.25). */
export function temporaryFailure(): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.TEMPORARY_FAILURE, data: new Uint8Array(0) };
}

/** Response payloads, and whether the peer deleted the IKE SA. */
export interface PeerRequestResult {
  readonly response: Payload[];
  readonly deleteIke: boolean;
}

/** Handle one authenticated peer request. */
export function handlePeerRequest(ctx: TaskContext, exchangeType: number, payloads: readonly Payload[], children: ChildTable): PeerRequestResult {
  if (exchangeType === ExchangeType.CREATE_CHILD_SA) {
    const r = respondCreateChild(ctx, payloads, (spi) => children.findByOutboundSpi(spi));
    if (r.rekeyed !== undefined) {
      children.peerRekeyed(r.rekeyed.old, r.rekeyed.child, r.rekeyed.nonces, ctx.now);
      ctx.log(2, `peer rekeyed CHILD_SA ${r.rekeyed.old.params.spiIn.toString(16)} -> ${r.rekeyed.child.params.spiIn.toString(16)}`);
    } else {
      ctx.log(1, 'refused a CREATE_CHILD_SA request from the peer');
    }
    return { response: r.response, deleteIke: false };
  }
  if (exchangeType !== ExchangeType.INFORMATIONAL) {
    ctx.log(1, `refusing peer exchange ${exchangeType}`);
    return { response: [{ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.NO_ADDITIONAL_SAS, data: new Uint8Array(0) }], deleteIke: false };
  }
  const req = readInformational(payloads);
  if (req.deleteIke) return { response: [], deleteIke: true };
  const deletedIn: number[] = [];
  for (const spiOut of req.deleteChildOut) {
    const c = children.findByOutboundSpi(spiOut);
    if (c !== undefined && children.remove(c.params.spiIn, true)) deletedIn.push(c.params.spiIn);
  }
  return { response: informationalResponse(ctx, req, deletedIn), deleteIke: false };
}
