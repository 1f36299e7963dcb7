/**
 * Test support shared across folders and by the fuzz targets (not used by the library): the
 * ParseError a call throws, "a record or a ParseError" as an outcome, and whether an outside judge
 * (tshark, openssl) is installed, so tests that need it can skip.
 */
import { execFileSync } from 'node:child_process';
import { ParseError } from '../errors.js';

/** The ParseError `f` throws; fails if it returns or throws anything else. */
export function parseErrorOf(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError, the call returned');
}

/** Run `f`; a ParseError is an accepted outcome (swallowed), anything else is rethrown. */
export function ignoreParseError(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}

/**
 * True if `command args` runs and exits 0 (e.g. `hasCommand('tshark', ['--version'])`). With
 * `KITE_REQUIRE_TOOLS=1` (set by `.ci/run`) a missing tool is an error instead of a skip, so a
 * judge that failed to install can never turn into silently skipped tests.
 */
export function hasCommand(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env['KITE_REQUIRE_TOOLS'] === '1') {
      throw new Error(`required test tool '${command}' is missing (KITE_REQUIRE_TOOLS=1); install it (see .ci/run)`);
    }
    return false;
  }
}
