/**
 * Crypto backends. Where both `node:crypto` (OpenSSL) and `@noble/*` (pure TypeScript) implement a
 * primitive, Kite exposes one interface with two implementations that run the same vectors.
 *
 * The defaults below were measured with `npm run bench -- crypto` on the reference machine
 * (2 cores, Node 20, OpenSSL 3.0): `node` wins every primitive there (see bench/suites/crypto.ts).
 */

/** Which implementation serves a primitive. */
export type Backend = 'node' | 'noble';

/** Every backend, for tests and benchmarks that iterate over them. */
export const BACKENDS = ['node', 'noble'] as const satisfies readonly Backend[];

/** Default backend per primitive family, chosen by measurement (the faster one). */
export const DEFAULT_BACKEND = {
  hmac: 'node',
  cbc: 'node',
  aead: 'node',
  ecdh: 'node',
  x25519: 'node',
  ecdsa: 'node',
  ed25519: 'node',
} as const satisfies Readonly<Record<string, Backend>>;

/** Copy a node `Buffer` (possibly a view into a shared pool) into a plain, exact `Uint8Array`. */
export function toU8(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}
