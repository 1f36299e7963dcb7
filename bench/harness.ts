/**
 * Benchmark harness: timing loops and the `openssl speed` reference measured in the same run.
 * Suites in bench/suites/*.ts export `run(ctx)` returning rows; bench/run.ts prints and saves them.
 */
import { execFileSync } from 'node:child_process';

/** One measured figure, with the reference it is compared to (if any). */
export interface BenchRow {
  /** Group, e.g. `ike-codec`, `prf`, `ke`, `sign`, `esp`. */
  readonly suite: string;
  /** What was measured, e.g. `AES-GCM-256 seal+open 1400B`. */
  readonly name: string;
  /** Backend or variant (`node`, `noble`, ...). */
  readonly backend?: string;
  /** Operations per second. */
  readonly opsPerSec: number;
  /** Unit of one operation, for the printed table. */
  readonly unit?: string;
  /** Reference figure in the same unit (ops/s), usually from `openssl speed`. */
  readonly refOpsPerSec?: number;
  /** What the reference is, e.g. `openssl speed rsa2048 sign`. */
  readonly refName?: string;
  /** Extra figures (e.g. Gbit/s, ns/packet). */
  readonly extra?: Readonly<Record<string, number>>;
}

/** Context given to every suite. */
export interface BenchContext {
  /** Minimum measuring time per figure in ms (short in smoke runs). */
  readonly minMs: number;
  /** Cached `openssl speed` runs. */
  readonly openssl: OpensslSpeed;
}

/** A benchmark suite module. */
export interface BenchSuite {
  run(ctx: BenchContext): Promise<readonly BenchRow[]>;
}

/**
 * Time `fn` (synchronous) until at least `minMs` passed; returns operations per second.
 * `batch` calls are made between clock reads to keep timer overhead out of the figure.
 */
export function opsPerSecond(fn: () => void, minMs: number, batch = 1): number {
  for (let i = 0; i < Math.min(batch, 10); i++) fn(); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(minMs * 1e6));
  let elapsed = 0n;
  do {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  return ops / (Number(elapsed) / 1e9);
}

/** Asynchronous variant of {@link opsPerSecond}. */
export async function opsPerSecondAsync(fn: () => Promise<void>, minMs: number): Promise<number> {
  await fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(minMs * 1e6));
  let elapsed = 0n;
  do {
    await fn();
    ops++;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  return ops / (Number(elapsed) / 1e9);
}

/**
 * Runs `openssl speed` and parses its machine-readable (`-mr`) output. Results are cached per
 * argument list so several suites can share one run.
 */
export class OpensslSpeed {
  private readonly cache = new Map<string, string>();
  constructor(private readonly seconds: number) {}

  private raw(args: readonly string[]): string {
    const key = args.join(' ');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let out = '';
    try {
      out = execFileSync('openssl', ['speed', '-mr', '-seconds', String(this.seconds), ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 600_000,
      });
    } catch (e) {
      out = (e as { stdout?: string }).stdout ?? '';
    }
    this.cache.set(key, out);
    return out;
  }

  /**
   * Symmetric ciphers / digests / HMAC via `-evp` or a named algorithm with `-bytes`: returns
   * operations per second for blocks of `bytes`.
   */
  blockOps(args: readonly string[], bytes: number): number | undefined {
    const out = this.raw([...args, '-bytes', String(bytes)]);
    // +F:<n>:<name>:<bytes/s for each size>
    for (const line of out.split('\n')) {
      if (!line.startsWith('+F:')) continue;
      const parts = line.split(':');
      const bps = Number(parts[3]);
      if (Number.isFinite(bps) && bps > 0) return bps / bytes;
    }
    return undefined;
  }

  /**
   * Public-key operations: `rsa2048`, `ecdsap256`, `ed25519`, `ecdhp256`, `ecdhx25519`, `ffdh2048`.
   * `-mr` lines (OpenSSL 3.0 `apps/speed.c`): `+F2:k:bits:sign/s:verify/s` (RSA),
   * `+F4:k:bits:sign/s:verify/s` (ECDSA), `+F5:k:bits:ops/s:s/op` (ECDH),
   * `+F6:k:bits:name:sign/s:verify/s` (EdDSA), `+F8:k:bits:ops/s:s/op` (FFDH). OpenSSL 1.1
   * printed seconds per operation instead; a value below 1 is taken as that and inverted.
   */
  pkeyOps(alg: string): { sign?: number; verify?: number; op?: number } {
    const out = this.raw([alg]);
    const rate = (v: string | undefined): number | undefined => {
      const x = Number(v);
      if (!Number.isFinite(x) || x <= 0) return undefined;
      return x < 1 ? 1 / x : x;
    };
    const pick = (o: { sign?: number | undefined; verify?: number | undefined; op?: number | undefined }): { sign?: number; verify?: number; op?: number } => {
      const r: { sign?: number; verify?: number; op?: number } = {};
      if (o.sign !== undefined) r.sign = o.sign;
      if (o.verify !== undefined) r.verify = o.verify;
      if (o.op !== undefined) r.op = o.op;
      return r;
    };
    for (const line of out.split('\n')) {
      const parts = line.trim().split(':');
      const tag = parts[0] ?? '';
      if (tag === '+F2' || tag === '+F4') return pick({ sign: rate(parts[3]), verify: rate(parts[4]) });
      if (tag === '+F6') return pick({ sign: rate(parts[4]), verify: rate(parts[5]) });
      if (tag === '+F5' || tag === '+F8') return pick({ op: rate(parts[3]) });
    }
    return {};
  }
}
