/**
 * Error Notify -> {@link IkeFailure}: the adapter between the tasks and `ike/peer-errors.ts`
 * (cause and fix per notify type). Until that table lands this gives the notify name and a
 * generic fix; NO_PROPOSAL_CHOSEN names what we offered.
 */
import { NOTIFY_ERROR_MAX, notifyTypeNames, NotifyType } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import type { NotifyPayload } from '../wire/payloads/notify.js';
import type { Payload } from '../wire/payload.js';
import { filterPayloads } from '../wire/payload.js';
import { PayloadType } from '../iana/ikev2.js';
import { IkeFailure, UnauthenticatedError } from './tasks/task.js';

const FIXES: Readonly<Record<number, string>> = {
  [NotifyType.NO_PROPOSAL_CHOSEN]: 'align the proposals with the gateway\'s (ike/esp proposals)',
  [NotifyType.AUTHENTICATION_FAILED]: 'check our certificate, key and identity against the gateway\'s configuration',
  [NotifyType.TS_UNACCEPTABLE]: 'narrow the traffic selectors to what the gateway allows',
  [NotifyType.INTERNAL_ADDRESS_FAILURE]: 'the gateway could not assign a virtual IP: check its address pool',
  [NotifyType.FAILED_CP_REQUIRED]: 'the gateway requires a configuration request: enable the virtual IP request',
  [NotifyType.SINGLE_PAIR_REQUIRED]: 'propose a single pair of addresses as traffic selectors',
  [NotifyType.INVALID_SYNTAX]: 'the gateway could not parse our message; report it with a capture',
  [NotifyType.TEMPORARY_FAILURE]: 'retry later',
  [NotifyType.INVALID_KE_PAYLOAD]: 'offer a key exchange group the gateway accepts',
  [NotifyType.NO_ADDITIONAL_SAS]: 'the gateway refuses more CHILD_SAs on this IKE SA',
  [NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD]: 'the gateway does not support a payload we sent',
};

/** The first error Notify in `payloads`, if any. */
export function findErrorNotify(payloads: readonly Payload[]): NotifyPayload | undefined {
  return filterPayloads(payloads, PayloadType.NOTIFY).find((n) => n.notifyType <= NOTIFY_ERROR_MAX);
}

/** The failure for an error Notify received in `exchange` (e.g. "IKE_AUTH"). */
export function peerFailure(n: NotifyPayload, exchange: string, offered?: string, unauthenticated = false): IkeFailure {
  const name = nameOf(notifyTypeNames, n.notifyType);
  const extra = n.notifyType === NotifyType.NO_PROPOSAL_CHOSEN && offered !== undefined ? ` (we offered ${offered})` : '';
  const Cls = unauthenticated ? UnauthenticatedError : IkeFailure;
  return new Cls(name, `the peer answered ${exchange} with ${name}${extra}`, FIXES[n.notifyType] ?? 'see the gateway\'s log', n.notifyType);
}
