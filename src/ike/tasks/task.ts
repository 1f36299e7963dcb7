/**
 * One exchange concern is one task (strongSwan's `task_t`): it adds its payloads to a request
 * (`build`) and interprets the response (`process`). An exchange groups the tasks whose payloads
 * travel together (IKE_AUTH carries auth, config and child-create). Tasks share state only
 * through the IKE SA; they report failures by throwing {@link IkeFailure}.
 */
import { KiteError } from '../../errors.js';
import type { Payload } from '../../wire/payload.js';
import type { InitiatorConfig } from '../config.js';
import type { IkeSa } from '../ike-sa.js';
import type { Action, LogLevel } from '../types.js';

/** What a task sees while building or processing. */
export interface TaskContext {
  readonly sa: IkeSa;
  readonly config: InitiatorConfig;
  readonly now: number;
  /** Queue an action (install CHILD_SA, event). */
  emit(action: Action): void;
  log(level: LogLevel, message: string): void;
  random(n: number): Uint8Array;
}

/** `retry`: rebuild and resend this exchange with the same Message ID (COOKIE, INVALID_KE_PAYLOAD). */
export type TaskResult = 'done' | 'retry';

/** One exchange concern. */
export interface Task {
  readonly name: string;
  /** Payloads this task adds to the request, in order. */
  build(ctx: TaskContext): Payload[];
  /** Interpret the response (all its payloads). */
  process(ctx: TaskContext, response: readonly Payload[]): TaskResult;
  /** Called when the exchange is given up (timeout, failure), so the task can clean up. */
  abort?(ctx: TaskContext): void;
}

/** One request/response exchange initiated by us. */
export interface Exchange {
  readonly exchangeType: number;
  readonly tasks: readonly Task[];
  /** Runs after every task processed the response successfully. */
  readonly onComplete?: (ctx: TaskContext) => void;
  /** Failure of this exchange ends the IKE SA (true for IKE_SA_INIT, IKE_AUTH, Delete). */
  readonly critical: boolean;
  /**
   * Runs when the exchange failed or timed out (before the failure is reported); `error` is why,
   * undefined when the IKE SA went away under it.
   */
  readonly onFailed?: (ctx: TaskContext, error?: KiteError) => void;
}

/** Why an IKE SA or an exchange failed; `fix` is the likely remedy for the user. */
export class IkeFailure extends KiteError {
  override readonly name: string = 'IkeFailure';
  /** Error Notify type that caused it, when the peer sent one. */
  readonly notifyType: number | undefined;
  /** The likely fix, in words. */
  readonly fix: string;

  constructor(code: string, message: string, fix: string, notifyType?: number) {
    super(code, fix === '' ? message : `${message}; fix: ${fix}`);
    this.fix = fix;
    this.notifyType = notifyType;
  }
}

/**
 * A failure seen in an unauthenticated message (IKE_SA_INIT response): RFC 7296 §2.21 says it
 * must not end the attempt by itself; the task manager keeps waiting for a valid response and
 * reports `error` only if none arrives.
 */
export class UnauthenticatedError extends KiteError {
  override readonly name = 'UnauthenticatedError';
  constructor(readonly error: KiteError) {
    super(error.code, error.message);
  }
}
