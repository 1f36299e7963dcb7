/**
 * A lab run: a unique name prefix, a private scratch directory and a LIFO stack of cleanups that
 * undo exactly what the run created (namespaces by name, processes by PID), also on failure or
 * Ctrl-C.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One undo step registered with {@link Lab.defer}. */
export type Cleanup = () => Promise<void> | void;

/** A lab run; create with {@link openLab} or {@link withLab}. */
export interface Lab {
  /** Unique prefix for names this run creates, e.g. `kite-12345-ab12`. At most 14 characters. */
  readonly prefix: string;
  /** Private scratch directory (removed on close unless `keepWorkdir`). */
  readonly workdir: string;
  /** Registers an undo step; steps run in reverse order on {@link Lab.close}. */
  defer(what: string, fn: Cleanup): void;
  /** Runs every undo step (each once, errors collected and reported after all ran). */
  close(): Promise<void>;
}

/** Options for {@link openLab}. */
export interface LabOptions {
  /** Keep the scratch directory after close (for debugging). */
  readonly keepWorkdir?: boolean;
}

/** Creates a lab run with a fresh prefix and scratch directory. */
export async function openLab(opts: LabOptions = {}): Promise<Lab> {
  const rand = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  const prefix = `kite-${process.pid % 100000}-${rand}`;
  const workdir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const steps: { what: string; fn: Cleanup }[] = [];
  let closed = false;
  const lab: Lab = {
    prefix,
    workdir,
    defer(what, fn) {
      if (closed) throw new Error(`lab ${prefix} already closed; cannot register ${what}`);
      steps.push({ what, fn });
    },
    async close() {
      if (closed) return;
      closed = true;
      const failures: string[] = [];
      for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
        try {
          await step.fn();
        } catch (err) {
          failures.push(`${step.what}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (!(opts.keepWorkdir ?? false)) await rm(workdir, { recursive: true, force: true });
      if (failures.length > 0) throw new Error(`lab ${prefix} cleanup failed:\n${failures.join('\n')}`);
    },
  };
  return lab;
}

/**
 * Runs `body` inside a lab and always closes it: on return, on throw, and on SIGINT/SIGTERM
 * (then exits with status 130/143).
 */
export async function withLab<T>(body: (lab: Lab) => Promise<T>, opts: LabOptions = {}): Promise<T> {
  const lab = await openLab(opts);
  const onSignal = (signal: NodeJS.Signals): void => {
    void lab.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(lab);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lab.close();
  }
}
