/**
 * `npm run bench [-- --json] [-- --quick] [-- SUITE...]`: runs every bench/suites/*.ts, prints a
 * table with ratios to the reference measured in the same run, and with --json writes
 * bench/results.json.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { OpensslSpeed, type BenchRow, type BenchSuite } from './harness.js';

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n < 10 ? 2 : 0);
}

async function runAll(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const only = argv.filter((a) => !a.startsWith('--'));
  const ctx = { minMs: quick ? 100 : 1000, openssl: new OpensslSpeed(quick ? 1 : 3) };
  const dir = new URL('./suites/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const rows: BenchRow[] = [];
  for (const f of files) {
    const name = f.replace(/\.ts$/, '');
    if (only.length > 0 && !only.includes(name)) continue;
    const mod = (await import(new URL(f, dir).href)) as BenchSuite;
    process.stderr.write(`bench: ${name} ...\n`);
    const got = await mod.run(ctx);
    for (const r of got) {
      rows.push(r);
      const ratio = r.refOpsPerSec !== undefined ? ` ratio ${(r.opsPerSec / r.refOpsPerSec).toFixed(3)} of ${r.refName ?? 'ref'} (${fmt(r.refOpsPerSec)}/s)` : '';
      const extra = r.extra ? ' ' + Object.entries(r.extra).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ') : '';
      process.stdout.write(`${r.suite.padEnd(10)} ${r.name.padEnd(44)} ${(r.backend ?? '').padEnd(6)} ${fmt(r.opsPerSec).padStart(8)} ${r.unit ?? 'op'}/s${ratio}${extra}\n`);
    }
  }
  if (json) {
    const out = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      rows,
    };
    writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
    process.stderr.write('bench: wrote bench/results.json\n');
  }
}

await runAll(process.argv.slice(2));
