/**
 * Test support (not used by the library): fast-check arbitraries producing every payload record
 * the codec can represent, and whole messages. Shared by the property tests and the fuzz seeds.
 */
import fc from 'fast-check';
import { PayloadType, TsType } from '../iana/ikev2.js';
import type { IkeHeader } from './header.js';
import type { IkeMessage } from './message.js';
import { isKnownPayloadType, type Payload } from './payload.js';
import type { Transform, TransformAttribute } from './payloads/sa.js';
import type { AnyTrafficSelector } from './payloads/ts.js';

const T = PayloadType;
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });
const exact = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });

const attribute: fc.Arbitrary<TransformAttribute> = fc.oneof(
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }).filter((t) => t !== 14), tv: fc.constant(true), value: exact(2) }),
  fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), tv: fc.constant(false), value: bytes(6) }),
);

const transform: fc.Arbitrary<Transform> = fc.record(
  { type: u8, id: u16, keyLength: u16, attributes: fc.array(attribute, { minLength: 1, maxLength: 2 }) },
  { requiredKeys: ['type', 'id'] },
);

const sa = fc.record({
  type: fc.constant(T.SA), critical: fc.boolean(),
  proposals: fc.array(fc.record({ num: u8, protocolId: u8, spi: bytes(8), transforms: fc.array(transform, { maxLength: 5 }) }), { maxLength: 4 }),
});

const selector: fc.Arbitrary<AnyTrafficSelector> = fc.oneof(
  fc.record({ tsType: fc.constant(TsType.TS_IPV4_ADDR_RANGE), ipProtocol: u8, startPort: u16, endPort: u16, startAddress: exact(4), endAddress: exact(4) }),
  fc.record({ tsType: fc.constant(TsType.TS_IPV6_ADDR_RANGE), ipProtocol: u8, startPort: u16, endPort: u16, startAddress: exact(16), endAddress: exact(16) }),
  fc.record({ tsType: u8.filter((t) => t !== TsType.TS_IPV4_ADDR_RANGE && t !== TsType.TS_IPV6_ADDR_RANGE), flags: u8, data: bytes(12) }),
);

const deletePayload = fc.integer({ min: 0, max: 8 }).chain((spiSize) => fc.record({
  type: fc.constant(T.DELETE), critical: fc.boolean(), protocolId: u8, spiSize: fc.constant(spiSize), spis: fc.array(exact(spiSize), { maxLength: 5 }),
}));

const skf = fc.integer({ min: 1, max: 0xffff }).chain((totalFragments) => fc.record({
  type: fc.constant(T.SKF), critical: fc.boolean(), innerNextPayload: u8, fragmentNumber: fc.integer({ min: 1, max: totalFragments }),
  totalFragments: fc.constant(totalFragments), body: bytes(64),
}));

/** Payloads that may appear anywhere in a chain (everything except SK and SKF). */
export const plainPayload: fc.Arbitrary<Payload> = fc.oneof(
  sa,
  fc.record({ type: fc.constant(T.KE), critical: fc.boolean(), group: u16, data: bytes(64) }),
  fc.record({ type: fc.constantFrom(T.IDi, T.IDr), critical: fc.boolean(), idType: u8, data: bytes(32) }),
  fc.record({ type: fc.constant(T.CERT), critical: fc.boolean(), encoding: u8, data: bytes(64) }),
  fc.record({ type: fc.constant(T.CERTREQ), critical: fc.boolean(), encoding: u8, data: bytes(40) }),
  fc.record({ type: fc.constant(T.AUTH), critical: fc.boolean(), method: u8, data: bytes(64) }),
  fc.record({ type: fc.constant(T.NONCE), critical: fc.boolean(), data: bytes(64) }),
  fc.record({ type: fc.constant(T.NOTIFY), critical: fc.boolean(), protocolId: u8, spi: bytes(8), notifyType: u16, data: bytes(32) }),
  deletePayload,
  fc.record({ type: fc.constant(T.VENDOR_ID), critical: fc.boolean(), data: bytes(20) }),
  fc.record({ type: fc.constantFrom(T.TSi, T.TSr), critical: fc.boolean(), selectors: fc.array(selector, { maxLength: 4 }) }),
  fc.record({ type: fc.constant(T.CP), critical: fc.boolean(), cfgType: u8, attributes: fc.array(fc.record({ type: fc.integer({ min: 0, max: 0x7fff }), value: bytes(16) }), { maxLength: 6 }) }),
  fc.record({ type: fc.constant(T.EAP), critical: fc.boolean(), data: bytes(32) }),
  fc.record({ type: fc.integer({ min: 1, max: 0xff }).filter((t) => !isKnownPayloadType(t)), critical: fc.constant(false), unknown: fc.constant(true as const), data: bytes(16) }),
);

/** SK or SKF, which can only end a chain. */
export const encryptedPayload: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({ type: fc.constant(T.SK), critical: fc.boolean(), innerNextPayload: u8, body: bytes(96) }),
  skf,
);

/** A payload chain: plain payloads, optionally ended by SK or SKF. */
export const payloadChain: fc.Arbitrary<Payload[]> = fc.tuple(fc.array(plainPayload, { maxLength: 6 }), fc.option(encryptedPayload, { nil: undefined }))
  .map(([plain, enc]) => (enc === undefined ? plain : [...plain, enc]));

/** A header whose `nextPayload` and `length` the encoder will overwrite. */
export const header: fc.Arbitrary<IkeHeader> = fc.record({
  spiI: exact(8), spiR: exact(8), minorVersion: fc.integer({ min: 0, max: 15 }), exchangeType: u8, flags: u8, messageId: fc.integer({ min: 0, max: 0xffffffff }),
}).map((h) => ({ ...h, nextPayload: 0, majorVersion: 2, initiator: (h.flags & 0x08) !== 0, response: (h.flags & 0x20) !== 0, length: 0 }));

/** A whole message record. */
export const message: fc.Arbitrary<IkeMessage> = fc.record({ header, payloads: payloadChain });
