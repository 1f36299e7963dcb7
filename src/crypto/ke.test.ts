import { describe, expect, it } from 'vitest';
import { KeGroup } from '../iana/ikev2.js';
import { toHex } from '../util/bytes.js';
import { BACKENDS } from './backend.js';
import { createKeyExchange, KE_GROUPS, keGroupInfo } from './ke.js';

const EC_GROUPS = [KeGroup.ECP_256, KeGroup.ECP_384, KeGroup.ECP_521, KeGroup.CURVE25519] as const;
const INVALID = expect.objectContaining({ code: 'INVALID_KE_PUBLIC' });

describe.each(EC_GROUPS)('KE group %i', (group) => {
  const info = keGroupInfo(group)!;
  it('node and noble interoperate in IKE wire format and agree on the secret', () => {
    const a = createKeyExchange(group, 'node');
    const b = createKeyExchange(group, 'noble');
    expect(a.publicKey.length).toBe(info.publicKeyLength);
    expect(b.publicKey.length).toBe(info.publicKeyLength);
    const s = a.computeSharedSecret(b.publicKey);
    expect(s.length).toBe(info.sharedSecretLength);
    expect(toHex(b.computeSharedSecret(a.publicKey))).toBe(toHex(s));
  });
  it('the same private key gives the same public value on both backends', () => {
    const a = createKeyExchange(group, 'node');
    const b = createKeyExchange(group, 'noble');
    const priv = Uint8Array.from({ length: group === KeGroup.ECP_521 ? 66 : group === KeGroup.ECP_384 ? 48 : 32 }, (_, i) => (i * 7 + 1) & 0x3f);
    const pa = createKeyExchange(group, 'node', priv);
    const pb = createKeyExchange(group, 'noble', priv);
    expect(toHex(pa.publicKey)).toBe(toHex(pb.publicKey));
    expect(toHex(pa.computeSharedSecret(a.publicKey))).toBe(toHex(a.computeSharedSecret(pa.publicKey)));
    expect(toHex(pb.computeSharedSecret(b.publicKey))).toBe(toHex(b.computeSharedSecret(pb.publicKey)));
  });
  it.each(BACKENDS)('rejects wrong lengths and garbage with INVALID_KE_PUBLIC (%s)', (backend) => {
    const k = createKeyExchange(group, backend);
    const good = createKeyExchange(group, backend).publicKey;
    expect(() => k.computeSharedSecret(good.subarray(1))).toThrow(INVALID);
    expect(() => k.computeSharedSecret(new Uint8Array(good.length + 1))).toThrow(INVALID);
    if (group !== KeGroup.CURVE25519) {
      const off = good.slice();
      off[off.length - 1]! ^= 1; // y changed: not on the curve (RFC 6989 §2.3)
      expect(() => k.computeSharedSecret(off)).toThrow(INVALID);
      expect(() => k.computeSharedSecret(new Uint8Array(good.length))).toThrow(INVALID);
    } else {
      // u = 0 and u = 1 are low-order points: all-zero secret, RFC 8031 §2
      expect(() => k.computeSharedSecret(new Uint8Array(32))).toThrow(INVALID);
      const one = new Uint8Array(32);
      one[0] = 1;
      expect(() => k.computeSharedSecret(one)).toThrow(INVALID);
    }
  });
});

describe('KE registry', () => {
  it('lists the issue\'s groups and refuses others', () => {
    expect(Object.keys(KE_GROUPS).map(Number)).toEqual(expect.arrayContaining([14, 15, 16, 19, 20, 21, 31]));
    expect(() => createKeyExchange(KeGroup.MODP_1024)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_KE' }));
  });
});
