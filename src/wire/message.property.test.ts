import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strongswanCaptureMessages } from '../capture/strongswan.testkit.js';
import { ParseError } from '../errors.js';
import { PayloadType } from '../iana/ikev2.js';
import { ignoreParseError } from '../util/testing.testkit.js';
import { header as headerArb, message, payloadChain } from './arbitraries.testkit.js';
import { checkMessageRules } from './message-rules.js';
import { decodeMessage, decodePayloadChain, encodeMessage, encodePayloadChain, findSkPayloadOffset } from './message.js';

/** Every IKE message of the strongSwan captures in vectors/strongswan/. */
const realMessages = (): Uint8Array[] => strongswanCaptureMessages().flatMap((c) => c.messages);

/** Decode untrusted bytes; if they decode, they must re-encode and decode to the same record. */
function decodeAny(buf: Uint8Array): void {
  ignoreParseError(() => {
    const m = decodeMessage(buf);
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
    const sk = m.payloads.at(-1);
    if (sk !== undefined && 'innerNextPayload' in sk) {
      ignoreParseError(() => checkMessageRules(m.header, m.payloads, decodePayloadChain(sk.innerNextPayload, sk.body, 0)));
    } else {
      ignoreParseError(() => checkMessageRules(m.header, m.payloads));
    }
  });
}

describe('wire codec properties', () => {
  it('decode(encode(m)) = m for generated messages', () => {
    fc.assert(fc.property(message, (m) => {
      const bytes = encodeMessage(m);
      const d = decodeMessage(bytes);
      const last = m.payloads.at(-1);
      const encrypted = last !== undefined && (last.type === PayloadType.SK || last.type === PayloadType.SKF) && !('unknown' in last);
      expect(d.header).toEqual({ ...m.header, nextPayload: m.payloads[0]?.type ?? 0, length: bytes.length });
      expect(d.payloads).toEqual(m.payloads);
      expect(d.skOffset).toBe(encrypted ? findSkPayloadOffset(bytes)?.offset : undefined);
      expect(encodeMessage(d)).toEqual(bytes);
    }), { numRuns: 400 });
  });

  it('decodePayloadChain(encodePayloadChain(ps)) = ps', () => {
    fc.assert(fc.property(payloadChain, (ps) => {
      const { firstType, bytes } = encodePayloadChain(ps);
      expect(decodePayloadChain(firstType, bytes, 28)).toEqual(ps);
    }), { numRuns: 300 });
  });

  it('random bytes only ever yield a record or a ParseError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => decodeAny(b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 120 }), (t, b) => {
      ignoreParseError(() => decodePayloadChain(t, b, 0));
    }), { numRuns: 2000 });
  });

  it('random bytes behind a valid header only ever yield a record or a ParseError', () => {
    fc.assert(fc.property(headerArb, fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 160 }), (h, first, body) => {
      const bytes = encodeMessage({ header: h, payloads: [] });
      const buf = new Uint8Array(bytes.length + body.length);
      buf.set(bytes);
      buf.set(body, bytes.length);
      buf[16] = first;
      new DataView(buf.buffer).setUint32(24, buf.length);
      decodeAny(buf);
    }), { numRuns: 2000 });
  });

  it('mutated valid messages only ever yield a record or a ParseError', () => {
    const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(message, mutation, fc.nat(), (m, edits, cut) => {
      const buf = encodeMessage(m).slice();
      for (const [at, v] of edits) buf[at % buf.length] = v;
      decodeAny(buf);
      decodeAny(buf.subarray(0, cut % (buf.length + 1)));
    }), { numRuns: 1500 });
  });

  it('mutated real strongSwan messages only ever yield a record or a ParseError', () => {
    const real = realMessages();
    expect(real.length).toBeGreaterThanOrEqual(50);
    const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(fc.nat({ max: real.length - 1 }), mutation, fc.nat(), fc.nat(), (i, edits, cut, splice) => {
      const buf = (real[i] as Uint8Array).slice();
      for (const [at, v] of edits) buf[at % buf.length] = v;
      decodeAny(buf);
      decodeAny(buf.subarray(0, cut % (buf.length + 1)));
      const other = real[splice % real.length] as Uint8Array;
      decodeAny(new Uint8Array([...buf.subarray(0, cut % (buf.length + 1)), ...other.subarray(cut % (other.length + 1))]));
    }), { numRuns: 800 });
  });
});
