import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { EncrId, ExchangeType, IntegId, KeGroup, PayloadType, PrfId } from '../iana/ikev2.js';
import { decodeMessage } from '../wire/message.js';
import type { Payload } from '../wire/payload.js';
import { FragmentReassembler } from './fragment.js';
import { IkeSa, type IkeAlgorithms } from './ike-sa.js';
import { fragmentChunkSize, protect, unprotect } from './protect.js';

const ep = { address: '192.0.2.1', port: 500 };

function pair(alg: IkeAlgorithms): { i: IkeSa; r: IkeSa } {
  const i = new IkeSa(true, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), ep, ep);
  const r = new IkeSa(false, Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1), ep, ep);
  for (const sa of [i, r]) {
    sa.spiI = i.spiI;
    sa.spiR = r.spiR;
    sa.nonceI = new Uint8Array(32).fill(1);
    sa.nonceR = new Uint8Array(32).fill(2);
    sa.deriveKeys(alg, new Uint8Array(32).fill(3));
  }
  return { i, r };
}

const SUITES: readonly [string, IkeAlgorithms][] = [
  ['AES-GCM-16-256', { encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 256, integId: 0, prfId: PrfId.PRF_HMAC_SHA2_256, group: KeGroup.CURVE25519 }],
  ['AES-CBC-128/SHA1', { encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 128, integId: IntegId.AUTH_HMAC_SHA1_96, prfId: PrfId.PRF_HMAC_SHA1, group: KeGroup.MODP_2048 }],
  ['ChaCha20-Poly1305', { encrId: EncrId.ENCR_CHACHA20_POLY1305, keyLengthBits: 256, integId: 0, prfId: PrfId.PRF_HMAC_SHA2_512, group: KeGroup.ECP_256 }],
];

const big: Payload[] = [
  { type: PayloadType.CERT, critical: false, encoding: 4, data: new Uint8Array(3000).map((_, k) => k & 0xff) },
  { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: 16384, data: new Uint8Array(0) },
];

describe('SK/SKF protection', () => {
  for (const [name, alg] of SUITES) {
    it(`${name}: one SK message round-trips; a flipped bit is refused`, () => {
      const { i, r } = pair(alg);
      const [msg] = protect(i, { exchangeType: ExchangeType.INFORMATIONAL, response: false, messageId: 5, payloads: big.slice(1) });
      const out = unprotect(r, msg!, new FragmentReassembler(), 0);
      expect(out.state === 'complete' && out.payloads).toEqual(big.slice(1));
      const bad = msg!.slice();
      bad[bad.length - 3] = (bad[bad.length - 3] as number) ^ 1;
      expect(() => unprotect(r, bad, new FragmentReassembler(), 0)).toThrow(CryptoError);
      // a message from ourselves (wrong direction keys) does not verify either
      expect(() => unprotect(i, msg!, new FragmentReassembler(), 0)).toThrow(CryptoError);
    });

    it(`${name}: fragments within the size and reassembles in any order`, () => {
      const { i, r } = pair(alg);
      const frags = protect(i, { exchangeType: ExchangeType.IKE_AUTH, response: false, messageId: 1, payloads: big, fragmentSize: 576 });
      expect(frags.length).toBeGreaterThan(5);
      for (const f of frags) expect(f.length).toBeLessThanOrEqual(576);
      expect(frags.map((f) => decodeMessage(f).header.messageId)).toEqual(frags.map(() => 1));
      const reasm = new FragmentReassembler();
      const order = frags.map((_, k) => k).reverse();
      let last;
      for (const k of order) last = unprotect(r, frags[k]!, reasm, 0);
      expect(last?.state === 'complete' && last.payloads).toEqual(big);
    });
  }

  it('keeps a message that fits unfragmented', () => {
    const { i } = pair(SUITES[0]![1]);
    expect(protect(i, { exchangeType: ExchangeType.IKE_AUTH, response: false, messageId: 1, payloads: big.slice(1), fragmentSize: 576 })).toHaveLength(1);
  });

  it('refuses a fragment size that leaves no room', () => {
    const { i } = pair(SUITES[1]![1]);
    expect(() => fragmentChunkSize(i, 80)).toThrow(/no room/);
  });
});
