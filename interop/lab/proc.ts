/**
 * Child-process helpers for the interop lab: run a command to completion, or start a long-lived
 * process and stop it later by its PID only (never by name); a file-exists check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';

/** Result of a finished command. */
export interface RunResult {
  /** Exit code (null when killed by a signal). */
  readonly code: number | null;
  /** Captured standard output. */
  readonly stdout: string;
  /** Captured standard error. */
  readonly stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Extra environment variables, merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Throw when the exit code is not 0 (default true). */
  readonly check?: boolean;
  /** Kill the command (by PID) after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Text written to standard input. */
  readonly input?: string;
}

/** Thrown by {@link run} when a command fails; carries its output. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  /** The result of the failed command. */
  readonly result: RunResult;

  constructor(cmd: readonly string[], result: RunResult) {
    super(`command failed (exit ${String(result.code)}): ${cmd.join(' ')}\n${result.stderr.trim()}`);
    this.result = result;
  }
}

/** Runs `cmd[0]` with arguments `cmd[1..]`, captures its output, and returns when it exits. */
export function run(cmd: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = cmd;
  if (file === undefined) throw new TypeError('run: empty command');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result: RunResult = { code, stdout, stderr };
      if ((opts.check ?? true) && code !== 0) reject(new CommandError(cmd, result));
      else resolve(result);
    });
  });
}

/** A long-lived child process started by {@link startProcess}. */
export interface Daemon {
  /** PID of the process we spawned. */
  readonly pid: number;
  /** Everything it wrote to stderr and stdout so far. */
  output(): string;
  /** Resolves with the exit code once it has exited. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` to our PID, waits up to `graceMs`, then SIGKILLs it. Safe to call twice. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Starts a long-lived process; the caller must {@link Daemon.stop} it (e.g. in `finally`). */
export function startProcess(cmd: readonly string[], opts: { env?: Readonly<Record<string, string>> } = {}): Daemon {
  const [file, ...args] = cmd;
  if (file === undefined) throw new TypeError('startProcess: empty command');
  const child: ChildProcess = spawn(file, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${file}`);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      done = true;
      resolve(code);
    });
  });
  return {
    pid,
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
      if (done) return;
      try {
        process.kill(pid, signal);
      } catch {
        return; // already gone
      }
      const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut && !done) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited in between
        }
        await exited;
      }
    },
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** True if `path` exists (any type). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
