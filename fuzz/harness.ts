/**
 * Fuzz harness shared by `npm run fuzz` and the short run in the test command. A target takes
 * arbitrary bytes and must either return or throw ParseError; any other exception is a finding.
 */
import { ParseError } from '../src/errors.js';

/** A decoder under fuzz. */
export interface FuzzTarget {
  readonly name: string;
  /** Valid inputs to mutate (real captures where possible). */
  seeds(): readonly Uint8Array[];
  /** Feed one input; throw only ParseError. */
  run(input: Uint8Array): void;
}

/** Small deterministic PRNG (xorshift32) so a run is reproducible from its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }
  int(n: number): number {
    return this.next() % n;
  }
}

/** Produce a mutated copy of `seed`: bit flips, byte sets, interesting values, truncation, splice. */
export function mutate(seed: Uint8Array, rng: Rng): Uint8Array {
  let b = seed.slice();
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const op = rng.int(7);
    if (b.length === 0) b = new Uint8Array(1 + rng.int(64)).map(() => rng.int(256));
    const at = rng.int(b.length);
    switch (op) {
      case 0:
        b[at] = (b[at] as number) ^ (1 << rng.int(8));
        break;
      case 1:
        b[at] = rng.int(256);
        break;
      case 2: {
        const v = [0, 1, 0x7f, 0x80, 0xff][rng.int(5)] as number;
        b[at] = v;
        if (at + 1 < b.length) b[at + 1] = v;
        break;
      }
      case 3:
        b = b.subarray(0, rng.int(b.length + 1)).slice();
        break;
      case 4: {
        const extra = new Uint8Array(rng.int(32)).map(() => rng.int(256));
        const out = new Uint8Array(b.length + extra.length);
        out.set(b.subarray(0, at));
        out.set(extra, at);
        out.set(b.subarray(at), at + extra.length);
        b = out;
        break;
      }
      case 5: {
        const len = rng.int(b.length - at + 1);
        const out = new Uint8Array(b.length - len);
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + len), at);
        b = out;
        break;
      }
      default: {
        // big-endian 16-bit length-ish fields
        if (at + 1 < b.length) {
          const v = [0, 1, 4, 8, 0xffff, b.length, b.length - at][rng.int(7)] as number;
          b[at] = (v >>> 8) & 0xff;
          b[at + 1] = v & 0xff;
        }
      }
    }
  }
  return b;
}

/** Outcome of a fuzz run. */
export interface FuzzReport {
  readonly target: string;
  readonly inputs: number;
  readonly accepted: number;
  readonly parseErrors: number;
  readonly unexpected: readonly { input: string; error: string }[];
  readonly ms: number;
}

/** Run `count` inputs (mutated seeds and pure random) through `target`. */
export function fuzzTarget(target: FuzzTarget, count: number, seed = 1): FuzzReport {
  const rng = new Rng(seed);
  const seeds = target.seeds();
  let accepted = 0;
  let parseErrors = 0;
  const unexpected: { input: string; error: string }[] = [];
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const base = seeds.length > 0 && rng.int(10) !== 0 ? (seeds[rng.int(seeds.length)] as Uint8Array) : new Uint8Array(rng.int(96)).map(() => rng.int(256));
    const input = mutate(base, rng);
    try {
      target.run(input);
      accepted++;
    } catch (e) {
      if (e instanceof ParseError) parseErrors++;
      else if (unexpected.length < 20) unexpected.push({ input: Buffer.from(input).toString('hex'), error: String((e as Error)?.stack ?? e) });
      else unexpected.push({ input: '', error: '' });
    }
  }
  return { target: target.name, inputs: count, accepted, parseErrors, unexpected, ms: Date.now() - start };
}
