/**
 * Fuzz target for the IKEv2 wire codec: the message decoder, the payload chain decoder (as used on
 * decrypted SK contents) and the message rules. Beyond "record or ParseError" it checks two
 * invariants on every accepted input: re-encoding keeps the length and is a fixed point of
 * decode/encode, and `findSkPayloadOffset` agrees with the decoder.
 * Seeds: every IKE message of the strongSwan captures, plus sample messages for each payload.
 */
import { strongswanCaptureMessages } from '../../src/capture/strongswan.testkit.js';
import { PayloadType } from '../../src/iana/ikev2.js';
import { bytesEqual } from '../../src/util/bytes.js';
import { ignoreParseError } from '../../src/util/testing.testkit.js';
import { checkMessageRules } from '../../src/wire/message-rules.js';
import { decodeMessage, decodePayloadChain, encodeMessage, findSkPayloadOffset } from '../../src/wire/message.js';
import { findPayload } from '../../src/wire/payload.js';
import { sampleMessages } from '../../src/wire/samples.testkit.js';
import type { FuzzTarget } from '../harness.js';

/** The IKE message decoder, payload chains and message rules. */
export const target: FuzzTarget = {
  name: 'ike-message',
  seeds: () => [...strongswanCaptureMessages().flatMap((c) => c.messages), ...sampleMessages()],
  run(input: Uint8Array): void {
    ignoreParseError(() => decodePayloadChain(input[0] ?? 0, input.subarray(1), 1));
    const m = decodeMessage(input);
    const again = encodeMessage(m);
    if (again.length !== input.length) throw new Error(`re-encoded length ${again.length} != ${input.length}`);
    if (!bytesEqual(encodeMessage(decodeMessage(again)), again)) throw new Error('decode/encode is not a fixed point');
    if (findSkPayloadOffset(input)?.offset !== m.skOffset) throw new Error('findSkPayloadOffset disagrees with decodeMessage');
    const sk = findPayload(m.payloads, PayloadType.SK) ?? findPayload(m.payloads, PayloadType.SKF);
    let inner: ReturnType<typeof decodePayloadChain> | undefined;
    if (sk !== undefined) ignoreParseError(() => { inner = decodePayloadChain(sk.innerNextPayload, sk.body, m.skOffset ?? 0); });
    checkMessageRules(m.header, m.payloads, inner);
  },
};
