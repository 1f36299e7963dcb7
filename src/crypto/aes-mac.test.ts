import { readFileSync } from 'node:fs';
import { cmac } from '@noble/ciphers/aes.js'; // noble's argument order: cmac(msg, key)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegId, PrfId } from '../iana/ikev2.js';
import { fromHex, toHex } from '../util/bytes.js';
import { aesCmac, aesCmacPrf128, aesXcbcMac } from './aes-mac.js';
import { BACKENDS } from './backend.js';
import { createInteg } from './integ.js';
import { createPrf } from './prf.js';

interface AesPrfVectors {
  xcbcMac: { key: string; cases: { case: number; message?: string; messageZeros?: number; mac: string; mac96: string }[] };
  xcbcPrf: { message: string; cases: { key: string; keyLength: number; output: string }[] };
  cmac: { key: string; cases: { message: string; mac: string }[] };
}

const V = JSON.parse(readFileSync(new URL('../../vectors/rfc/aes-prf.json', import.meta.url), 'utf8')) as AesPrfVectors;

describe.each(BACKENDS)('AES-XCBC / AES-CMAC on the %s backend', (backend) => {
  it('RFC 3566 §4.6: all 7 AES-XCBC-MAC cases, full and as AUTH_AES_XCBC_96', () => {
    const key = fromHex(V.xcbcMac.key);
    const integ = createInteg(IntegId.AUTH_AES_XCBC_96, backend);
    expect(V.xcbcMac.cases).toHaveLength(7);
    for (const c of V.xcbcMac.cases) {
      const msg = c.messageZeros !== undefined ? new Uint8Array(c.messageZeros) : fromHex(c.message ?? '');
      expect(toHex(aesXcbcMac(key, msg, backend)), `case ${c.case}`).toBe(c.mac);
      expect(toHex(integ.compute(key, [msg]))).toBe(c.mac96);
    }
  });
  it('RFC 4434 §2.1: PRF_AES128_XCBC with 16-, 10- and 18-byte keys', () => {
    const prf = createPrf(PrfId.PRF_AES128_XCBC, backend);
    for (const c of V.xcbcPrf.cases) {
      const key = fromHex(c.key);
      expect(key.length).toBe(c.keyLength);
      expect(toHex(prf.compute(key, fromHex(V.xcbcPrf.message)))).toBe(c.output);
    }
  });
  it('NIST SP 800-38B / RFC 4493 AES-CMAC examples', () => {
    for (const c of V.cmac.cases) expect(toHex(aesCmac(fromHex(V.cmac.key), fromHex(c.message), backend))).toBe(c.mac);
  });
  it('AES-CMAC agrees with noble cmac on random keys and messages; PRF key handling follows RFC 4615', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 80 }), (k, m) => {
        expect(toHex(aesCmac(k, m, backend))).toBe(toHex(cmac(m, k)));
      }),
      { numRuns: 50 },
    );
    const prf = createPrf(PrfId.PRF_AES128_CMAC, backend);
    const long = Uint8Array.from({ length: 20 }, (_, i) => i);
    const derived = cmac(long, new Uint8Array(16));
    expect(toHex(prf.compute(long, long))).toBe(toHex(cmac(long, derived)));
    const short = long.subarray(0, 10);
    expect(toHex(aesCmacPrf128(short, long, backend))).toBe(toHex(cmac(long, cmac(short, new Uint8Array(16)))));
  });
});
