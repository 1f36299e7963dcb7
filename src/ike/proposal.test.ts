import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from './testing/errors.testkit.js';
import { decodeIkeFile } from '../decode/decode-file.js';
import type { PayloadJson, SaJson } from '../decode/json.js';
import { KiteError } from '../errors.js';
import { EncrId, EsnId, IntegId, KeGroup, PayloadType, PrfId, ProtocolId, TransformType, transformTypeNames } from '../iana/ikev2.js';
import { Reader, Writer } from '../util/bytes.js';
import { decodeSaPayload, encodeSaPayload, type Proposal, type Transform } from '../wire/payloads/sa.js';
import { ESP_ENCR, ESP_INTEG } from '../esp/cipher.js';
import {
  ESP_ENCR_KEY_LENGTHS, ESP_INTEG_IDS, buildProposals, describeProposals, negotiatedAlgorithms, offeredGroups, parseProposalString, proposalToString, selectChosen, withSpi,
} from './proposal.js';

const { ENCR, INTEG, PRF, KE, ESN } = TransformType;
const t = (type: number, id: number, keyLength?: number): Transform => ({ type, id, ...(keyLength !== undefined ? { keyLength } : {}) });
const err = errorOf;

describe('buildProposals: defaults (issue 4 §1)', () => {
  it('IKE: AES-GCM-16-256/PRF-SHA2-256 then AES-CBC-256/SHA2-256, each with X25519, ECP-256, MODP-2048 in that order', () => {
    const p = buildProposals({ protocol: 'ike' });
    expect(describeProposals(p)).toBe('IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519/ECP_256/MODP_2048, ' +
      'IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519/ECP_256/MODP_2048');
    expect(p.map((q) => [q.num, q.protocolId, q.spi.length])).toEqual([[1, ProtocolId.IKE, 0], [2, ProtocolId.IKE, 0]]);
    expect(offeredGroups(p)).toEqual([KeGroup.CURVE25519, KeGroup.ECP_256, KeGroup.MODP_2048]);
  });

  it('ESP: AES-GCM-16 and AES-CBC with HMAC-SHA2-256/384/512, ESN and no ESN, no PFS group', () => {
    const p = buildProposals({ protocol: 'esp', spi: Uint8Array.of(1, 2, 3, 4) });
    expect(p[0]?.transforms).toEqual([t(ENCR, EncrId.ENCR_AES_GCM_16, 256), t(ENCR, EncrId.ENCR_AES_GCM_16, 128), t(ESN, EsnId.ESN), t(ESN, EsnId.NO_ESN)]);
    expect(p[1]?.transforms).toEqual([
      t(ENCR, EncrId.ENCR_AES_CBC, 256), t(ENCR, EncrId.ENCR_AES_CBC, 128),
      t(INTEG, IntegId.AUTH_HMAC_SHA2_256_128), t(INTEG, IntegId.AUTH_HMAC_SHA2_384_192), t(INTEG, IntegId.AUTH_HMAC_SHA2_512_256),
      t(ESN, EsnId.ESN), t(ESN, EsnId.NO_ESN),
    ]);
    expect(p.every((q) => q.protocolId === ProtocolId.ESP && q.spi.length === 4)).toBe(true);
    expect(offeredGroups(p)).toEqual([]);
  });

  it('ESP defaults meet openiked 7.2\'s Linux default (AES-CBC-256 with SHA2-384 or SHA2-512, no ESN)', () => {
    const iked: Proposal = { num: 2, protocolId: ProtocolId.ESP, spi: Uint8Array.of(9, 9, 9, 9),
      transforms: [t(ENCR, EncrId.ENCR_AES_CBC, 256), t(INTEG, IntegId.AUTH_HMAC_SHA2_384_192), t(ESN, EsnId.NO_ESN)] };
    const a = negotiatedAlgorithms(selectChosen(buildProposals({ protocol: 'esp', spi: Uint8Array.of(1, 2, 3, 4) }), iked));
    expect(a).toMatchObject({ encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_384_192, esn: false, keGroup: undefined });
  });
});

describe('buildProposals: strongSwan strings', () => {
  it('reads the examples of the brief', () => {
    expect(describeProposals(buildProposals({ protocol: 'ike', proposals: 'aes256gcm16-prfsha256-x25519-ecp256-modp2048' })))
      .toBe('IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519/ECP_256/MODP_2048');
    // The PRF follows from the integrity algorithm when none is named, as in strongSwan.
    expect(describeProposals(buildProposals({ protocol: 'ike', proposals: 'aes256-sha256-modp2048' })))
      .toBe('IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
    expect(describeProposals(buildProposals({ protocol: 'esp', proposals: ['aes256gcm16-esn-noesn', 'aes256-sha384-sha512-noesn'] })))
      .toBe('ESP:AES_GCM_16_256/EXT_SEQ/NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA2_384_192/HMAC_SHA2_512_256/NO_EXT_SEQ');
  });

  it('splits AEAD and classic ciphers into two proposals, comma lists into several, and ignores a trailing "!"', () => {
    const p = buildProposals({ protocol: 'ike', proposals: 'aes128gcm16-aes256-sha384-prfsha384-ecp384!,chacha20poly1305-prfsha256-x25519' });
    expect(describeProposals(p)).toBe('IKE:AES_GCM_16_128/PRF_HMAC_SHA2_384/ECP_384, IKE:AES_CBC_256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/ECP_384, ' +
      'IKE:CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519');
    expect(p.map((q) => q.num)).toEqual([1, 2, 3]);
    expect(parseProposalString('AES256GCM128-PRFSHA256-ECP256', 'ike')).toEqual([[t(ENCR, EncrId.ENCR_AES_GCM_16, 256), t(PRF, PrfId.PRF_HMAC_SHA2_256), t(KE, KeGroup.ECP_256)]]);
    expect(parseProposalString('aes128-sha1-noesn', 'esp')).toEqual([[t(ENCR, EncrId.ENCR_AES_CBC, 128), t(INTEG, IntegId.AUTH_HMAC_SHA1_96), t(ESN, EsnId.NO_ESN)]]);
    // ESP without ESN keyword gets no ESN; with a PFS group it carries KE.
    expect(parseProposalString('aes256gcm16-ecp256', 'esp')).toEqual([[t(ENCR, EncrId.ENCR_AES_GCM_16, 256), t(KE, KeGroup.ECP_256), t(ESN, EsnId.NO_ESN)]]);
  });

  it('names the bad token or the missing piece', () => {
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes265-sha256-modp2048' }))).toMatch(/^BAD_PROPOSAL: proposal "aes265-sha256-modp2048": unknown algorithm "aes265"; fix: /);
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256-modp2048' }))).toContain('no integrity algorithm');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256gcm16-x25519' }))).toContain('no PRF; fix: add one, e.g. prfsha256');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256gcm16-prfsha256' }))).toContain('no key exchange group');
    expect(err(() => buildProposals({ protocol: 'esp', proposals: 'sha256-esn' }))).toContain('no encryption algorithm');
    expect(err(() => buildProposals({ protocol: 'esp', proposals: 'aes256-sha256-prfsha256' }))).toContain('"prfsha256" is not available for ESP');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256-sha256-modp1024' }))).toContain('"modp1024" is not available for IKE');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256-sha256-esn-modp2048' }))).toContain('"esn" is not available for IKE');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: 'aes256--sha256' }))).toContain('unknown algorithm ""');
    expect(err(() => buildProposals({ protocol: 'ike', proposals: [] }))).toContain('no proposal given');
  });

  it('prints proposals back in keyword syntax that parses to the same transforms', () => {
    for (const p of [...buildProposals({ protocol: 'ike' }), ...buildProposals({ protocol: 'esp' })]) {
      const text = proposalToString(p);
      expect(parseProposalString(text, p.protocolId === ProtocolId.IKE ? 'ike' : 'esp')).toEqual([p.transforms]);
    }
    expect(proposalToString(buildProposals({ protocol: 'ike' })[0] as Proposal)).toBe('aes256gcm16-prfsha256-x25519-ecp256-modp2048');
  });

  it('round-trips through the SA payload codec', () => {
    const proposals = buildProposals({ protocol: 'esp', spi: Uint8Array.of(0xc0, 0, 0, 1) });
    const w = new Writer();
    encodeSaPayload(w, { type: PayloadType.SA, critical: false, proposals });
    const bytes = w.finish();
    expect(decodeSaPayload(new Reader(bytes), false).proposals).toEqual(proposals);
    expect(withSpi(proposals, Uint8Array.of(1, 1, 1, 1)).map((p) => p.spi)).toEqual([Uint8Array.of(1, 1, 1, 1), Uint8Array.of(1, 1, 1, 1)]);
  });
});

describe('against strongSwan 5.9.8 (vectors/strongswan captures and logs)', () => {
  const root = new URL('../../vectors/strongswan/', import.meta.url);
  const suites = readdirSync(root).filter((d) => d !== 'pki' && !d.includes('.'));
  it('has captures', () => expect(suites.length).toBeGreaterThanOrEqual(3));
  const typeId = (name: string): number => [...transformTypeNames].find(([, n]) => n === name)?.[0] ?? -1;
  for (const suite of suites) {
    it(`${suite}: our proposal from strongSwan's string equals its IKE_SA_INIT SA and its log line, and its choice passes`, () => {
      const meta = JSON.parse(readFileSync(new URL(`${suite}/meta.json`, root), 'utf8')) as { ike: { proposal: string }; esp: { proposal: string } };
      const ours = buildProposals({ protocol: 'ike', proposals: meta.ike.proposal });
      const log = readFileSync(new URL(`${suite}/charon-initiator.log`, root), 'utf8');
      expect(log).toContain(`proposals = ${describeProposals(ours)}\n`);
      expect(log).toContain(`proposals = ${describeProposals(buildProposals({ protocol: 'esp', proposals: meta.esp.proposal }))}\n`);
      const decoded = decodeIkeFile(new Uint8Array(readFileSync(new URL(`${suite}/capture.pcap`, root))));
      const isSa = (p: PayloadJson): p is SaJson => p.type === 'SA';
      const sas = decoded.slice(0, 2).map((d) => ('payloads' in d ? d.payloads.find(isSa) : undefined));
      const toProposal = (j: { num: number; transforms: readonly { type: string; id: number; keyLength?: number }[] }): Proposal => ({
        num: j.num, protocolId: ProtocolId.IKE, spi: new Uint8Array(0), transforms: j.transforms.map((x) => t(typeId(x.type), x.id, x.keyLength)),
      });
      const [request, response] = sas.map((sa) => sa?.proposals.map(toProposal) ?? []);
      expect(request).toEqual(ours);
      const chosen = selectChosen(ours, response ?? []);
      expect(negotiatedAlgorithms(chosen).prfId).toBe(PrfId.PRF_HMAC_SHA2_256);
    });
  }
});

describe('selectChosen', () => {
  const ike = buildProposals({ protocol: 'ike' });
  const esp = buildProposals({ protocol: 'esp', spi: Uint8Array.of(1, 2, 3, 4) });
  const cbc: Proposal = { num: 2, protocolId: ProtocolId.IKE, spi: new Uint8Array(0),
    transforms: [t(ENCR, EncrId.ENCR_AES_CBC, 256), t(INTEG, IntegId.AUTH_HMAC_SHA2_256_128), t(PRF, PrfId.PRF_HMAC_SHA2_256), t(KE, KeGroup.ECP_256)] };

  it('accepts one transform of each offered type from the numbered proposal, in any order', () => {
    expect(selectChosen(ike, cbc)).toBe(cbc);
    const reordered = { ...cbc, transforms: [...cbc.transforms].reverse() };
    expect(negotiatedAlgorithms(selectChosen(ike, [reordered]))).toEqual({
      protocolId: ProtocolId.IKE, encrId: EncrId.ENCR_AES_CBC, keyLengthBits: 256, integId: IntegId.AUTH_HMAC_SHA2_256_128,
      prfId: PrfId.PRF_HMAC_SHA2_256, keGroup: KeGroup.ECP_256, esn: false, spi: new Uint8Array(0),
    });
  });

  it('refuses every malformed or unoffered choice with PROPOSAL_MISMATCH and what we offered', () => {
    const cases: [Proposal | Proposal[], string][] = [
      [[cbc, cbc], 'it holds 2 proposals, not one'],
      [[], 'it holds 0 proposals'],
      [{ ...cbc, num: 3 }, 'proposal number 3 was not offered'],
      [{ ...cbc, num: 1 }, 'AES_CBC_256 was not offered in proposal 1'],
      [{ ...cbc, protocolId: ProtocolId.ESP }, 'protocol ESP instead of IKE'],
      [{ ...cbc, spi: new Uint8Array(8) }, 'SPI of 8 octets'],
      [{ ...cbc, transforms: [...cbc.transforms, t(KE, KeGroup.MODP_2048)] }, 'two transforms of type 4'],
      [{ ...cbc, transforms: cbc.transforms.slice(0, 3) }, 'no transform of type 4 although we offered CURVE_25519'],
      [{ ...cbc, transforms: [t(ENCR, EncrId.ENCR_AES_CBC, 128), ...cbc.transforms.slice(1)] }, 'AES_CBC_128 was not offered'],
      [{ ...cbc, transforms: [...cbc.transforms.slice(0, 3), t(KE, KeGroup.ECP_384)] }, 'ECP_384 was not offered'],
      [{ ...cbc, transforms: [...cbc.transforms, t(ESN, 0)] }, 'NO_EXT_SEQ was not offered'],
      [{ ...cbc, transforms: [{ ...t(ENCR, EncrId.ENCR_AES_CBC, 256), attributes: [{ type: 99, tv: true, value: Uint8Array.of(0, 1) }] }, ...cbc.transforms.slice(1)] }, 'AES_CBC_256 was not offered'],
    ];
    for (const [chosen, why] of cases) {
      const m = err(() => selectChosen(ike, chosen));
      expect(m).toMatch(/^PROPOSAL_MISMATCH: the responder's SA payload is not a valid choice: /);
      expect(m).toContain(why);
      expect(m).toContain('we offered IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519/ECP_256/MODP_2048, IKE:AES_CBC_256/');
    }
    const espChoice: Proposal = { num: 1, protocolId: ProtocolId.ESP, spi: Uint8Array.of(5, 6, 7, 8), transforms: [t(ENCR, EncrId.ENCR_AES_GCM_16, 128), t(ESN, EsnId.ESN)] };
    expect(negotiatedAlgorithms(selectChosen(esp, espChoice))).toMatchObject({ encrId: EncrId.ENCR_AES_GCM_16, keyLengthBits: 128, integId: 0, esn: true, spi: Uint8Array.of(5, 6, 7, 8) });
    expect(err(() => selectChosen(esp, { ...espChoice, spi: new Uint8Array(0) }))).toContain('SPI of 0 octets');
    expect(err(() => selectChosen(esp, { ...espChoice, transforms: espChoice.transforms.slice(0, 1) }))).toContain('no transform of type 5');
  });

  it('accepts exactly the choices of one transform per type from an offered proposal (property)', () => {
    const offered = [...ike, ...buildProposals({ protocol: 'ike', proposals: 'aes128-aes256-sha1-sha512-prfsha1-prfsha512-ecp384-modp3072' })].map((p, i) => ({ ...p, num: i + 1 }));
    fc.assert(fc.property(fc.nat(offered.length - 1), fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), fc.boolean(), (pi, picks, corrupt) => {
      const p = offered[pi] as Proposal;
      const types = [...new Set(p.transforms.map((x) => x.type))];
      const chosenTransforms = types.map((type, i) => {
        const options = p.transforms.filter((x) => x.type === type);
        return options[(picks[i] ?? 0) % options.length] as Transform;
      });
      if (corrupt) chosenTransforms[0] = { ...(chosenTransforms[0] as Transform), id: 0xfff };
      const chosen: Proposal = { num: p.num, protocolId: ProtocolId.IKE, spi: new Uint8Array(0), transforms: chosenTransforms };
      if (corrupt) expect(() => selectChosen(offered, chosen)).toThrow(KiteError);
      else expect(selectChosen(offered, chosen)).toBe(chosen);
    }));
  });
});

describe('ESP algorithm table', () => {
  it('mirrors what the ESP dataplane implements (esp/cipher.ts)', () => {
    expect(Object.fromEntries(Object.entries(ESP_ENCR).map(([id, info]) => [id, info.keyLengths]))).toEqual(ESP_ENCR_KEY_LENGTHS);
    expect(Object.keys(ESP_INTEG).map(Number).sort((a, b) => a - b)).toEqual([...ESP_INTEG_IDS]);
  });
});

describe('negotiatedAlgorithms', () => {
  it('gives ChaCha20-Poly1305 its fixed 256-bit key and no INTEG', () => {
    const [p] = buildProposals({ protocol: 'ike', proposals: 'chacha20poly1305-prfsha256-x25519' });
    const one: Proposal = { ...(p as Proposal), transforms: (p as Proposal).transforms };
    expect(negotiatedAlgorithms(one)).toMatchObject({ encrId: EncrId.ENCR_CHACHA20_POLY1305, keyLengthBits: 256, integId: 0, keGroup: KeGroup.CURVE25519 });
    expect(err(() => negotiatedAlgorithms({ ...one, transforms: [] }))).toMatch(/^PROPOSAL_MISMATCH/);
  });
});
