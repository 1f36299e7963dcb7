/**
 * Error Notify payloads in responses -> user-facing errors, through `ike/peer-errors.ts` (the one
 * table of causes and fixes). IKE_SA_INIT errors are unauthenticated and wrapped accordingly.
 */
import { NOTIFY_ERROR_MAX, NotifyType, PayloadType } from '../iana/ikev2.js';
import type { Payload } from '../wire/payload.js';
import { filterPayloads } from '../wire/payload.js';
import type { NotifyPayload } from '../wire/payloads/notify.js';
import { PeerError, peerError, type PeerErrorContext } from './peer-errors.js';

/** The first error Notify in `payloads`, if any. */
export function findErrorNotify(payloads: readonly Payload[]): NotifyPayload | undefined {
  return filterPayloads(payloads, PayloadType.NOTIFY).find((n) => n.notifyType <= NOTIFY_ERROR_MAX);
}

/** The {@link PeerError} for error Notify `n` (its data is passed on for the detail). */
export function peerFailure(n: NotifyPayload, ctx: Omit<PeerErrorContext, 'data'>): PeerError {
  return peerError(n.notifyType, { ...ctx, data: n.data });
}

/** The peer refused a request for now (RFC 7296 §2.25): retry after a while, not at once. */
export function isTemporaryFailure(error: unknown): boolean {
  return error instanceof PeerError && error.notifyType === NotifyType.TEMPORARY_FAILURE;
}

/** The peer does not have the CHILD_SA a request named (RFC 7296 §2.25). */
export function isChildSaNotFound(error: unknown): boolean {
  return error instanceof PeerError && error.notifyType === NotifyType.CHILD_SA_NOT_FOUND;
}
