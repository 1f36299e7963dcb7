/**
 * Loads a Wycheproof vector file listed in `manifest.json` from ../shared (beside the checkout),
 * checking its sha256 and test count. A missing or altered file throws: tests never skip.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fromHex } from '../../src/util/bytes.js';

/** One manifest entry. */
export interface ManifestEntry {
  readonly file: string;
  readonly path: string;
  readonly sha256: string;
  readonly tests: number;
  readonly validates: string;
  readonly groupFilter: string;
  readonly acceptable: string;
}

/** A Wycheproof test: common fields plus algorithm-specific strings. */
export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [field: string]: unknown;
}

/** A Wycheproof test group. */
export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [field: string]: unknown;
}

/** A whole Wycheproof file. */
export interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

const MANIFEST = new URL('./manifest.json', import.meta.url);

/** The manifest entries. */
export function manifest(): readonly ManifestEntry[] {
  return (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { files: ManifestEntry[] }).files;
}

/** Load and verify `file` (name as in the manifest). */
export function loadWycheproof(file: string): { entry: ManifestEntry; data: WycheproofFile } {
  const entry = manifest().find((e) => e.file === file);
  if (entry === undefined) throw new Error(`${file} is not in vectors/wycheproof/manifest.json`);
  const bytes = readFileSync(new URL(`../../${entry.path}`, import.meta.url));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== entry.sha256) throw new Error(`${entry.path}: sha256 ${sha} differs from the manifest`);
  const data = JSON.parse(bytes.toString('utf8')) as WycheproofFile;
  const n = data.testGroups.reduce((s, g) => s + g.tests.length, 0);
  if (n !== entry.tests) throw new Error(`${entry.path}: ${n} tests, manifest says ${entry.tests}`);
  return { entry, data };
}

/** Hex field `name` of a test or group as bytes. */
export function hexField(o: { readonly [k: string]: unknown }, name: string): Uint8Array {
  const v = o[name];
  if (typeof v !== 'string') throw new Error(`field ${name} is not a hex string`);
  return fromHex(v, name);
}

/** Numeric field `name`. */
export function numField(o: { readonly [k: string]: unknown }, name: string): number {
  const v = o[name];
  if (typeof v !== 'number') throw new Error(`field ${name} is not a number`);
  return v;
}

/** String field `name`. */
export function strField(o: { readonly [k: string]: unknown }, name: string): string {
  const v = o[name];
  if (typeof v !== 'string') throw new Error(`field ${name} is not a string`);
  return v;
}

/**
 * Run every test of `data` through `check` (which returns whether the implementation accepted
 * the case). Returns the count run and the list of disagreements with the vector's verdict.
 * `acceptable` cases go to `acceptable(test)` which says what Kite decided to do (`'either'`: no
 * verdict imposed, but `check` must throw if it accepted with a wrong result).
 */
export function runAll(
  data: WycheproofFile,
  check: (t: WycheproofTest, g: WycheproofGroup) => boolean,
  acceptable: (t: WycheproofTest, g: WycheproofGroup) => boolean | 'either' = () => true,
): { readonly ran: number; readonly failures: readonly string[] } {
  let ran = 0;
  const failures: string[] = [];
  for (const g of data.testGroups) {
    for (const t of g.tests) {
      ran++;
      let accepted: boolean;
      try {
        accepted = check(t, g);
      } catch (e) {
        failures.push(`tcId ${t.tcId}: threw ${(e as Error).message}`);
        continue;
      }
      const want = t.result === 'valid' ? true : t.result === 'invalid' ? false : acceptable(t, g);
      if (want !== 'either' && accepted !== want) failures.push(`tcId ${t.tcId} (${t.result}, ${t.comment}, [${t.flags.join(',')}]): got ${accepted ? 'accepted' : 'rejected'}`);
    }
  }
  return { ran, failures };
}
