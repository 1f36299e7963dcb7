/**
 * The task manager (strongSwan's `task_manager_v2`): the only owner of Message IDs, the request
 * window (size 1), retransmission (timeout × base^n, `tries` retransmissions), the cache of our
 * last response for duplicate peer requests, and fragment reassembly state. Pure: time comes in
 * as `now`; the next deadline goes out through {@link TaskManager.nextDeadline}.
 */
import { KiteError } from '../errors.js';
import { ExchangeType, NotifyType, PayloadType } from '../iana/ikev2.js';
import { encodeMessage } from '../wire/message.js';
import type { Payload } from '../wire/payload.js';
import { FragmentReassembler } from './fragment.js';
import type { IkeSa } from './ike-sa.js';
import { headerFor, protect } from './protect.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import { IkeFailure, UnauthenticatedError } from './tasks/task.js';
import type { RetransmitConfig } from './config.js';

/** What the task manager needs from its owner. */
export interface TaskManagerHost {
  readonly sa: IkeSa;
  readonly retransmit: RetransmitConfig;
  readonly unauthenticatedErrorWaitMs: number;
  /** Fragment size to use for protected messages, or undefined for none. */
  fragmentSize(): number | undefined;
  context(now: number): TaskContext;
  /** Put datagrams on the wire (the host chooses ports and marker). */
  send(packets: readonly Uint8Array[], now: number): void;
  /** An exchange failed: a critical one ends the SA. `timeout` when retransmissions ran out. */
  failed(exchange: Exchange, error: KiteError, timeout: boolean, now: number): void;
  /** Answer a peer request; returns the response payloads. */
  respond(exchangeType: number, payloads: readonly Payload[], now: number): Payload[];
}

interface Active {
  readonly exchange: Exchange;
  readonly messageId: number;
  packets: readonly Uint8Array[];
  retransmits: number;
  deadline: number;
  unauthError?: { readonly error: UnauthenticatedError; readonly until: number };
}

/** Owns the request window and the response cache of one IKE SA. */
export class TaskManager {
  private readonly queue: Exchange[] = [];
  private active: Active | undefined;
  private cached: { messageId: number; packets: readonly Uint8Array[] } | undefined;
  private readonly responseFragments = new FragmentReassembler();
  private readonly requestFragments = new FragmentReassembler();
  private requestFragmentsId = -1;

  constructor(private readonly host: TaskManagerHost) {}

  /** Queue an exchange; it starts when the window is free. */
  enqueue(exchange: Exchange, now: number): void {
    this.queue.push(exchange);
    this.initiate(now);
  }

  /** True when a request is outstanding. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Exchanges waiting (not counting the active one). */
  get queued(): number {
    return this.queue.length;
  }

  /** Message ID of the outstanding request, if any. */
  get activeMessageId(): number | undefined {
    return this.active?.messageId;
  }

  /** Reassembler for fragments of the response to our outstanding request. */
  get responseReassembler(): FragmentReassembler {
    return this.responseFragments;
  }

  /** Reassembler for fragments of peer request `messageId`. */
  requestReassembler(messageId: number): FragmentReassembler {
    if (messageId !== this.requestFragmentsId) {
      this.requestFragments.reset();
      this.requestFragmentsId = messageId;
    }
    return this.requestFragments;
  }

  /** Remove `exchange` if it is still queued (not started); true when it was. */
  cancel(exchange: Exchange): boolean {
    const i = this.queue.indexOf(exchange);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Take the exchanges not yet started (they move to the IKE SA that replaces this one). */
  drainQueue(): Exchange[] {
    return this.queue.splice(0);
  }

  /** The SA goes away under a running exchange: let it clean up (`onFailed`), then drop everything. */
  abandon(now: number): void {
    const a = this.active;
    this.active = undefined;
    if (a !== undefined) a.exchange.onFailed?.(this.host.context(now));
    this.clear();
  }

  /** Drop everything (SA gone). */
  clear(): void {
    this.queue.length = 0;
    this.active = undefined;
    this.cached = undefined;
  }

  private build(exchange: Exchange, messageId: number, now: number): Uint8Array[] {
    const sa = this.host.sa;
    const ctx = this.host.context(now);
    const payloads = exchange.tasks.flatMap((t) => t.build(ctx));
    if (exchange.exchangeType === ExchangeType.IKE_SA_INIT) {
      const bytes = encodeMessage({ header: headerFor(sa, exchange.exchangeType, false, messageId), payloads });
      sa.initMessageOut = bytes;
      return [bytes];
    }
    const fragmentSize = this.host.fragmentSize();
    return protect(sa, { exchangeType: exchange.exchangeType, response: false, messageId, payloads, ...(fragmentSize === undefined ? {} : { fragmentSize }), random: ctx.random });
  }

  private initiate(now: number): void {
    if (this.active !== undefined) return;
    const exchange = this.queue.shift();
    if (exchange === undefined) return;
    const sa = this.host.sa;
    const messageId = sa.nextRequestId;
    let packets: Uint8Array[];
    try {
      packets = this.build(exchange, messageId, now);
    } catch (e) {
      const failure = asFailure(e);
      exchange.onFailed?.(this.host.context(now), failure);
      this.host.failed(exchange, failure, false, now);
      this.initiate(now);
      return;
    }
    this.active = { exchange, messageId, packets, retransmits: 0, deadline: now + this.host.retransmit.timeoutMs };
    this.responseFragments.reset();
    this.host.send(packets, now);
  }

  /**
   * A response (decoded and, for protected exchanges, decrypted) arrived. Returns false when it
   * does not belong to the outstanding request (dropped).
   */
  onResponse(exchangeType: number, messageId: number, payloads: readonly Payload[], now: number): boolean {
    const a = this.active;
    if (a === undefined || a.messageId !== messageId || a.exchange.exchangeType !== exchangeType) return false;
    const ctx = this.host.context(now);
    let retry = false;
    try {
      for (const task of a.exchange.tasks) if (task.process(ctx, payloads) === 'retry') retry = true;
    } catch (e) {
      if (e instanceof UnauthenticatedError) {
        a.unauthError ??= { error: e, until: now + this.host.unauthenticatedErrorWaitMs };
        ctx.log(1, `ignoring unauthenticated error for now: ${e.message}`);
        return true;
      }
      this.active = undefined;
      // The exchange is over (the peer answered, if with an error): its Message ID is used up.
      this.host.sa.nextRequestId = messageId + 1;
      const failure = asFailure(e);
      for (const t of a.exchange.tasks) t.abort?.(ctx);
      a.exchange.onFailed?.(ctx, failure);
      this.host.failed(a.exchange, failure, false, now);
      this.initiate(now);
      return true;
    }
    this.active = undefined;
    if (retry) {
      this.queue.unshift(a.exchange);
    } else {
      this.host.sa.nextRequestId = messageId + 1;
      a.exchange.onComplete?.(ctx);
    }
    this.initiate(now);
    return true;
  }

  /**
   * A peer request. `messageId` was read from the header; `decrypt` verifies and decrypts (and may
   * return undefined while fragments are missing, `invalid` for an authentic but malformed one).
   */
  onRequest(exchangeType: number, messageId: number, decrypt: () => readonly Payload[] | undefined | 'invalid', now: number): void {
    const sa = this.host.sa;
    const retransmit = this.cached !== undefined && messageId === this.cached.messageId;
    if (messageId !== sa.nextPeerRequestId && !retransmit) return;
    const payloads = decrypt();
    if (payloads === undefined) return;
    if (retransmit && this.cached !== undefined) {
      this.host.send(this.cached.packets, now);
      return;
    }
    // Authentic but unparsable: answer INVALID_SYNTAX (RFC 7296 §2.21.2) so the peer's window moves on.
    const response = payloads === 'invalid' ? [invalidSyntax()] : this.host.respond(exchangeType, payloads, now);
    const fragmentSize = this.host.fragmentSize();
    const packets = protect(sa, { exchangeType, response: true, messageId, payloads: response, ...(fragmentSize === undefined ? {} : { fragmentSize }) });
    this.cached = { messageId, packets };
    sa.nextPeerRequestId = messageId + 1;
    this.host.send(packets, now);
  }

  /** Retransmit or give up. */
  tick(now: number): void {
    const a = this.active;
    if (a === undefined) return;
    if (a.unauthError !== undefined && now >= a.unauthError.until) {
      this.active = undefined;
      this.host.failed(a.exchange, a.unauthError.error.error, false, now);
      return;
    }
    if (now < a.deadline) return;
    const r = this.host.retransmit;
    if (a.retransmits >= r.tries) {
      this.active = undefined;
      const ctx = this.host.context(now);
      for (const t of a.exchange.tasks) t.abort?.(ctx);
      const err = a.unauthError?.error.error ?? new IkeFailure('TIMEOUT', `no response to ${a.exchange.tasks.map((t) => t.name).join('+')} after ${r.tries} retransmissions`, 'check that the gateway is reachable on UDP 500/4500 and that charon/iked is running');
      a.exchange.onFailed?.(ctx, err);
      this.host.failed(a.exchange, err, true, now);
      return;
    }
    a.retransmits++;
    a.deadline = now + Math.round(r.timeoutMs * Math.pow(r.base, a.retransmits));
    this.host.send(a.packets, now);
  }

  /** When `tick` must next run (Infinity when idle). */
  nextDeadline(): number {
    const a = this.active;
    if (a === undefined) return Infinity;
    return a.unauthError === undefined ? a.deadline : Math.min(a.deadline, a.unauthError.until);
  }
}

function invalidSyntax(): Payload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.INVALID_SYNTAX, data: new Uint8Array(0) };
}

/** Any thrown value as a {@link KiteError} (KiteErrors pass unchanged). */
export function asFailure(e: unknown): KiteError {
  if (e instanceof KiteError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'INTERNAL';
  return new IkeFailure(code, message, '');
}

/** How long an exchange can wait for its response in all: the first timeout and every retransmission's. */
export function retransmitBudgetMs(r: RetransmitConfig): number {
  let total = 0;
  for (let n = 0; n <= r.tries; n++) total += Math.round(r.timeoutMs * Math.pow(r.base, n));
  return total;
}
