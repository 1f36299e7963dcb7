import { describe, expect, it } from 'vitest';
import { ExchangeType, PayloadType } from '../iana/ikev2.js';
import { decodeMessage } from './message.js';
import { sampleHeader } from './samples.testkit.js';
import { encodeSkEnvelope } from './sk-envelope.js';

describe('SK envelope', () => {
  it('gives the AAD (header + SK header) and a body view that fills the message in place', () => {
    const env = encodeSkEnvelope(sampleHeader(ExchangeType.INFORMATIONAL, 7), { innerNextPayload: PayloadType.DELETE, bodyLength: 40 });
    expect(env.bytes.length).toBe(28 + 4 + 40);
    expect(env.bodyOffset).toBe(32);
    expect(env.aad).toEqual(env.bytes.subarray(0, 32));
    env.body.fill(0xab);
    const m = decodeMessage(env.bytes);
    expect(m.payloads).toEqual([{ type: PayloadType.SK, critical: false, innerNextPayload: PayloadType.DELETE, body: new Uint8Array(40).fill(0xab) }]);
    expect(m.header.length).toBe(72);
  });

  it('puts the fragment fields of SKF into the AAD', () => {
    const env = encodeSkEnvelope(sampleHeader(ExchangeType.IKE_AUTH, 1), { innerNextPayload: 0, bodyLength: 30, fragment: { fragmentNumber: 2, totalFragments: 3 } });
    expect(env.bodyOffset).toBe(36);
    expect([...env.aad.subarray(32, 36)]).toEqual([0, 2, 0, 3]);
    expect(decodeMessage(env.bytes).payloads[0]).toMatchObject({ type: PayloadType.SKF, fragmentNumber: 2, totalFragments: 3 });
  });

  it('refuses a body longer than a payload can carry', () => {
    expect(() => encodeSkEnvelope(sampleHeader(ExchangeType.INFORMATIONAL, 1), { innerNextPayload: 0, bodyLength: 70_000 })).toThrow(/sk body length/);
  });
});
