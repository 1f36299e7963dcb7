import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/crypto/backend.js';
import { createKeyExchange } from '../../src/crypto/ke.js';
import { CryptoError } from '../../src/errors.js';
import { KeGroup } from '../../src/iana/ikev2.js';
import { derRead, DerTag } from '../../src/crypto/der.js';
import { bytesEqual, concat } from '../../src/util/bytes.js';
import { hexField, loadWycheproof, runAll, type WycheproofTest } from './load.js';

/** Run a KE with a fixed private key against peer KE data; true if accepted with the right secret. */
function agree(group: number, backend: 'node' | 'noble', priv: Uint8Array, peer: Uint8Array | undefined, shared: Uint8Array): boolean {
  if (peer === undefined) return false;
  const ke = createKeyExchange(group, backend, priv);
  let got: Uint8Array;
  try {
    got = ke.computeSharedSecret(peer);
  } catch (e) {
    if (e instanceof CryptoError && e.code === 'INVALID_KE_PUBLIC') return false;
    throw e;
  }
  if (!bytesEqual(got, shared)) throw new Error('accepted with a wrong shared secret');
  return true;
}

describe('Wycheproof x25519_test.json (Curve25519, RFC 8031)', () => {
  const { entry, data } = loadWycheproof('x25519_test.json');
  it.each(BACKENDS)('every test on the %s backend', (backend) => {
    const isZero = (t: WycheproofTest): boolean => hexField(t, 'shared').every((b) => b === 0);
    const { ran, failures } = runAll(
      data,
      (t) => agree(KeGroup.CURVE25519, backend, hexField(t, 'private'), hexField(t, 'public'), hexField(t, 'shared')),
      // RFC 8031 §2: an all-zero result MUST be rejected; other acceptable cases (twist, non-canonical u) are computed.
      (t) => !isZero(t),
    );
    expect(failures).toEqual([]);
    expect(ran).toBe(entry.tests);
  });
});

const ECP: readonly [number, string, number, string][] = [
  [KeGroup.ECP_256, 'secp256r1', 32, 'prime256v1'],
  [KeGroup.ECP_384, 'secp384r1', 48, 'secp384r1'],
  [KeGroup.ECP_521, 'secp521r1', 66, 'secp521r1'],
];

/** Wycheproof X9.62 point -> IKE KE data (x | y). Only the uncompressed form exists in IKE. */
function ecpointToKe(pub: Uint8Array, flen: number): Uint8Array | undefined {
  return pub.length === 1 + 2 * flen && pub[0] === 4 ? pub.subarray(1) : undefined;
}

/** DER SubjectPublicKeyInfo -> IKE KE data, via node's decoder; undefined if not a point of `curve`. */
function spkiToKe(der: Uint8Array, flen: number, curve: string): Uint8Array | undefined {
  try {
    // IKE groups are named: an SPKI spelling out curve parameters (UnnamedCurve) has no IKE form.
    const spki = derRead(der, 0, 'spki');
    const algId = derRead(spki.value, 0, 'algId');
    const params = derRead(algId.value, derRead(algId.value, 0, 'oid').end, 'params');
    if (params.tag !== DerTag.OID) return undefined;
    const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== curve) return undefined;
    const jwk = key.export({ format: 'jwk' });
    const pad = (s: string | undefined): Uint8Array => {
      const b = Buffer.from(s ?? '', 'base64url');
      return concat(new Uint8Array(flen - b.length), b);
    };
    return concat(pad(jwk.x), pad(jwk.y));
  } catch {
    return undefined;
  }
}

describe.each(ECP)('Wycheproof ECDH group %i (%s)', (group, name, flen, opensslName) => {
  const point = loadWycheproof(`ecdh_${name}_ecpoint_test.json`);
  const der = loadWycheproof(`ecdh_${name}_test.json`);
  it.each(BACKENDS)('every ecpoint test on the %s backend', (backend) => {
    const { ran, failures } = runAll(
      point.data,
      (t) => agree(group, backend, hexField(t, 'private'), ecpointToKe(hexField(t, 'public'), flen), hexField(t, 'shared')),
      (t) => ecpointToKe(hexField(t, 'public'), flen) !== undefined,
    );
    expect(failures).toEqual([]);
    expect(ran).toBe(point.entry.tests);
  });
  it.each(BACKENDS)('every DER SPKI test on the %s backend', (backend) => {
    const { ran, failures } = runAll(
      der.data,
      (t) => agree(group, backend, hexField(t, 'private'), spkiToKe(hexField(t, 'public'), flen, opensslName), hexField(t, 'shared')),
      () => 'either',
    );
    expect(failures).toEqual([]);
    expect(ran).toBe(der.entry.tests);
  });
});
