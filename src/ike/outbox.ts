/**
 * What each call into the initiator core hands back: the actions queued meanwhile (datagrams,
 * CHILD_SA installs and removals, events, log lines), and the {@link TaskContext} through which
 * tasks queue them. Randomness comes from the configuration's source when one is given (tests).
 */
import { randomBytes } from 'node:crypto';
import type { InitiatorConfig } from './config.js';
import type { IkeSa } from './ike-sa.js';
import type { TaskContext } from './tasks/task.js';
import type { Action, IkeEvent, LogLevel } from './types.js';

/** The queue of actions of one initiator. */
export class Outbox {
  private out: Action[] = [];

  constructor(private readonly config: InitiatorConfig) {}

  /** Queue an action. */
  push(action: Action): void {
    this.out.push(action);
  }

  /** Queue a `log` event. */
  log(level: LogLevel, message: string): void {
    this.out.push({ type: 'event', event: { type: 'log', level, message } });
  }

  /** Queue an event. */
  event(event: IkeEvent): void {
    this.out.push({ type: 'event', event });
  }

  /** `n` random octets. */
  random(n: number): Uint8Array {
    return this.config.random?.(n) ?? new Uint8Array(randomBytes(n));
  }

  /** The context tasks see while working on `sa` at `now`. */
  context(now: number, sa: IkeSa): TaskContext {
    return {
      sa,
      config: this.config,
      now,
      emit: (a) => this.push(a),
      log: (level, message) => this.log(level, message),
      random: (n) => this.random(n),
    };
  }

  /** Hand the queued actions over and start a new queue. */
  flush(): Action[] {
    const a = this.out;
    this.out = [];
    return a;
  }
}
