// DESIGN.md "Imports point downwards only", checked on the import specifiers of every library file
// under src/ (test files and *.testkit.ts are exempt). Each layer lists the src/ folders it may
// import; on top of that: only io/, config/, client/ and cli/ may do I/O (node:fs, node:dgram,
// node:net, node:child_process); the sans-I/O protocol folders (ike/, esp/, ipcomp/, gre/) use no
// timers; pure codecs (wire/, capture/) and the bottom layer import no third-party package;
// nothing imports cli/; every index.ts holds re-exports only. Folders that do not exist yet simply
// contribute no files.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What a layer may depend on. */
interface LayerRule {
  /** src/ layers this layer may import (itself always allowed). */
  readonly imports: readonly string[];
  /** Layers it may import with type-only imports (erased at run time). */
  readonly typeImports?: readonly string[];
  /** May it import npm packages / node: modules at all (I/O modules are governed separately)? */
  readonly external: boolean;
}

const BOTTOM = ['util', 'iana', 'errors'] as const;
const PROTOCOL = [...BOTTOM, 'wire', 'crypto', 'pki'] as const;
/** Everything below the composition root, for the folders DESIGN.md does not pin down further. */
const BELOW_CLIENT = [...PROTOCOL, 'capture', 'decode', 'ike', 'esp', 'ipcomp', 'gre', 'io', 'config', 'datapath'] as const;

const LAYERS: Readonly<Record<string, LayerRule>> = {
  errors: { imports: BOTTOM, external: false },
  iana: { imports: BOTTOM, external: false },
  util: { imports: BOTTOM, external: true },
  wire: { imports: BOTTOM, external: false },
  crypto: { imports: BOTTOM, external: true },
  capture: { imports: BOTTOM, external: false },
  pki: { imports: [...BOTTOM, 'crypto', 'wire'], external: true },
  ike: { imports: PROTOCOL, typeImports: ['esp'], external: true },
  esp: { imports: PROTOCOL, external: true },
  ipcomp: { imports: PROTOCOL, external: true },
  gre: { imports: PROTOCOL, external: true },
  decode: { imports: [...BOTTOM, 'capture', 'wire', 'crypto'], external: true },
  io: { imports: BELOW_CLIENT, external: true },
  config: { imports: BELOW_CLIENT, external: true },
  datapath: { imports: BELOW_CLIENT, external: true },
  client: { imports: [...BELOW_CLIENT, 'client'], external: true },
  cli: { imports: [...BELOW_CLIENT, 'client'], external: true },
  index: { imports: [...BELOW_CLIENT, 'client'], external: false },
};

/** Node modules that do I/O; only these layers may import them. */
const IO_MODULES = ['fs', 'fs/promises', 'dgram', 'net', 'child_process'] as const;
const IO_LAYERS = ['io', 'config', 'client', 'cli'] as const;
/** Sans-I/O protocol layers: they take `now` and return deadlines instead of owning timers. */
const NO_TIMER_LAYERS = ['ike', 'esp', 'ipcomp', 'gre'] as const;
const TIMER_MODULES = ['timers', 'timers/promises'] as const;
const TIMER_CALL = /\b(setTimeout|setInterval|setImmediate)\s*\(/g;

/** One import found in a file. */
interface ImportRef {
  readonly spec: string;
  readonly typeOnly: boolean;
}

/** A rule broken by `file` importing `spec`. */
interface Violation {
  readonly file: string;
  readonly spec: string;
  readonly rule: string;
}

/**
 * `text` with comments blanked and, if `blankStrings`, string/template/regex literal contents
 * blanked too. Newlines are kept so offsets stay meaningful.
 */
function stripSource(text: string, blankStrings: boolean): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let last = ''; // last significant code character, for the regex-literal heuristic
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const n = text[i + 1];
    if (c === '/' && n === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && n === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`' || (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last)))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length) {
        const d = text[j] as string;
        if (d === '\\') j += 2;
        else if (c === '/' && d === '[') (inClass = true), j++;
        else if (c === '/' && d === ']') (inClass = false), j++;
        else if (d === c && !inClass) break;
        else if (d === '\n' && c !== '`') break;
        else j++;
      }
      if (blankStrings) blank(i + 1, j);
      i = j + 1;
      last = 'x';
    } else {
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out.join('');
}

const STR = `(?<q>['"])(?<spec>[^'"\\n]+)\\k<q>`;
const NAME = '[\\w$]+';
const NAMED = '\\{[^}]*\\}';
const IMPORT_CLAUSE = `(?:${NAME}(?:\\s*,\\s*(?:${NAMED}|\\*\\s*as\\s+${NAME}))?|${NAMED}|\\*\\s*as\\s+${NAME})`;
const EXPORT_CLAUSE = `(?:\\*(?:\\s*as\\s+${NAME})?|${NAMED})`;
const STATIC_FROM = new RegExp(`(?<![\\w$.])(?:import|export)\\s+(?<type>type\\s+)?(?<clause>${IMPORT_CLAUSE}|${EXPORT_CLAUSE})\\s*from\\s*${STR}`, 'g');
const SIDE_EFFECT = new RegExp(`(?<![\\w$.])import\\s*${STR}`, 'g');
const DYNAMIC = /(?<![\w$.])import\s*\(\s*([^)]*?)\s*\)/g;

/** Every import/re-export specifier in comment-stripped `code`, plus what could not be read. */
function importsOf(code: string): { refs: ImportRef[]; unreadable: string[] } {
  const refs: ImportRef[] = [];
  const unreadable: string[] = [];
  for (const m of code.matchAll(STATIC_FROM)) {
    const clause = m.groups?.['clause'] ?? '';
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    const allTyped = named !== null && (named[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').every((s) => s.startsWith('type '));
    refs.push({ spec: m.groups?.['spec'] ?? '', typeOnly: m.groups?.['type'] !== undefined || allTyped });
  }
  for (const m of code.matchAll(SIDE_EFFECT)) refs.push({ spec: m.groups?.['spec'] ?? '', typeOnly: false });
  for (const m of code.matchAll(DYNAMIC)) {
    const lit = /^(['"])([^'"]+)\1$/.exec(m[1] ?? '');
    if (lit === null) unreadable.push(`import(${m[1] ?? ''})`);
    else refs.push({ spec: lit[2] ?? '', typeOnly: false });
  }
  // Anything the patterns above did not understand is reported instead of silently passing.
  const fromCount = [...code.matchAll(/\bfrom\s*['"]/g)].length;
  const staticCount = [...code.matchAll(STATIC_FROM)].length;
  if (fromCount !== staticCount) unreadable.push(`${fromCount - staticCount} import/export ... from statement(s) not understood`);
  if (/\brequire\s*\(|\bcreateRequire\b/.test(code)) unreadable.push('require()');
  return { refs, unreadable };
}

/** The src/ layer of a path relative to src/ (`wire/payloads/sa.ts` -> wire, `errors.ts` -> errors). */
function layerOf(rel: string): string {
  const slash = rel.indexOf('/');
  return slash < 0 ? rel.replace(/\.[jt]s$/, '') : rel.slice(0, slash);
}

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** The rules `file` (path relative to src/) breaks, given its source `text`. */
function checkFile(file: string, text: string): Violation[] {
  const layer = layerOf(file);
  const rule = LAYERS[layer];
  const out: Violation[] = [];
  const bad = (spec: string, why: string): void => void out.push({ file, spec, rule: why });
  if (rule === undefined) {
    bad('', `layer ${layer}/ is not in the table of src/architecture.test.ts (add it, following DESIGN.md)`);
    return out;
  }
  const code = stripSource(text, false);
  const { refs, unreadable } = importsOf(code);
  for (const u of unreadable) bad(u, 'import the checker cannot analyse');
  for (const { spec, typeOnly } of refs) {
    if (spec.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      if (target.startsWith('../')) bad(spec, 'import from outside src/');
      else if (/\.(test|testkit)\.js$/.test(target)) bad(spec, 'library code imports test code');
      const to = layerOf(target);
      if (to === 'cli' && layer !== 'cli') bad(spec, 'nothing imports cli/');
      else if (to !== layer && !rule.imports.includes(to) && !(typeOnly && (rule.typeImports ?? []).includes(to))) {
        const typeNote = (rule.typeImports ?? []).includes(to) ? ' (type-only imports allowed)' : '';
        bad(spec, `${layer}/ may not import ${to}/${typeNote}`);
      }
      continue;
    }
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
    const isBuiltin = spec.startsWith('node:') || BUILTINS.has(bare);
    if (isBuiltin && (IO_MODULES as readonly string[]).includes(bare) && !(IO_LAYERS as readonly string[]).includes(layer)) {
      bad(spec, `only ${IO_LAYERS.join('/, ')}/ do I/O`);
    } else if (isBuiltin && (TIMER_MODULES as readonly string[]).includes(bare) && (NO_TIMER_LAYERS as readonly string[]).includes(layer)) {
      bad(spec, `${layer}/ is sans-I/O: no timers`);
    } else if (!rule.external) {
      bad(spec, `${layer}/ imports no packages or node: modules`);
    }
  }
  if ((NO_TIMER_LAYERS as readonly string[]).includes(layer)) {
    for (const m of stripSource(text, true).matchAll(TIMER_CALL)) bad(`${m[1] ?? ''}()`, `${layer}/ is sans-I/O: take now, return the next deadline`);
  }
  if (/(^|\/)index\.ts$/.test(file)) {
    const rest = code.replace(new RegExp(`${STATIC_FROM.source}\\s*;?`, 'g'), '').trim();
    if (/^\s*import\b/m.test(code) || rest !== '') bad('', 'index.ts holds re-exports only');
  }
  return out;
}

const SRC = new URL('./', import.meta.url);
const FILES = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .map((f) => f.split('\\').join('/'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !/\.test\.ts$|\.testkit\.ts$/.test(f))
  .sort();

/**
 * Violations present in code other engineers are still writing, reported to the lead rather than
 * fixed here. Each entry must still occur (a fixed one must be removed from this list); anything
 * not listed fails.
 */
const PENDING_LEAD: readonly string[] = [
];

const show = (v: Violation): string => `${v.file} -> ${v.spec}`;

describe('architecture: imports point downwards only (DESIGN.md)', () => {
  const all = FILES.flatMap((f) => checkFile(f, readFileSync(new URL(f, SRC), 'utf8')));

  it('finds the library files', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(FILES).toContain('wire/message.ts');
  });

  it('no file breaks the layer table (beyond the entries pending with the lead)', () => {
    const unexpected = all.filter((v) => !PENDING_LEAD.includes(show(v))).map((v) => `${show(v)}: ${v.rule}`);
    expect(unexpected).toEqual([]);
  });

  it('every pending entry still occurs (remove fixed ones)', () => {
    const seen = new Set(all.map(show));
    expect(PENDING_LEAD.filter((p) => !seen.has(p))).toEqual([]);
  });

  it('the checker catches planted violations', () => {
    const plant = (file: string, text: string): string[] => checkFile(file, text).map((v) => `${v.spec}: ${v.rule}`);
    expect(plant('wire/x.ts', "import { createPrf } from '../crypto/prf.js';")).toEqual(['../crypto/prf.js: wire/ may not import crypto/']);
    expect(plant('wire/payloads/x.ts', "export { a } from '../../crypto/prf.js';")).toEqual(['../../crypto/prf.js: wire/ may not import crypto/']);
    expect(plant('wire/x.ts', "import {\n  a,\n  b,\n} from '../util/bytes.js';\nimport '@noble/hashes/sha2.js';")).toEqual([
      '@noble/hashes/sha2.js: wire/ imports no packages or node: modules',
    ]);
    expect(plant('ike/x.ts', "import { readFileSync } from 'node:fs';")).toEqual(['node:fs: only io/, config/, client/, cli/ do I/O']);
    expect(plant('decode/x.ts', "import { readFile } from 'fs/promises';")).toEqual(['fs/promises: only io/, config/, client/, cli/ do I/O']);
    expect(plant('esp/x.ts', 'const t = setTimeout(() => 0, 5);')).toEqual(['setTimeout(): esp/ is sans-I/O: take now, return the next deadline']);
    expect(plant('esp/x.ts', "// setTimeout(f, 1)\nconst s = 'setInterval(f)';")).toEqual([]);
    expect(plant('ike/x.ts', "import { setTimeout } from 'node:timers/promises';")).toEqual(['node:timers/promises: ike/ is sans-I/O: no timers']);
    expect(plant('ike/x.ts', "import type { ChildSaParams } from '../esp/child-sa.js';\nimport { type A, type B } from '../esp/x.js';")).toEqual([]);
    expect(plant('ike/x.ts', "import { type A, b } from '../esp/x.js';")).toEqual(['../esp/x.js: ike/ may not import esp/ (type-only imports allowed)']);
    expect(plant('ike/x.ts', "const m = await import('../io/udp.js');")).toEqual(['../io/udp.js: ike/ may not import io/']);
    expect(plant('client/x.ts', "import { main } from '../cli/main.js';")).toEqual(['../cli/main.js: nothing imports cli/']);
    expect(plant('crypto/x.ts', "import { s } from './sk-cipher.test.js';")).toEqual(['./sk-cipher.test.js: library code imports test code']);
    expect(plant('index.ts', "export * from './errors.js';\nexport const x = 1;")).toEqual([': index.ts holds re-exports only']);
    expect(plant('index.ts', "/** doc */\nexport * from './errors.js';\nexport { a, type B } from './wire/index.js';\nexport type * from './decode/json.js';")).toEqual([]);
    expect(plant('newdir/x.ts', '')).toHaveLength(1);
  });
});
