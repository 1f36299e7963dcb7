/**
 * Re-derives strongSwan's logged keys (vectors/strongswan/<suite>/keys.json, from charon logs at
 * level 4) with Kite's key derivation, taking g^ir from the log and Ni/Nr/SPIs from the captured
 * bytes: IKE_SA_INIT nonces in the clear, the rekey nonces by decrypting the CREATE_CHILD_SA SK
 * payloads with Kite's SK cipher (through `decryptSkPayload`, as `kite decode` does) and the
 * logged SK_e/SK_a. The capture is read with Kite's pcap reader; a wrong frame or nonce could only
 * make the comparison with strongSwan's logged keys fail, never pass.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPrf } from '../../src/crypto/prf.js';
import { deriveChildKeys, deriveIkeKeys, expandIkeKeys, rekeySkeyseed } from '../../src/crypto/keymat.js';
import { encrInfo, encrKeyMaterialLength } from '../../src/crypto/sk-cipher.js';
import { integInfo } from '../../src/crypto/integ.js';
import { AuthMethod, PayloadType } from '../../src/iana/ikev2.js';
import { parseDigitalSignatureAuth, signedOctets, verify } from '../../src/crypto/sign.js';
import { encodeAlgorithmIdentifier } from '../../src/crypto/algid.js';
import { concat, fromHex, toHex } from '../../src/util/bytes.js';
import { extractIkeDatagrams } from '../../src/capture/ike-datagrams.js';
import type { IkeSaKeys as TableKeys } from '../../src/capture/keys-file.js';
import { readCapture } from '../../src/capture/pcap.js';
import { decryptSkPayload } from '../../src/decode/decrypt.js';

interface IkeSaKeys { spiI: string; spiR: string; gir: string; skeyseed: string; skD: string; skAi: string; skAr: string; skEi: string; skEr: string; skPi: string; skPr: string }
interface ChildKeysJson { seed: string; encrI: string; encrR: string; integI: string; integR: string }
interface Meta {
  ike: { encr: number; keyLength: number; integ?: number; prf: number; ke: number };
  ikeSas: { spiI: string; spiR: string }[];
  exchanges: { ikeSa: number; exchange: string; messageId: number; purpose: string; requestFrames: number[]; responseFrames: number[] }[];
}

const SUITES = ['aes256-sha256-modp2048', 'aes128gcm16-ecp256', 'chacha20poly1305-x25519'] as const;

function file(suite: string, name: string): Buffer {
  return readFileSync(new URL(`../strongswan/${suite}/${name}`, import.meta.url));
}

/** IKE messages per frame number (1-based), non-ESP marker stripped. */
function ikeFrames(pcap: Buffer): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const d of extractIkeDatagrams(readCapture(new Uint8Array(pcap)))) if (d.kind === 'ike') out.set(d.index, d.payload.slice());
  return out;
}

/**
 * Payloads of a chain: [type, body][]. Raw bodies (not wire/'s records) because the signed
 * octets of RFC 7296 §2.15 take the ID payload body exactly as sent.
 */
function payloads(first: number, b: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  let type = first;
  let o = 0;
  while (type !== 0 && o + 4 <= b.length) {
    const len = (b[o + 2]! << 8) | b[o + 3]!;
    out.push([type, b.subarray(o + 4, o + len)]);
    type = b[o]!;
    o += len;
  }
  return out;
}

function nonceOf(list: [number, Uint8Array][]): Uint8Array {
  const n = list.find(([t]) => t === PayloadType.NONCE);
  if (n === undefined) throw new Error('no Nonce payload');
  return n[1];
}

describe.each(SUITES)('strongSwan %s: Kite re-derives every logged key', (suite) => {
  const keys = JSON.parse(file(suite, 'keys.json').toString('utf8')) as { ikeSas: IkeSaKeys[]; childSas: ChildKeysJson[] };
  const meta = JSON.parse(file(suite, 'meta.json').toString('utf8')) as Meta;
  const frames = ikeFrames(file(suite, 'capture.pcap'));
  const prf = createPrf(meta.ike.prf);
  const info = encrInfo(meta.ike.encr)!;
  const encrKeyLength = encrKeyMaterialLength(info, meta.ike.keyLength);
  const integKeyLength = meta.ike.integ !== undefined && meta.ike.integ !== 0 ? integInfo(meta.ike.integ)!.keyLength : 0;
  const ex = (purpose: string, mid: number): Meta['exchanges'][number] => {
    const e = meta.exchanges.find((x) => x.messageId === mid && x.ikeSa === 0 && x.exchange === purpose);
    if (e === undefined) throw new Error(`no ${purpose} ${mid} in meta.json`);
    return e;
  };
  const frame = (n: number | undefined): Uint8Array => {
    const f = frames.get(n ?? -1);
    if (f === undefined) throw new Error(`frame ${n} is not an IKE message`);
    return f;
  };
  const init = ex('IKE_SA_INIT', 0);
  const ni = nonceOf(payloads(frame(init.requestFrames[0])[16]!, frame(init.requestFrames[0]).subarray(28)));
  const nr = nonceOf(payloads(frame(init.responseFrames[0])[16]!, frame(init.responseFrames[0]).subarray(28)));
  const k0 = keys.ikeSas[0]!;
  const k0Table: TableKeys = {
    spiI: fromHex(k0.spiI),
    spiR: fromHex(k0.spiR),
    skEi: fromHex(k0.skEi),
    skEr: fromHex(k0.skEr),
    skAi: fromHex(k0.skAi),
    skAr: fromHex(k0.skAr),
    encr: { encrId: meta.ike.encr, keyLengthBits: meta.ike.keyLength },
    integ: { integId: integKeyLength > 0 ? meta.ike.integ! : 0 },
  };

  /** Decrypt the SK (or one SKF fragment's) payload of a message of IKE SA 0 with the logged keys via Kite's SK cipher. */
  const decryptOne = (msg: Uint8Array): Uint8Array => {
    expect(msg[16] === PayloadType.SKF || msg[16] === PayloadType.SK).toBe(true);
    return decryptSkPayload(msg, { initiator: (msg[19]! & 0x08) !== 0 }, k0Table);
  };
  const open = (msg: Uint8Array): [number, Uint8Array][] => payloads(msg[28]!, decryptOne(msg));
  /** Reassemble SKF fragments (RFC 7383 §2.6): plaintexts in Fragment Number order; inner type from fragment 1. */
  const openFragments = (msgs: readonly Uint8Array[]): [number, Uint8Array][] => {
    const sorted = [...msgs].sort((a, b) => ((a[32]! << 8) | a[33]!) - ((b[32]! << 8) | b[33]!));
    expect(sorted.map((m) => (m[34]! << 8) | m[35]!)).toEqual(sorted.map(() => sorted.length));
    return payloads(sorted[0]![28]!, concat(...sorted.map(decryptOne)));
  };

  it('SKEYSEED and SK_d/ai/ar/ei/er/pi/pr of the initial IKE SA (RFC 7296 §2.14)', () => {
    const k = deriveIkeKeys({ prf, encrKeyLength, integKeyLength, nonceI: ni, nonceR: nr, sharedSecret: fromHex(k0.gir), spiI: fromHex(k0.spiI), spiR: fromHex(k0.spiR) });
    const got = [k.skeyseed, k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr].map(toHex);
    expect(got).toEqual([k0.skeyseed, k0.skD, k0.skAi, k0.skAr, k0.skEi, k0.skEr, k0.skPi, k0.skPr]);
  });

  it('first CHILD_SA KEYMAT = prf+(SK_d, Ni | Nr) (RFC 7296 §2.17)', () => {
    const c = keys.childSas[0]!;
    expect(c.seed).toBe(toHex(concat(ni, nr)));
    const got = deriveChildKeys(prf, fromHex(k0.skD), { nonceI: ni, nonceR: nr }, { encrKeyLength: c.encrI.length / 2, integKeyLength: c.integI.length / 2 });
    expect([got.encrI, got.integI, got.encrR, got.integR].map(toHex)).toEqual([c.encrI, c.integI, c.encrR, c.integR]);
  });

  it('IKE_AUTH: SKF fragments decrypted and reassembled; both AUTH payloads verify over the signed octets (RFC 7296 §2.15, RFC 7427)', () => {
    const e = ex('IKE_AUTH', 1);
    const req = openFragments(e.requestFrames.map(frame));
    const resp = openFragments(e.responseFrames.map(frame));
    const body = (list: [number, Uint8Array][], t: number): Uint8Array => {
      const p = list.find(([x]) => x === t);
      if (p === undefined) throw new Error(`payload ${t} missing`);
      return p[1];
    };
    const sides = [
      { list: req, id: PayloadType.IDi, realMessage: frame(init.requestFrames[0]), nonce: nr, skP: k0.skPi, cert: 'client.crt.pem' },
      { list: resp, id: PayloadType.IDr, realMessage: frame(init.responseFrames[0]), nonce: ni, skP: k0.skPr, cert: 'gw.crt.pem' },
    ];
    for (const s of sides) {
      const auth = body(s.list, PayloadType.AUTH);
      const octets = signedOctets({ realMessage: s.realMessage, nonce: s.nonce, prf, skP: fromHex(s.skP), idPayloadBody: body(s.list, s.id) });
      const publicKey = new X509Certificate(readFileSync(new URL(`../strongswan/pki/${s.cert}`, import.meta.url))).publicKey;
      expect(auth[0]).toBe(AuthMethod.DIGITAL_SIGNATURE);
      const authData = auth.subarray(4);
      const parsed = parseDigitalSignatureAuth(authData);
      expect(parsed.scheme).toEqual({ kind: 'rsa-pkcs1', hash: 'sha256' });
      // Kite's own encoding of sha256WithRSAEncryption is byte-identical to strongSwan's.
      expect(toHex(encodeAlgorithmIdentifier({ kind: 'rsa-pkcs1', hash: 'sha256' }))).toBe(toHex(parsed.algorithmIdentifier));
      expect(verify({ method: auth[0]!, authData, publicKey, octets })).toBe(true);
      const tampered = octets.slice();
      tampered[tampered.length - 1]! ^= 1;
      expect(verify({ method: auth[0]!, authData, publicKey, octets: tampered })).toBe(false);
    }
  });

  it('rekeyed CHILD_SA: nonces decrypted from the CREATE_CHILD_SA SK payloads, KEYMAT re-derived', () => {
    const e = ex('CREATE_CHILD_SA', 2);
    const n2i = nonceOf(open(frame(e.requestFrames[0])));
    const n2r = nonceOf(open(frame(e.responseFrames[0])));
    const c = keys.childSas[1]!;
    expect(c.seed).toBe(toHex(concat(n2i, n2r)));
    const got = deriveChildKeys(prf, fromHex(k0.skD), { nonceI: n2i, nonceR: n2r }, { encrKeyLength: c.encrI.length / 2, integKeyLength: c.integI.length / 2 });
    expect([got.encrI, got.integI, got.encrR, got.integR].map(toHex)).toEqual([c.encrI, c.integI, c.encrR, c.integR]);
  });

  it('rekeyed IKE SA: SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr) and its SK_* (RFC 7296 §2.18)', () => {
    const e = ex('CREATE_CHILD_SA', 4);
    const req = open(frame(e.requestFrames[0]));
    const resp = open(frame(e.responseFrames[0]));
    const k1 = keys.ikeSas[1]!;
    const skeyseed = rekeySkeyseed(prf, fromHex(k0.skD), fromHex(k1.gir), nonceOf(req), nonceOf(resp));
    expect(toHex(skeyseed)).toBe(k1.skeyseed);
    const k = expandIkeKeys({ prf, encrKeyLength, integKeyLength, nonceI: nonceOf(req), nonceR: nonceOf(resp), spiI: fromHex(k1.spiI), spiR: fromHex(k1.spiR), skeyseed });
    expect([k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr].map(toHex)).toEqual([k1.skD, k1.skAi, k1.skAr, k1.skEi, k1.skEr, k1.skPi, k1.skPr]);
    expect(meta.ikeSas[1]).toMatchObject({ spiI: k1.spiI, spiR: k1.spiR });
  });
});
