/**
 * Fuzz target for the IKEv2 wire codec: the message decoder, the payload chain decoder (as used on
 * decrypted SK contents) and the message rules. Beyond "record or ParseError" it checks two
 * invariants on every accepted input: re-encoding keeps the length and is a fixed point of
 * decode/encode, and `findSkPayloadOffset` agrees with the decoder.
 * Seeds: every IKE message of the strongSwan captures, plus sample messages for each payload.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extractIkeDatagrams } from '../../src/capture/ike-datagrams.js';
import { readCapture } from '../../src/capture/pcap.js';
import { ParseError } from '../../src/errors.js';
import { PayloadType } from '../../src/iana/ikev2.js';
import { bytesEqual } from '../../src/util/bytes.js';
import { checkMessageRules } from '../../src/wire/message-rules.js';
import { decodeMessage, decodePayloadChain, encodeMessage, findSkPayloadOffset } from '../../src/wire/message.js';
import { findPayload } from '../../src/wire/payload.js';
import { sampleMessages } from '../../src/wire/samples.testkit.js';
import type { FuzzTarget } from '../harness.js';

function captureSeeds(): Uint8Array[] {
  const root = new URL('../../vectors/strongswan/', import.meta.url);
  if (!existsSync(root)) return [];
  const out: Uint8Array[] = [];
  for (const dir of readdirSync(root)) {
    const file = new URL(`${dir}/capture.pcap`, root);
    if (!existsSync(file)) continue;
    for (const d of extractIkeDatagrams(readCapture(new Uint8Array(readFileSync(file))))) {
      if (d.kind === 'ike') out.push(d.payload.slice());
    }
  }
  return out;
}

/** Swallow ParseError from a sub-step so later steps still run; rethrow anything else. */
function tolerate(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}

/** The IKE message decoder, payload chains and message rules. */
export const target: FuzzTarget = {
  name: 'ike-message',
  seeds: () => [...captureSeeds(), ...sampleMessages()],
  run(input: Uint8Array): void {
    tolerate(() => decodePayloadChain(input[0] ?? 0, input.subarray(1), 1));
    const m = decodeMessage(input);
    const again = encodeMessage(m);
    if (again.length !== input.length) throw new Error(`re-encoded length ${again.length} != ${input.length}`);
    if (!bytesEqual(encodeMessage(decodeMessage(again)), again)) throw new Error('decode/encode is not a fixed point');
    if (findSkPayloadOffset(input)?.offset !== m.skOffset) throw new Error('findSkPayloadOffset disagrees with decodeMessage');
    const sk = findPayload(m.payloads, PayloadType.SK) ?? findPayload(m.payloads, PayloadType.SKF);
    let inner: ReturnType<typeof decodePayloadChain> | undefined;
    if (sk !== undefined) tolerate(() => { inner = decodePayloadChain(sk.innerNextPayload, sk.body, m.skOffset ?? 0); });
    checkMessageRules(m.header, m.payloads, inner);
  },
};
