/**
 * AES-based MACs and PRFs of IKEv2: AES-XCBC-MAC (RFC 3566), AES-XCBC-PRF-128 (RFC 4434),
 * AES-CMAC (RFC 4493) and AES-CMAC-PRF-128 (RFC 4615). Both MACs are a CBC-MAC over the message
 * whose last block is masked with a derived subkey, so they are built on the AES-CBC core and
 * inherit its two backends.
 */
import { type Backend, DEFAULT_BACKEND } from './backend.js';
import { aesCbc, AES_BLOCK } from './cbc.js';

/** The all-zero IV of a CBC-MAC; a fresh array each time, so no caller can alter a shared one. */
const zeroBlock = (): Uint8Array => new Uint8Array(AES_BLOCK);

function aesBlock(key: Uint8Array, block: Uint8Array, backend: Backend): Uint8Array {
  return aesCbc(backend).encrypt(key, zeroBlock(), block);
}

/** CBC-MAC of `msg` with the last block masked by `kComplete` (full block) or padded 10* and masked by `kPartial`. */
function maskedCbcMac(key: Uint8Array, msg: Uint8Array, kComplete: Uint8Array, kPartial: Uint8Array, backend: Backend): Uint8Array {
  const complete = msg.length > 0 && msg.length % AES_BLOCK === 0;
  const padded = new Uint8Array(complete ? msg.length : (Math.floor(msg.length / AES_BLOCK) + 1) * AES_BLOCK);
  padded.set(msg);
  if (!complete) padded[msg.length] = 0x80;
  const mask = complete ? kComplete : kPartial;
  const last = padded.length - AES_BLOCK;
  for (let i = 0; i < AES_BLOCK; i++) padded[last + i]! ^= mask[i]!;
  const out = aesCbc(backend).encrypt(key, zeroBlock(), padded);
  const mac = out.slice(last);
  out.fill(0);
  padded.fill(0);
  return mac;
}

/** AES-XCBC-MAC-128 (RFC 3566 §4), full 128-bit output; `key` must be 16 bytes. */
export function aesXcbcMac(key: Uint8Array, msg: Uint8Array, backend: Backend = DEFAULT_BACKEND.cbc): Uint8Array {
  const k1 = aesBlock(key, new Uint8Array(AES_BLOCK).fill(0x01), backend);
  const k2 = aesBlock(key, new Uint8Array(AES_BLOCK).fill(0x02), backend);
  const k3 = aesBlock(key, new Uint8Array(AES_BLOCK).fill(0x03), backend);
  const mac = maskedCbcMac(k1, msg, k2, k3, backend);
  k1.fill(0);
  k2.fill(0);
  k3.fill(0);
  return mac;
}

function dbl(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) out[i] = ((b[i]! << 1) | ((b[i + 1] ?? 0) >>> 7)) & 0xff;
  if ((b[0]! & 0x80) !== 0) out[AES_BLOCK - 1]! ^= 0x87;
  return out;
}

/** AES-CMAC (RFC 4493), full 128-bit output; `key` must be 16 bytes. */
export function aesCmac(key: Uint8Array, msg: Uint8Array, backend: Backend = DEFAULT_BACKEND.cbc): Uint8Array {
  const l = aesBlock(key, zeroBlock(), backend);
  const k1 = dbl(l);
  const k2 = dbl(k1);
  const mac = maskedCbcMac(key, msg, k1, k2, backend);
  l.fill(0);
  k1.fill(0);
  k2.fill(0);
  return mac;
}

/** Bring a variable-length PRF key to 16 bytes (RFC 4434 §2, RFC 4615 §3). */
function prfKey(key: Uint8Array, mac: (k: Uint8Array, m: Uint8Array) => Uint8Array, zeroPadShort: boolean): Uint8Array {
  if (key.length === AES_BLOCK) return key;
  if (key.length < AES_BLOCK && zeroPadShort) {
    const k = new Uint8Array(AES_BLOCK);
    k.set(key);
    return k;
  }
  return mac(new Uint8Array(AES_BLOCK), key);
}

/** PRF_AES128_XCBC (RFC 4434): short keys are zero-padded, long keys are XCBC-MACed with a zero key. */
export function aesXcbcPrf128(key: Uint8Array, msg: Uint8Array, backend: Backend = DEFAULT_BACKEND.cbc): Uint8Array {
  const k = prfKey(key, (kk, m) => aesXcbcMac(kk, m, backend), true);
  const out = aesXcbcMac(k, msg, backend);
  if (k !== key) k.fill(0);
  return out;
}

/** PRF_AES128_CMAC (RFC 4615): any key length other than 16 is first CMACed with a zero key. */
export function aesCmacPrf128(key: Uint8Array, msg: Uint8Array, backend: Backend = DEFAULT_BACKEND.cbc): Uint8Array {
  const k = prfKey(key, (kk, m) => aesCmac(kk, m, backend), false);
  const out = aesCmac(k, msg, backend);
  if (k !== key) k.fill(0);
  return out;
}
