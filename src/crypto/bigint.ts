/**
 * Big-endian octet strings <-> BigInt and square-and-multiply modular exponentiation, for the
 * pure-TypeScript MODP path (ke-modp.ts) and RSAVP1 in RSA-PSS verification (rsa-pss.ts).
 * Not constant time: RSAVP1 works on public values only; for MODP this is the pure-TypeScript
 * ("noble") backend, not the node:crypto one.
 */

/** Unsigned big-endian integer value of `b` (OS2IP, RFC 8017 §4.2). */
export function bytesToBig(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** `x` as exactly `len` big-endian octets (I2OSP, RFC 8017 §4.1; high octets beyond `len` dropped). */
export function bigToBytes(x: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = x;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** `base`^`exp` mod `mod` by square-and-multiply. */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}
