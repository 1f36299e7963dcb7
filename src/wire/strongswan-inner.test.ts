// Real bytes, inside SK/SKF: the encrypted payloads of the strongSwan captures are decrypted here
// with node:crypto directly (an independent check, not Kite's crypto layer) using the keys charon
// logged, SKF fragments are reassembled (RFC 7383 §2.6), and every inner chain decodes to the
// payload types tshark dissected, passes the message rules and re-encodes to the identical
// plaintext. Wireshark 4.0 cannot decrypt ChaCha20-Poly1305, so that suite is compared with the
// AES-GCM suite's dissection of the same scenario (same frame numbers).
import { createDecipheriv, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIkeDatagrams, type IkeDatagram } from '../capture/ike-datagrams.js';
import { readCapture } from '../capture/pcap.js';
import { EncrId, IntegId, PayloadType } from '../iana/ikev2.js';
import { concat, fromHex, toHex } from '../util/bytes.js';
import { checkMessageRules } from './message-rules.js';
import { decodeMessage, decodePayloadChain, encodePayloadChain, findSkPayloadOffset } from './message.js';
import { findPayload, type Payload } from './payload.js';
import { skSplit } from './payloads/sk.js';

interface Meta {
  readonly ike: { readonly encr: number; readonly keyLength: number; readonly integ?: number };
  readonly ikeFrames: readonly { readonly frame: number; readonly payloads: string }[];
}
interface SaKeys { readonly spiI: string; readonly spiR: string; readonly skEi: string; readonly skEr: string; readonly skAi: string; readonly skAr: string }

const root = new URL('../../vectors/strongswan/', import.meta.url);
const SUITES = [
  { suite: 'aes256-sha256-modp2048', reference: 'aes256-sha256-modp2048' },
  { suite: 'aes128gcm16-ecp256', reference: 'aes128gcm16-ecp256' },
  { suite: 'chacha20poly1305-x25519', reference: 'aes128gcm16-ecp256' },
] as const;

const json = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as T;

/** Inner payload types of tshark's summary "46[41 33 40]" / "53[...]"; undefined if not dissected. */
function innerTypes(summary: string | undefined): number[] | undefined {
  const m = /\[([^\]]*)\]/.exec(summary ?? '');
  return m === null ? undefined : (m[1] ?? '').trim().split(/\s+/).filter((x) => x !== '').map(Number);
}

/** Decrypt an SK/SKF body; returns the inner chain without padding (RFC 7296 §3.14, RFC 5282, RFC 7634). */
function decrypt(meta: Meta, k: SaKeys, fromInitiator: boolean, msg: Uint8Array, bodyOffset: number, body: Uint8Array): Uint8Array {
  const skE = fromHex(fromInitiator ? k.skEi : k.skEr);
  const { encr, keyLength } = meta.ike;
  let padded: Uint8Array;
  if (encr === EncrId.ENCR_AES_CBC) {
    expect(meta.ike.integ).toBe(IntegId.AUTH_HMAC_SHA2_256_128);
    const { iv, ciphertext, icv } = skSplit(body, 16, 16);
    const mac = createHmac('sha256', fromHex(fromInitiator ? k.skAi : k.skAr)).update(msg.subarray(0, msg.length - 16)).digest().subarray(0, 16);
    expect(toHex(mac)).toBe(toHex(icv));
    const d = createDecipheriv(`aes-${keyLength}-cbc`, skE, iv).setAutoPadding(false);
    padded = concat(d.update(ciphertext), d.final());
  } else {
    const { iv, ciphertext, icv } = skSplit(body, 8, 16);
    const key = skE.subarray(0, skE.length - 4);
    const nonce = concat(skE.subarray(skE.length - 4), iv);
    const aad = msg.subarray(0, bodyOffset);
    if (encr === EncrId.ENCR_CHACHA20_POLY1305) {
      const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 }).setAAD(aad, { plaintextLength: ciphertext.length });
      d.setAuthTag(icv);
      padded = concat(d.update(ciphertext), d.final());
    } else {
      const d = createDecipheriv(`aes-${keyLength}-gcm` as 'aes-128-gcm', key, nonce).setAAD(aad);
      d.setAuthTag(icv);
      padded = concat(d.update(ciphertext), d.final());
    }
  }
  const padLength = padded[padded.length - 1] as number;
  return padded.subarray(0, padded.length - 1 - padLength);
}

describe('strongSwan captures: encrypted payloads', () => {
  for (const { suite, reference } of SUITES) {
    const dir = `${suite}/`;
    it(`${suite}: inner chains decode to the dissected types and re-encode exactly`, () => {
      const meta = json<Meta>(`${dir}meta.json`);
      const refMeta = json<Meta>(`${reference}/meta.json`);
      const keys = json<{ ikeSas: SaKeys[] }>(`${dir}keys.json`).ikeSas;
      const ike = extractIkeDatagrams(readCapture(new Uint8Array(readFileSync(new URL(`${dir}capture.pcap`, root))))).filter((d): d is IkeDatagram => d.kind === 'ike');
      const fragments = new Map<string, { num: number; next: number; plain: Uint8Array }[]>();
      let checked = 0;
      for (const d of ike) {
        const m = decodeMessage(d.payload);
        const sk = findPayload(m.payloads, PayloadType.SK) ?? findPayload(m.payloads, PayloadType.SKF);
        if (sk === undefined) continue;
        const k = keys.find((x) => x.spiI === toHex(m.header.spiI) && x.spiR === toHex(m.header.spiR));
        expect(k, `keys for frame ${d.index}`).toBeDefined();
        if (k === undefined) continue;
        const bodyOffset = findSkPayloadOffset(d.payload)?.bodyOffset ?? -1;
        const plain = decrypt(meta, k, m.header.initiator, d.payload, bodyOffset, sk.body);
        let chain: { first: number; plain: Uint8Array } | undefined;
        if (sk.type === PayloadType.SK) {
          chain = { first: sk.innerNextPayload, plain };
        } else {
          const key = `${toHex(m.header.spiI)}/${m.header.messageId}/${m.header.response}`;
          const got = [...(fragments.get(key) ?? []), { num: sk.fragmentNumber, next: sk.innerNextPayload, plain }];
          fragments.set(key, got);
          if (got.length === sk.totalFragments) {
            got.sort((a, b) => a.num - b.num);
            chain = { first: got[0]?.next ?? 0, plain: concat(...got.map((g) => g.plain)) };
          }
        }
        if (chain === undefined) continue;
        const inner: Payload[] = decodePayloadChain(chain.first, chain.plain, bodyOffset);
        const want = innerTypes(meta.ikeFrames.find((f) => f.frame === d.index)?.payloads) ?? innerTypes(refMeta.ikeFrames.find((f) => f.frame === d.index)?.payloads);
        expect({ frame: d.index, types: inner.map((p) => p.type) }).toEqual({ frame: d.index, types: want });
        const again = encodePayloadChain(inner);
        expect(again.firstType).toBe(inner.length === 0 ? 0 : chain.first);
        expect(toHex(again.bytes)).toBe(toHex(chain.plain));
        checkMessageRules(m.header, m.payloads, inner);
        checked++;
      }
      // IKE_AUTH x2 (reassembled), CREATE_CHILD_SA x4, INFORMATIONAL x8.
      expect(checked).toBe(14);
    });
  }
});
