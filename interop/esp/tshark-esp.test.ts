// The reverse judge: Kite encrypts ESP-in-UDP for every suite tshark 4.0 can decrypt (AES-GCM-16
// 128/256, AES-CBC 128/256 with HMAC-SHA1-96 / SHA2-256-128 / 384-192 / 512-256), ESN off and on,
// with and without IPComp; writes a pcap and an `esp_sa` table; tshark must decrypt every packet,
// validate every ICV and dissect the inner packet Kite put in.
//
// Wireshark 4.0 has no ESN support (its esp_sa table has no sequence-number fields; 4.2 added
// them): it authenticates SPI | Seq only. For ESN SAs tshark must still decrypt and dissect, and
// must report the ICV as NOT matching, which proves Seq-hi entered Kite's ICV (RFC 4303 §2.2.1:
// even while it is zero); for the HMAC suites the ESN ICV is then recomputed by `openssl dgst`
// over SPI | Seq | IV | ciphertext | Seq-hi. tshark does not inflate IPComp; GNU gzip does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEspSaFile } from '../../src/capture/esp-sa-file.js';
import { ChildSa, type ChildSaParams } from '../../src/esp/child-sa.js';
import { espEncap } from '../../src/esp/outbound.js';
import { ESP_TEST_SUITES, saPair, type EspTestSuite } from '../../src/esp/suites.testkit.js';
import { EncrId, IpcompTransform } from '../../src/iana/ikev2.js';
import { deflateCodec } from '../../src/ipcomp/deflate.js';
import { gunzipRaw } from '../../src/ipcomp/gzip.testkit.js';
import { encodeIpUdp } from '../../src/wire/ip.js';
import { run } from '../lab/proc.js';
import { writePcap } from './pcap-writer.js';

// Wireshark 4.0's ESP table has AES-GCM and AES-CBC, not ChaCha20-Poly1305 nor AES-GMAC.
const SUITES = ESP_TEST_SUITES.filter((s) => s.encrId === EncrId.ENCR_AES_GCM_16 || s.encrId === EncrId.ENCR_AES_CBC);
const CPI = 0x5a5a;
const OUTER = { src: Uint8Array.of(192, 0, 2, 1), dst: Uint8Array.of(192, 0, 2, 2) };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const colon = (s: unknown): string => (typeof s === 'string' ? s.replaceAll(':', '') : '');

interface Sent {
  readonly frame: number;
  readonly config: string;
  readonly sa: ChildSaParams;
  readonly inner: Uint8Array;
  readonly esp: Uint8Array;
  readonly compressed: boolean;
}

/** 2001:db8::`last` (RFC 3849 documentation prefix). */
function docV6(last: number): Uint8Array {
  const a = new Uint8Array(16);
  a.set([0x20, 0x01, 0x0d, 0xb8]);
  a[15] = last;
  return a;
}

function innerPackets(): Uint8Array[] {
  const text = new TextEncoder().encode('kite esp judge '.repeat(80));
  return [
    encodeIpUdp({ src: Uint8Array.of(10, 99, 1, 1), dst: Uint8Array.of(10, 99, 0, 1), srcPort: 40001, dstPort: 7777, payload: new TextEncoder().encode('kite probe') }),
    encodeIpUdp({ src: docV6(1), dst: docV6(2), srcPort: 40002, dstPort: 7777, payload: new TextEncoder().encode('kite v6 probe') }),
    encodeIpUdp({ src: Uint8Array.of(10, 99, 1, 1), dst: Uint8Array.of(10, 99, 0, 1), srcPort: 40003, dstPort: 7777, payload: text }),
  ];
}

function build(): { sent: Sent[]; pcap: Uint8Array; espSa: string } {
  const sent: Sent[] = [];
  let spi = 0x4b000100;
  const entries = [];
  for (const suite of SUITES as readonly EspTestSuite[]) {
    for (const esn of [false, true]) {
      for (const ipcomp of [false, true]) {
        const { a } = saPair(suite, { esn, ...(ipcomp ? { ipcomp: { cpiIn: CPI + 1, cpiOut: CPI, transform: IpcompTransform.IPCOMP_DEFLATE } } : {}) });
        const params: ChildSaParams = { ...a, spiOut: spi++ };
        const sa = new ChildSa(params, { ipcompCodec: deflateCodec() });
        for (const inner of innerPackets()) {
          const before = sa.stats.compressedOut;
          const esp = espEncap(sa, inner, 0);
          if (typeof esp === 'string') throw new Error(esp);
          sent.push({ frame: sent.length + 1, config: `${suite.name} esn=${esn} ipcomp=${ipcomp}`, sa: params, inner, esp, compressed: sa.stats.compressedOut > before });
        }
        entries.push({ ipVersion: 4 as const, src: '192.0.2.1', dst: '192.0.2.2', spi: params.spiOut, encr: { encrId: params.encrId, keyLengthBits: params.keyLengthBits }, encrKey: params.encrKeyOut, integ: { integId: params.integId }, integKey: params.integKeyOut ?? new Uint8Array(0) });
      }
    }
  }
  const pcap = writePcap(sent.map((s, i) => ({ ip: encodeIpUdp({ ...OUTER, srcPort: 4500, dstPort: 4500, payload: s.esp }, i, true), timeUs: i * 1000 })));
  return { sent, pcap, espSa: formatEspSaFile(entries) };
}

type Layers = Readonly<Record<string, unknown>>;
const asList = (v: unknown): Layers[] => (Array.isArray(v) ? (v as Layers[]) : v === undefined ? [] : [v as Layers]);

describe('tshark 4.0 judges Kite-encrypted ESP-in-UDP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kite-esp-judge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { sent, pcap, espSa } = build();
  writeFileSync(join(dir, 'kite.pcap'), pcap);
  writeFileSync(join(dir, 'esp_sa'), espSa);

  it('decrypts every packet, checks every ICV and dissects the inner packet', async () => {
    const res = await run(['tshark', '-n', '-r', join(dir, 'kite.pcap'), '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'json', '--no-duplicate-keys'], { env: { WIRESHARK_CONFIG_DIR: dir }, timeoutMs: 60_000 });
    const packets = JSON.parse(res.stdout) as { _source: { layers: Layers } }[];
    expect(packets.length).toBe(sent.length);
    expect(sent.filter((s) => s.compressed).length).toBe(SUITES.length * 2); // the text probe, per IPComp SA
    for (const s of sent) {
      const l = packets[s.frame - 1]?._source.layers ?? {};
      const esp = (l['esp'] ?? {}) as Layers;
      const tree = (esp['esp.decrypted_data_tree'] ?? {}) as Layers;
      const icv = (esp['esp.icv_tree'] ?? {}) as Layers;
      const what = `frame ${s.frame} (${s.config})`;
      expect([what, icv['esp.icv_good']]).toEqual([what, s.sa.esn ? '0' : '1']);
      expect([what, 'udp.checksum', asList(l['udp'])[0]?.['udp.checksum']]).toEqual([what, 'udp.checksum', '0x0000']);
      const contained = colon(tree['esp.contained_data']);
      if (s.compressed) {
        expect([what, tree['esp.protocol']]).toEqual([what, '0x6c']);
        expect(asList(l['ipcomp'])[0]?.['ipcomp.cpi']).toMatch(/0x5a5a/i);
        const deflated = new Uint8Array(Buffer.from(contained.slice(8), 'hex'));
        expect([what, hex(gunzipRaw(deflated, s.inner))]).toEqual([what, hex(s.inner)]);
      } else {
        expect([what, contained]).toEqual([what, hex(s.inner)]);
        const innerIp = asList(l[s.inner[0] === 0x45 ? 'ip' : 'ipv6']).at(-1) ?? {};
        const dst = innerIp['ip.dst'] ?? innerIp['ipv6.dst'];
        expect([what, dst]).toEqual([what, s.inner[0] === 0x45 ? '10.99.0.1' : '2001:db8::2']);
        expect([what, asList(l['udp']).at(-1)?.['udp.dstport']]).toEqual([what, '7777']);
        expect([what, asList(l['udp']).at(-1)?.['udp.checksum.status']]).toEqual([what, '1']); // 1 = good
        if (s.inner[0] === 0x45) expect([what, innerIp['ip.checksum.status']]).toEqual([what, '1']);
      }
    }
  });

  it('ESN HMAC ICVs equal openssl dgst over SPI | Seq | IV | ciphertext | Seq-hi', () => {
    const esnCbc = sent.filter((s) => s.sa.esn && s.sa.integKeyOut !== undefined);
    expect(esnCbc.length).toBeGreaterThan(0);
    for (const s of esnCbc) {
      const icvLen = { 2: 12, 12: 16, 13: 24, 14: 32 }[s.sa.integId as 2 | 12 | 13 | 14];
      const digest = { 2: 'sha1', 12: 'sha256', 13: 'sha384', 14: 'sha512' }[s.sa.integId as 2 | 12 | 13 | 14];
      const covered = Buffer.concat([s.esp.subarray(0, s.esp.length - icvLen), Buffer.alloc(4)]); // Seq-hi = 0
      const file = join(dir, `icv-${s.frame}`);
      writeFileSync(file, covered);
      const out = execFileSync('openssl', ['dgst', `-${digest}`, '-mac', 'HMAC', '-macopt', `hexkey:${hex(s.sa.integKeyOut as Uint8Array)}`, '-r', file], { encoding: 'utf8' });
      expect([s.frame, out.split(' ')[0]?.slice(0, icvLen * 2)]).toEqual([s.frame, hex(s.esp.subarray(s.esp.length - icvLen))]);
    }
  });
});
