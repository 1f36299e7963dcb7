/** Test support: what a call throws, as one comparable line. Not part of the build. */
import { KiteError } from '../../errors.js';

/** `CODE: message` of the KiteError `f` throws, `other: …` for anything else, `no error` when it returns. */
export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof KiteError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return 'no error';
}
