/**
 * Error Notify payloads (RFC 7296 §3.10.1 and later RFCs) mapped in ONE place, both ways:
 *   - from the peer: every error notify becomes a {@link PeerError} naming the cause and the
 *     likely fix (NO_PROPOSAL_CHOSEN prints what we offered, TS_UNACCEPTABLE what we proposed);
 *   - to the peer: which error notify answers a local failure (strongSwan's reaction table).
 */
import { KiteError, ParseError } from '../errors.js';
import { ExchangeType, NOTIFY_ERROR_MAX, NotifyError, exchangeTypeNames, notifyTypeNames, payloadTypeNames, keGroupNames } from '../iana/ikev2.js';
import { nameOf } from '../iana/names.js';
import type { Proposal } from '../wire/payloads/sa.js';
import type { AnyTrafficSelector } from '../wire/payloads/ts.js';
import { describeProposals } from './proposal.js';
import { describeTsPair } from './ts.js';

/** What a peer error ends: the whole IKE SA, or only the CHILD_SA being created (RFC 7296 §1.2, §2.21.2). */
export type PeerErrorScope = 'ike' | 'child';

/** Cause and fix of one error notify. */
interface Entry {
  readonly cause: string;
  readonly fix: string;
  /** Errors that in IKE_AUTH / CREATE_CHILD_SA concern only the CHILD_SA. */
  readonly child?: true;
}

/** The table: error notify type -> cause and fix (texts completed by {@link peerError} from the context). */
const ENTRIES: Readonly<Record<number, Entry>> = {
  [NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD]: { cause: 'the gateway does not support a payload we marked critical', fix: 'report it with a capture (kite decode); turn off the option that adds that payload' },
  [NotifyError.INVALID_IKE_SPI]: { cause: 'the gateway does not know this IKE SA (it restarted or already deleted it)', fix: 'reconnect' },
  [NotifyError.INVALID_MAJOR_VERSION]: { cause: 'the gateway does not speak IKEv2', fix: 'enable IKEv2 on the gateway (strongSwan keyexchange=ikev2, iked "ikev2")' },
  [NotifyError.INVALID_SYNTAX]: { cause: 'the gateway could not parse or accept our message', fix: 'report it with a capture (kite decode) and the gateway\'s log' },
  [NotifyError.INVALID_MESSAGE_ID]: { cause: 'our message ID is outside the gateway\'s window (the two sides got out of step)', fix: 'reconnect' },
  [NotifyError.INVALID_SPI]: { cause: 'the gateway does not know the SPI we referred to', fix: 'reconnect if traffic stops' },
  [NotifyError.NO_PROPOSAL_CHOSEN]: { cause: 'none of our proposals is acceptable to the gateway', fix: 'add one the gateway accepts (openiked 7.2\'s Linux default for ESP is aes256-sha512 / aes256-sha384, no ESN; see the gateway\'s log for its list)', child: true },
  [NotifyError.INVALID_KE_PAYLOAD]: { cause: 'the gateway wants a different key exchange group', fix: 'Kite retries once with the group asked for when it was offered; otherwise add that group to the IKE proposals' },
  [NotifyError.AUTHENTICATION_FAILED]: { cause: 'the gateway rejected our authentication', fix: 'check that our certificate was issued by a CA the gateway trusts, that our ID is one the gateway expects (iked dstid / strongSwan rightid) and is contained in our certificate, and that the private key belongs to the certificate; the gateway\'s log says which' },
  [NotifyError.SINGLE_PAIR_REQUIRED]: { cause: 'the gateway accepts only one pair of addresses as traffic selectors', fix: 'configure a single local and a single remote subnet', child: true },
  [NotifyError.NO_ADDITIONAL_SAS]: { cause: 'the gateway accepts no more CHILD_SAs on this IKE SA', fix: 'reconnect, or configure fewer tunnels per connection', child: true },
  [NotifyError.INTERNAL_ADDRESS_FAILURE]: { cause: 'the gateway could not assign us a virtual IP', fix: 'check the gateway\'s address pool (iked "config address", strongSwan pools) and that it is not exhausted, or do not request a virtual IP', child: true },
  [NotifyError.FAILED_CP_REQUIRED]: { cause: 'the gateway requires a configuration request (virtual IP) and we sent none', fix: 'request a virtual IP (leftsourceip=%config / --virtual-ip)', child: true },
  [NotifyError.TS_UNACCEPTABLE]: { cause: 'the gateway\'s policy does not allow our traffic selectors', fix: 'align the local/remote subnets with the gateway\'s policy (iked "from ... to ...", strongSwan leftsubnet/rightsubnet)', child: true },
  [NotifyError.INVALID_SELECTORS]: { cause: 'the gateway received an ESP packet whose addresses do not match the CHILD_SA', fix: 'send only traffic within the negotiated traffic selectors (check routes)' },
  [NotifyError.UNACCEPTABLE_ADDRESSES]: { cause: 'the gateway refused our new address (MOBIKE)', fix: 'check the new path reaches the gateway; reconnect' },
  [NotifyError.UNEXPECTED_NAT_DETECTED]: { cause: 'the gateway detected NAT although NAT was not allowed (MOBIKE NO_NATS_ALLOWED)', fix: 'allow NAT, or use a path without NAT' },
  [NotifyError.USE_ASSIGNED_HoA]: { cause: 'the gateway wants us to use the home address it assigned (Mobile IPv6)', fix: 'use the assigned home address' },
  [NotifyError.TEMPORARY_FAILURE]: { cause: 'the gateway is busy with another exchange on this SA (e.g. a simultaneous rekey)', fix: 'nothing: Kite retries a rekey after 10 to 15 s' },
  [NotifyError.CHILD_SA_NOT_FOUND]: { cause: 'the gateway does not know the CHILD_SA we tried to rekey or delete', fix: 'nothing: Kite drops its copy of a CHILD_SA the gateway lost and creates a fresh one (RFC 7296 §2.25); if that fails too, reconnect', child: true },
  [NotifyError.INVALID_GROUP_ID]: { cause: 'the gateway does not know the group we asked for (G-IKEv2)', fix: 'check the group ID' },
  [NotifyError.AUTHORIZATION_FAILED]: { cause: 'the gateway authenticated us but does not authorize this identity', fix: 'ask the gateway\'s administrator to allow our identity' },
  [NotifyError.STATE_NOT_FOUND]: { cause: 'the gateway has no state for our request', fix: 'reconnect' },
  [NotifyError.TS_MAX_QUEUE]: { cause: 'the gateway reached its limit of CHILD_SAs for these traffic selectors', fix: 'configure fewer parallel CHILD_SAs', child: true },
};

/** An error notify received from the peer, as a user-facing error. */
export class PeerError extends KiteError {
  override readonly name = 'PeerError';
  /** Notify Message Type. */
  readonly notifyType: number;
  /** Exchange in which it arrived, e.g. `IKE_AUTH`. */
  readonly exchange: string;
  /** What went wrong, in words (narrows Error's `cause`). */
  override readonly cause: string;
  /** The likely fix, in words. */
  readonly fix: string;
  /** Whether the IKE SA is lost or only the CHILD_SA. */
  readonly scope: PeerErrorScope;

  constructor(notifyType: number, exchange: string, cause: string, fix: string, scope: PeerErrorScope) {
    const name = nameOf(notifyTypeNames, notifyType);
    super(name, `the gateway answered ${exchange} with ${name}: ${cause}; fix: ${fix}`);
    this.notifyType = notifyType;
    this.exchange = exchange;
    this.cause = cause;
    this.fix = fix;
    this.scope = scope;
  }
}

/** What we know about the request the error answers. */
export interface PeerErrorContext {
  /** Exchange type (number) or name. */
  readonly exchange: number | string;
  /** Notification Data of the notify. */
  readonly data?: Uint8Array;
  /** The SA proposals we sent (for NO_PROPOSAL_CHOSEN). */
  readonly offered?: readonly Proposal[];
  /** The traffic selectors we sent (for TS_UNACCEPTABLE, SINGLE_PAIR_REQUIRED). */
  readonly offeredTs?: { readonly tsi: readonly AnyTrafficSelector[]; readonly tsr: readonly AnyTrafficSelector[] };
}

/** Whether a Notify Message Type is an error (RFC 7296 §3.10.1: below 16384). */
export function isErrorNotify(notifyType: number): boolean {
  return notifyType <= NOTIFY_ERROR_MAX;
}

function detail(notifyType: number, ctx: PeerErrorContext): string {
  const d = ctx.data;
  switch (notifyType) {
    case NotifyError.NO_PROPOSAL_CHOSEN:
      return ctx.offered !== undefined ? ` (we offered ${describeProposals(ctx.offered)})` : '';
    case NotifyError.TS_UNACCEPTABLE:
    case NotifyError.SINGLE_PAIR_REQUIRED:
      return ctx.offeredTs !== undefined ? ` (we proposed ${describeTsPair(ctx.offeredTs)})` : '';
    case NotifyError.INVALID_KE_PAYLOAD:
      return d !== undefined && d.length === 2 ? `: ${nameOf(keGroupNames, ((d[0] as number) << 8) | (d[1] as number))}` : '';
    case NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD:
      return d !== undefined && d.length >= 1 ? ` (payload type ${nameOf(payloadTypeNames, d[0] as number)})` : '';
    case NotifyError.INVALID_SPI:
    case NotifyError.CHILD_SA_NOT_FOUND:
      return d !== undefined && d.length > 0 ? ` (SPI 0x${Buffer.from(d).toString('hex')})` : '';
    default:
      return '';
  }
}

/**
 * The user-facing error for an error notify from the peer. In IKE_AUTH and CREATE_CHILD_SA the
 * CHILD_SA errors (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, ...) leave the IKE SA up (`scope`
 * `child`); in IKE_SA_INIT everything ends the attempt.
 */
export function peerError(notifyType: number, ctx: PeerErrorContext): PeerError {
  const exchange = typeof ctx.exchange === 'number' ? nameOf(exchangeTypeNames, ctx.exchange) : ctx.exchange;
  const entry = ENTRIES[notifyType];
  const cause = `${entry?.cause ?? (isErrorNotify(notifyType) ? 'the gateway reported an error Kite has no description for' : 'the gateway sent a status notify')}${detail(notifyType, ctx)}`;
  const fix = entry?.fix ?? 'see the gateway\'s log';
  const childExchange = exchange === nameOf(exchangeTypeNames, ExchangeType.IKE_AUTH) || exchange === nameOf(exchangeTypeNames, ExchangeType.CREATE_CHILD_SA);
  return new PeerError(notifyType, exchange, cause, fix, entry?.child === true && childExchange ? 'child' : 'ike');
}

/** The error notify to send for a local failure, with its Notification Data. */
export interface NotifyReaction {
  /** Notify Message Type. */
  readonly notifyType: number;
  /** Notification Data (e.g. the payload type for UNSUPPORTED_CRITICAL_PAYLOAD). */
  readonly data: Uint8Array;
}

/** Local error code -> the error notify that answers it (RFC 7296 §2.21). */
export const LOCAL_ERROR_NOTIFY = {
  UNSUPPORTED_CRITICAL_PAYLOAD: NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD,
  INVALID_SYNTAX: NotifyError.INVALID_SYNTAX,
  TRUNCATED: NotifyError.INVALID_SYNTAX,
  BAD_LENGTH: NotifyError.INVALID_SYNTAX,
  BAD_VALUE: NotifyError.INVALID_SYNTAX,
  LIMIT: NotifyError.INVALID_SYNTAX,
  PROPOSAL_MISMATCH: NotifyError.INVALID_SYNTAX,
  BAD_PROPOSAL: NotifyError.NO_PROPOSAL_CHOSEN,
  NO_PROPOSAL_CHOSEN: NotifyError.NO_PROPOSAL_CHOSEN,
  TS_UNACCEPTABLE: NotifyError.TS_UNACCEPTABLE,
  CHILD_SA_NOT_FOUND: NotifyError.CHILD_SA_NOT_FOUND,
  TEMPORARY_FAILURE: NotifyError.TEMPORARY_FAILURE,
  AUTHENTICATION_FAILED: NotifyError.AUTHENTICATION_FAILED,
  AUTH_METHOD: NotifyError.AUTHENTICATION_FAILED,
  NO_PEER_CERTIFICATE: NotifyError.AUTHENTICATION_FAILED,
  CHAIN_UNTRUSTED: NotifyError.AUTHENTICATION_FAILED,
  CERT_EXPIRED: NotifyError.AUTHENTICATION_FAILED,
  CERT_NOT_YET_VALID: NotifyError.AUTHENTICATION_FAILED,
  CERT_REVOKED: NotifyError.AUTHENTICATION_FAILED,
  CERT_CRITICAL_EXTENSION: NotifyError.AUTHENTICATION_FAILED,
  CA_CONSTRAINTS: NotifyError.AUTHENTICATION_FAILED,
  KEY_USAGE: NotifyError.AUTHENTICATION_FAILED,
  CRL_INVALID: NotifyError.AUTHENTICATION_FAILED,
  ID_MISMATCH: NotifyError.AUTHENTICATION_FAILED,
  BAD_CERTIFICATE: NotifyError.AUTHENTICATION_FAILED,
  UNSUPPORTED_SIGNATURE: NotifyError.AUTHENTICATION_FAILED,
  UNSUPPORTED_AUTH_METHOD: NotifyError.AUTHENTICATION_FAILED,
} as const;

/**
 * The error notify to send in answer to a request that failed with `error` locally, or undefined
 * when the failure needs no notify (or is not ours to report). UNSUPPORTED_CRITICAL_PAYLOAD
 * carries the payload type as its one octet of data (RFC 7296 §3.10.1).
 */
export function notifyForLocalError(error: unknown): NotifyReaction | undefined {
  if (!(error instanceof KiteError) && !(error instanceof ParseError)) return undefined;
  const notifyType = (LOCAL_ERROR_NOTIFY as Readonly<Record<string, number>>)[error.code];
  if (notifyType === undefined) return undefined;
  if (notifyType === NotifyError.UNSUPPORTED_CRITICAL_PAYLOAD) {
    const t = error instanceof ParseError ? error.payloadType : undefined;
    return { notifyType, data: t === undefined ? new Uint8Array(0) : Uint8Array.of(t & 0xff) };
  }
  return { notifyType, data: new Uint8Array(0) };
}
