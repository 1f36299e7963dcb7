/**
 * Crypto figures of issue 2 §8: IKE key derivation, HMAC / AEAD throughput, KE operations per group
 * and sign/verify per backend, each beside `openssl speed` for the same primitive in the same run.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import { createAead, type AeadAlgorithm } from '../../src/crypto/aead.js';
import { BACKENDS, type Backend } from '../../src/crypto/backend.js';
import { hmac } from '../../src/crypto/hash.js';
import { createKeyExchange } from '../../src/crypto/ke.js';
import { deriveChildKeys, deriveIkeKeys } from '../../src/crypto/keymat.js';
import { createPrf } from '../../src/crypto/prf.js';
import { createSignature, verifySignature, type SignatureScheme } from '../../src/crypto/signature.js';
import { KeGroup, PrfId } from '../../src/iana/ikev2.js';
import { opsPerSecond, type BenchContext, type BenchRow } from '../harness.js';

function prfRows(ctx: BenchContext): BenchRow[] {
  const rows: BenchRow[] = [];
  const hmac64 = ctx.openssl.blockOps(['-hmac', 'sha256'], 64);
  const hmac1k = ctx.openssl.blockOps(['-hmac', 'sha256'], 1024);
  const p = { encrKeyLength: 36, integKeyLength: 0, nonceI: randomBytes(32), nonceR: randomBytes(32), sharedSecret: randomBytes(256), spiI: randomBytes(8), spiR: randomBytes(8) };
  // SKEYSEED (1 HMAC) + prf+ for 3*32 + 2*36 = 168 bytes (6 HMACs)
  const calls = 1 + Math.ceil((3 * 32 + 2 * 36) / 32);
  for (const backend of BACKENDS) {
    const prf = createPrf(PrfId.PRF_HMAC_SHA2_256, backend);
    const key = randomBytes(32);
    const m64 = randomBytes(64);
    const m1k = randomBytes(1024);
    rows.push({ suite: 'prf', name: 'HMAC-SHA256 64B', backend, opsPerSec: opsPerSecond(() => hmac('sha256', key, m64, backend), ctx.minMs, 100), ...ref(hmac64, 'openssl speed -hmac sha256 64B') });
    rows.push({ suite: 'prf', name: 'HMAC-SHA256 1024B', backend, opsPerSec: opsPerSecond(() => hmac('sha256', key, m1k, backend), ctx.minMs, 100), ...ref(hmac1k, 'openssl speed -hmac sha256 1024B') });
    rows.push({
      suite: 'prf',
      name: 'IKE keys SKEYSEED+SK_* (SHA256, GCM-256)',
      backend,
      opsPerSec: opsPerSecond(() => deriveIkeKeys({ prf, ...p }), ctx.minMs, 20),
      ...ref(hmac64 !== undefined ? hmac64 / calls : undefined, `openssl -hmac sha256 64B / ${calls} HMACs`),
    });
    const skD = randomBytes(32);
    rows.push({
      suite: 'prf',
      name: 'CHILD KEYMAT prf+ (SHA256, CBC-256+SHA256)',
      backend,
      opsPerSec: opsPerSecond(() => deriveChildKeys(prf, skD, { nonceI: p.nonceI, nonceR: p.nonceR }, { encrKeyLength: 32, integKeyLength: 32 }), ctx.minMs, 20),
      ...ref(hmac64 !== undefined ? hmac64 / 4 : undefined, 'openssl -hmac sha256 64B / 4 HMACs'),
    });
  }
  return rows;
}

function ref(v: number | undefined, name: string): { refOpsPerSec?: number; refName?: string } {
  return v === undefined ? {} : { refOpsPerSec: v, refName: name };
}

function aeadRows(ctx: BenchContext): BenchRow[] {
  const rows: BenchRow[] = [];
  const cases: readonly [AeadAlgorithm, number, string, string][] = [
    ['aes-gcm', 16, 'AES-128-GCM', 'aes-128-gcm'],
    ['aes-gcm', 32, 'AES-256-GCM', 'aes-256-gcm'],
    ['chacha20-poly1305', 32, 'ChaCha20-Poly1305', 'chacha20-poly1305'],
  ];
  for (const [alg, keyLen, label, evp] of cases) {
    const refOps = ctx.openssl.blockOps(['-evp', evp], 1024);
    for (const backend of BACKENDS) {
      const aead = createAead(alg, 16, backend);
      const key = randomBytes(keyLen);
      const nonce = randomBytes(12);
      const aad = randomBytes(8);
      const msg = randomBytes(1024);
      const ops = opsPerSecond(() => aead.seal(key, nonce, aad, msg), ctx.minMs, 50);
      rows.push({ suite: 'aead', name: `${label} seal 1024B`, backend, opsPerSec: ops, extra: { MBps: (ops * 1024) / 1e6 }, ...ref(refOps, `openssl speed -evp ${evp} 1024B`) });
    }
  }
  return rows;
}

const KE_CASES: readonly [number, string, string][] = [
  [KeGroup.MODP_2048, 'MODP-2048', 'ffdh2048'],
  [KeGroup.MODP_3072, 'MODP-3072', 'ffdh3072'],
  [KeGroup.MODP_4096, 'MODP-4096', 'ffdh4096'],
  [KeGroup.ECP_256, 'ECP-256', 'ecdhp256'],
  [KeGroup.ECP_384, 'ECP-384', 'ecdhp384'],
  [KeGroup.ECP_521, 'ECP-521', 'ecdhp521'],
  [KeGroup.CURVE25519, 'X25519', 'ecdhx25519'],
];

function keRows(ctx: BenchContext): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [group, label, alg] of KE_CASES) {
    const refOps = ctx.openssl.pkeyOps(alg).op;
    for (const backend of BACKENDS) {
      const a = createKeyExchange(group, backend);
      const peer = createKeyExchange(group, backend).publicKey;
      rows.push({ suite: 'ke', name: `${label} shared secret (derive)`, backend, opsPerSec: opsPerSecond(() => a.computeSharedSecret(peer), ctx.minMs), ...ref(refOps, `openssl speed ${alg}`) });
      rows.push({ suite: 'ke', name: `${label} key pair + public value`, backend, opsPerSec: opsPerSecond(() => createKeyExchange(group, backend), ctx.minMs) });
    }
  }
  return rows;
}

function signRows(ctx: BenchContext): BenchRow[] {
  const rows: BenchRow[] = [];
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  const cases: readonly [string, SignatureScheme, typeof rsa, string, readonly Backend[]][] = [
    ['RSA-2048 PKCS#1 SHA-256', { kind: 'rsa-pkcs1', hash: 'sha256' }, rsa, 'rsa2048', ['node']],
    ['ECDSA P-256 SHA-256', { kind: 'ecdsa', hash: 'sha256', encoding: 'der' }, ec, 'ecdsap256', BACKENDS],
    ['Ed25519', { kind: 'ed25519' }, ed, 'ed25519', BACKENDS],
  ];
  const data = randomBytes(64);
  for (const [label, scheme, kp, alg, backends] of cases) {
    const refOps = ctx.openssl.pkeyOps(alg);
    for (const backend of backends) {
      const sig = createSignature(scheme, kp.privateKey, data, backend);
      rows.push({ suite: 'sign', name: `${label} sign`, backend, opsPerSec: opsPerSecond(() => createSignature(scheme, kp.privateKey, data, backend), ctx.minMs), ...ref(refOps.sign, `openssl speed ${alg} sign`) });
      rows.push({ suite: 'sign', name: `${label} verify`, backend, opsPerSec: opsPerSecond(() => verifySignature(scheme, kp.publicKey, data, sig, backend), ctx.minMs), ...ref(refOps.verify, `openssl speed ${alg} verify`) });
    }
  }
  return rows;
}

/** Bench suite entry point. */
export async function run(ctx: BenchContext): Promise<readonly BenchRow[]> {
  return [...prfRows(ctx), ...aeadRows(ctx), ...keRows(ctx), ...signRows(ctx)];
}
