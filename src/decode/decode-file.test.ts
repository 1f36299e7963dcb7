import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { decodeIkeFile } from './decode-file.js';
import { renderText } from './text.js';

const lo = new Uint8Array(readFileSync(new URL('../capture/testdata/lo.pcapng', import.meta.url)));

describe('decodeIkeFile', () => {
  it('decodes the IKE messages of a capture, in frame order, leaving out ESP and keepalives', () => {
    const out = decodeIkeFile(lo);
    expect(out.map((r) => r.frame?.index)).toEqual([1, 2, 3, 4, 7]);
    expect(out.map((r) => ('exchange' in r ? r.exchange : 'error'))).toEqual(['IKE_SA_INIT', 'IKE_SA_INIT', 'INFORMATIONAL', 'INFORMATIONAL', 'IKE_SA_INIT']);
    expect(out[4]).toMatchObject({ frame: { src: '::1', dst: '::1', dstPort: 500 }, payloads: [{ type: 'SA' }, { type: 'KE', group: 'MODP_2048' }, { type: 'Ni' }, { type: 'N', notifyType: 'NAT_DETECTION_SOURCE_IP' }] });
  });

  it('reports a damaged frame at its place and goes on', () => {
    const bad = lo.slice();
    // Frame 2's IPv4 header starts after the EPB fields (28) and the Ethernet header (14) of lo; set IHL to 1 (illegal).
    const second = findEpb(bad, 2);
    bad[second + 28 + 14] = 0x41;
    const out = decodeIkeFile(bad);
    expect(out.map((r) => r.frame?.index)).toEqual([1, 2, 3, 4, 7]);
    expect(out[1]).toMatchObject({ error: { name: 'ParseError', code: 'BAD_LENGTH', field: 'ipv4.ihl' } });
  });

  it('decodes hex paragraphs, reporting a message that does not decode', () => {
    const ikeHex = Buffer.from(lo.subarray(findEpb(lo, 1) + 28 + 14 + 20 + 8, findEpb(lo, 1) + 28 + 14 + 20 + 8 + 404)).toString('hex');
    const text = `# IKE_SA_INIT\n${ikeHex.replace(/(.{64})/g, '$1\n')}\n\n0011\n`;
    const out = decodeIkeFile(new TextEncoder().encode(text));
    expect(out[0]).toMatchObject({ exchange: 'IKE_SA_INIT', frame: { index: 1 } });
    expect(out[1]).toMatchObject({ error: { code: 'TRUNCATED' }, frame: { index: 2 } });
    expect(renderText(out[1] ?? { error: { name: "", code: "", message: "missing" } })).toMatch(/^decode error: TRUNCATED/);
    expect(() => decodeIkeFile(new TextEncoder().encode('00 zz'))).toThrow(ParseError);
  });
});

/** File offset of the body of the n-th (1-based) enhanced packet block of a little-endian pcapng. */
function findEpb(buf: Uint8Array, n: number): number {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  let seen = 0;
  while (off < buf.length) {
    const type = dv.getUint32(off, true);
    const len = dv.getUint32(off + 4, true);
    if (type === 6 && ++seen === n) return off;
    off += len;
  }
  throw new Error(`no EPB ${n}`);
}
