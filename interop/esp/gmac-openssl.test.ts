// AES-GMAC ESP (RFC 4543) judged by `openssl mac GMAC` (Wireshark 4.0 has no GMAC SA type): the
// ICV Kite writes must be GMAC(key, salt | IV, SPI | [Seq-hi |] Seq-lo | IV | payload | trailer),
// and the payload must travel in the clear.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/crypto/backend.js';
import { ChildSa } from '../../src/esp/child-sa.js';
import { espDecap } from '../../src/esp/inbound.js';
import { espEncap } from '../../src/esp/outbound.js';
import { espTestSuite, saPair } from '../../src/esp/suites.testkit.js';
import { encodeIpUdp } from '../../src/wire/ip.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('AES-GMAC ESP vs openssl mac GMAC', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-gmac-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['aes128gmac', 'aes256gmac'].flatMap((s) => [false, true].flatMap((esn) => BACKENDS.map((backend) => ({ s, esn, backend })))))('$s esn=$esn $backend', ({ s, esn, backend }) => {
    const suite = espTestSuite(s);
    const { a, b } = saPair(suite, { esn });
    const tx = new ChildSa(a, { backend, initialSeqOut: esn ? 0x1_0000_0005 : 5 });
    const rx = new ChildSa(b, { backend });
    if (esn) rx.replay.commit(0x1_0000_0001);
    const inner = encodeIpUdp({ src: Uint8Array.of(10, 99, 1, 1), dst: Uint8Array.of(10, 99, 0, 1), srcPort: 1, dstPort: 7777, payload: new TextEncoder().encode('in the clear') });
    const pkt = espEncap(tx, inner, 0);
    if (typeof pkt === 'string') throw new Error(pkt);
    expect(hex(pkt.subarray(16, 16 + inner.length))).toBe(hex(inner)); // integrity only
    const end = pkt.length - 16;
    const seqHi = esn ? Uint8Array.of(0, 0, 0, 1) : new Uint8Array(0);
    const aad = Buffer.concat([pkt.subarray(0, 4), seqHi, pkt.subarray(4, end)]);
    const file = join(dir, `${s}-${esn}-${backend}`);
    writeFileSync(file, aad);
    const key = a.encrKeyOut.subarray(0, suite.keyLengthBits / 8);
    const iv = Buffer.concat([a.encrKeyOut.subarray(suite.keyLengthBits / 8), pkt.subarray(8, 16)]);
    const out = execFileSync('openssl', ['mac', '-cipher', `AES-${suite.keyLengthBits}-GCM`, '-macopt', `hexkey:${hex(key)}`, '-macopt', `hexiv:${hex(iv)}`, '-in', file, 'GMAC'], { encoding: 'utf8' });
    expect(out.trim().toLowerCase()).toBe(hex(pkt.subarray(end)));
    expect(espDecap(rx, pkt, 0)).toEqual(inner);
  });
});
