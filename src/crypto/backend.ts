/**
 * Crypto backends. Where both `node:crypto` (OpenSSL) and `@noble/*` (pure TypeScript) implement a
 * primitive, Kite exposes one interface with two implementations that run the same vectors.
 *
 * The defaults below were measured with `npm run bench -- crypto` on the reference machine
 * (2 cores, Node 20, OpenSSL 3.0.19): `node` wins every primitive there, e.g. HMAC-SHA256 64 B
 * 394k/s vs 136k/s, AES-128-GCM 1 KiB 63k/s vs 7.6k/s, ChaCha20-Poly1305 28k/s vs 12k/s, X25519
 * derive 8.1k/s vs 1.0k/s, ECDH P-256 2.0-8.3k/s vs 96-160/s, ECDSA P-256 verify 8.5k/s vs 382/s,
 * Ed25519 verify 9.5k/s vs 472/s. `noble` stays as the pure-TypeScript reference that runs the
 * same vectors (and the only RSASSA-PSS path for an MGF1 hash differing from the message hash).
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
