/**
 * The exchanges of an IKE SA as {@link Exchange} records for the task manager: establishment
 * (IKE_SA_INIT, IKE_AUTH), liveness, Deletes, CHILD_SA rekey, IKE SA rekey and the MOBIKE update.
 * The wiring of their outcomes (CHILD table, SA hand-over, events) comes in as callbacks.
 */
import { ExchangeType } from '../iana/ikev2.js';
import type { ChildTable } from './children.js';
import type { IkeSa } from './ike-sa.js';
import { isChildSaNotFound, isTemporaryFailure } from './peer-failure.js';
import { protect } from './protect.js';
import { ChildRecreateTask, ChildRekeyTask } from './tasks/child-rekey.js';
import { MobikeUpdateTask } from './tasks/ike-mobike.js';
import { IkeRekeyTask } from './tasks/ike-rekey.js';
import { ChildDeleteTask, DpdTask, IkeDeleteTask } from './tasks/informational.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import { ChildCreateTask } from './tasks/child-create.js';
import { IkeAuthTask } from './tasks/ike-auth.js';
import { IkeConfigTask } from './tasks/ike-config.js';
import { IkeInitTask } from './tasks/ike-init.js';
import type { ConfigReply, Endpoint, InstalledChildSa } from './types.js';

/** IKE_SA_INIT; `done` runs once keys exist. */
export function ikeInitExchange(ctx: TaskContext, done: (ctx: TaskContext) => void): Exchange {
  return { exchangeType: ExchangeType.IKE_SA_INIT, tasks: [IkeInitTask.fromConfig(ctx)], critical: true, onComplete: done };
}

/** IKE_AUTH with CP and the first CHILD_SA; `done` gets the configuration reply and the CHILD_SA. */
export function ikeAuthExchange(done: (ctx: TaskContext, reply: ConfigReply | undefined, child: InstalledChildSa | undefined) => void): Exchange {
  const config = new IkeConfigTask();
  const child = new ChildCreateTask();
  return { exchangeType: ExchangeType.IKE_AUTH, tasks: [new IkeAuthTask(), config, child], critical: true, onComplete: (c) => done(c, config.reply, child.child) };
}

/**
 * One protected Delete of the IKE SA, to send without waiting (after IKE_AUTH authenticated but the
 * CHILD_SA failed, `failed` is that IKE_AUTH exchange: its Message ID is used up).
 */
export function quietIkeDelete(sa: IkeSa, failed: Exchange | undefined, random: (n: number) => Uint8Array): Uint8Array[] {
  const messageId = Math.max(sa.nextRequestId, failed?.exchangeType === ExchangeType.IKE_AUTH ? 2 : 0);
  return protect(sa, { exchangeType: ExchangeType.INFORMATIONAL, response: false, messageId, payloads: new IkeDeleteTask().build(), random });
}

/** A liveness check; with MOBIKE it carries NAT-D and `rebound` runs when our NAT mapping moved. */
export function dpdExchange(withNatd = false, rebound?: (now: number) => void): Exchange {
  const task = new DpdTask(withNatd);
  return {
    exchangeType: ExchangeType.INFORMATIONAL,
    tasks: [task],
    critical: false,
    onComplete: (ctx) => { if (task.mappingChanged) rebound?.(ctx.now); },
  };
}

/** Delete the IKE SA; `done` runs on the response or on failure (when `critical` is false). */
export function ikeDeleteExchange(critical: boolean, done: () => void): Exchange {
  return { exchangeType: ExchangeType.INFORMATIONAL, tasks: [new IkeDeleteTask()], critical, onComplete: done, ...(critical ? {} : { onFailed: done }) };
}

/** Delete one CHILD_SA (our inbound SPI); it leaves the table on the response. */
export function childDeleteExchange(spiIn: number, children: ChildTable): Exchange {
  return { exchangeType: ExchangeType.INFORMATIONAL, tasks: [new ChildDeleteTask([spiIn])], critical: false, onComplete: () => { children.remove(spiIn, false); } };
}

/** What a CHILD_SA rekey's outcome may call for, beyond the CHILD table. */
export interface ChildRekeyHooks {
  /** Queue the Delete of a CHILD_SA (the old pair, or our redundant new one). */
  deleteChild(spiIn: number, now: number): void;
  /** The peer no longer has `lost` (CHILD_SA_NOT_FOUND): queue a fresh CHILD_SA in its place. */
  recreate(lost: InstalledChildSa, now: number): void;
  /** Our rekeys kept being refused with TEMPORARY_FAILURE for several minutes: close the IKE SA. */
  outOfSync(what: string, now: number): void;
}

/** Rekey `old`; `hooks` act on outcomes beyond the CHILD table (Deletes, recreation, giving up). */
export function childRekeyExchange(old: InstalledChildSa, children: ChildTable, hooks: ChildRekeyHooks): Exchange {
  const task = new ChildRekeyTask(old);
  const spiIn = old.params.spiIn;
  children.rekeyStarted(spiIn, task);
  return {
    exchangeType: ExchangeType.CREATE_CHILD_SA,
    tasks: [task],
    critical: false,
    onComplete: (ctx) => {
      for (const spi of children.rekeyDone(task, ctx.now).deleteSpisIn) hooks.deleteChild(spi, ctx.now);
    },
    onFailed: (ctx, error) => {
      if (isChildSaNotFound(error)) {
        const lost = children.lost(spiIn);
        if (lost !== undefined) hooks.recreate(lost, ctx.now);
        return;
      }
      if (children.rekeyAborted(spiIn, ctx.now, isTemporaryFailure(error))) hooks.outOfSync(`rekey of CHILD_SA ${spiIn.toString(16)}_i`, ctx.now);
    },
  };
}

/**
 * Create a fresh CHILD_SA in place of `lost`, which the peer no longer has (RFC 7296 §2.25): on
 * success it is installed with `childUp`; on failure `childDown` reports `lost` gone for good.
 */
export function childRecreateExchange(lost: InstalledChildSa, children: ChildTable): Exchange {
  const task = new ChildRecreateTask(lost);
  return {
    exchangeType: ExchangeType.CREATE_CHILD_SA,
    tasks: [task],
    critical: false,
    onComplete: (ctx) => { if (task.child !== undefined) children.created(task.child, ctx.now); },
    onFailed: () => children.lostForGood(lost),
  };
}

/**
 * Rekey the IKE SA; `handOver` receives the new SA, `failed` runs when the rekey failed
 * (`temporary`: the peer refused it for now with TEMPORARY_FAILURE).
 */
export function ikeRekeyExchange(handOver: (sa: IkeSa, now: number) => void, failed: (now: number, temporary: boolean) => void): Exchange {
  const task = new IkeRekeyTask();
  return {
    exchangeType: ExchangeType.CREATE_CHILD_SA,
    tasks: [task],
    critical: false,
    onComplete: (ctx) => { if (task.newSa !== undefined) handOver(task.newSa, ctx.now); },
    onFailed: (ctx, error) => failed(ctx.now, isTemporaryFailure(error)),
  };
}

/** UPDATE_SA_ADDRESSES from `sa`'s (already moved) local endpoint; `moved` runs on success. */
export function mobikeExchange(sa: IkeSa, moved: (local: Endpoint, remote: Endpoint) => void): Exchange {
  return {
    exchangeType: ExchangeType.INFORMATIONAL,
    tasks: [new MobikeUpdateTask()],
    critical: false,
    onComplete: () => moved({ ...sa.local }, { ...sa.remote }),
  };
}
