/**
 * `npm run fuzz -- [COUNT] [--seed N] [TARGET...]`: runs every fuzz/targets/*.ts over COUNT inputs
 * (default 1 000 000) and exits 1 if any decoder threw something other than ParseError.
 */
import { readdirSync } from 'node:fs';
import { fuzzTarget, type FuzzTarget } from './harness.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const seedIdx = args.indexOf('--seed');
const seed = seedIdx >= 0 ? Number(args[seedIdx + 1]) : 1;
const only = args.filter((a, i) => !/^\d+$/.test(a) && !a.startsWith('--') && args[i - 1] !== '--seed');
const dir = new URL('./targets/', import.meta.url);

/** Run the selected targets; returns the number of unexpected exceptions. */
async function fuzzAll(): Promise<number> {
  let bad = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
    const mod = (await import(new URL(f, dir).href)) as { target: FuzzTarget };
    if (only.length > 0 && !only.includes(mod.target.name)) continue;
    const r = fuzzTarget(mod.target, count, seed);
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
    process.stdout.write(`${r.target.padEnd(20)} ${r.inputs} inputs  ok=${r.accepted} parseError=${r.parseErrors} unexpected=${r.unexpected.length}  ${r.ms} ms  rss=${rss} MiB\n`);
    for (const u of r.unexpected.slice(0, 5)) process.stdout.write(`  input ${u.input}\n  ${u.error}\n`);
    bad += r.unexpected.length;
  }
  return bad;
}

process.exitCode = (await fuzzAll()) === 0 ? 0 : 1;
