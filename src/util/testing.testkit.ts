/**
 * Test support shared across folders (not used by the library): the ParseError a call throws,
 * and whether an outside judge (tshark, openssl) is installed, so tests that need it can skip.
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

/** True if `command args` runs and exits 0 (e.g. `hasCommand('tshark', ['--version'])`). */
export function hasCommand(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
