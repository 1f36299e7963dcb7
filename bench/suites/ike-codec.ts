/**
 * IKE wire codec throughput: an IKE_AUTH-sized message (~1400 octets: IDi, CERT with the lab's
 * RSA-2048 client certificate, N, CERTREQ, IDr, AUTH, CP, SA, TSi, TSr, N) decoded and re-encoded,
 * as plaintext and wrapped in SK (decodeMessage + decodePayloadChain on the body), plus the message
 * rules check. There is no openssl reference for this figure.
 */
import { readFileSync } from 'node:fs';
import { ExchangeType, PayloadType } from '../../src/iana/ikev2.js';
import { checkMessageRules } from '../../src/wire/message-rules.js';
import { decodeMessage, decodePayloadChain, encodeMessage, encodePayloadChain } from '../../src/wire/message.js';
import { findPayload } from '../../src/wire/payload.js';
import { sampleHeader, samplePlainIkeAuth } from '../../src/wire/samples.testkit.js';
import { opsPerSecond, type BenchContext, type BenchRow } from '../harness.js';

function clientCertDer(): Uint8Array | undefined {
  try {
    const pem = readFileSync(new URL('../../vectors/strongswan/pki/client.crt.pem', import.meta.url), 'utf8');
    const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return new Uint8Array(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

/** Run the codec figures. */
export async function run(ctx: BenchContext): Promise<readonly BenchRow[]> {
  const plain = encodeMessage(samplePlainIkeAuth(clientCertDer()));
  const inner = encodePayloadChain(decodeMessage(plain).payloads);
  const wrapped = encodeMessage({
    header: sampleHeader(ExchangeType.IKE_AUTH, 1),
    payloads: [{ type: PayloadType.SK, critical: false, innerNextPayload: inner.firstType, body: inner.bytes }],
  });
  const decoded = decodeMessage(plain);
  const size = plain.length;
  const row = (name: string, opsPerSec: number): BenchRow => ({
    suite: 'ike-codec', name, opsPerSec, unit: 'msg', extra: { bytes: size, MBps: (opsPerSec * size) / 1e6 },
  });
  const batch = 200;
  const both = opsPerSecond(() => { encodeMessage(decodeMessage(plain)); }, ctx.minMs, batch);
  const dec = opsPerSecond(() => { decodeMessage(plain); }, ctx.minMs, batch);
  const enc = opsPerSecond(() => { encodeMessage(decoded); }, ctx.minMs, batch);
  const sk = opsPerSecond(() => {
    const m = decodeMessage(wrapped);
    const p = findPayload(m.payloads, PayloadType.SK);
    if (p === undefined) throw new Error('bench: no SK payload');
    const payloads = decodePayloadChain(p.innerNextPayload, p.body, m.skOffset ?? 0);
    checkMessageRules(m.header, m.payloads, payloads);
    encodeMessage({ header: m.header, payloads: [{ ...p, body: encodePayloadChain(payloads).bytes }] });
  }, ctx.minMs, batch);
  return [
    row(`IKE_AUTH ${size}B decode+encode`, both),
    row(`IKE_AUTH ${size}B decode`, dec),
    row(`IKE_AUTH ${size}B encode`, enc),
    row(`IKE_AUTH ${size}B in SK: decode+inner+rules+encode`, sk),
  ];
}
