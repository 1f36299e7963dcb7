/**
 * Constant-time comparison for secrets (ICVs, AUTH values). The running time depends only on the
 * lengths, never on where the inputs differ.
 */
import { timingSafeEqual } from 'node:crypto';

/** True iff `a` and `b` are equal; constant time for equal lengths. */
export function ctEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
