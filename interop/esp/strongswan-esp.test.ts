// Judge from outside: Kite decrypts the ESP-in-UDP packets strongSwan's libipsec sent in the
// committed captures (all three suites, both CHILD SAs, both directions) and finds the UDP probes
// 10.99.1.1 -> 10.99.0.1:7777 and their echoes; for the AES suites the inner packets equal tshark's.
import { describe, expect, it } from 'vitest';
import { ChildSa, EspDrop } from '../../src/esp/child-sa.js';
import { EspSaTable, espDecap } from '../../src/esp/inbound.js';
import { BACKENDS } from '../../src/crypto/backend.js';
import { readU32 } from '../../src/wire/esp.js';
import { decodeIpUdp } from '../../src/wire/ip.js';
import { STRONGSWAN_FIXTURE_SUITES, strongswanFixture } from '../lab/fixtures.js';
import { tsharkDissect, tsharkEspPackets } from '../lab/tshark.js';
import { fixtureChildSa, fixtureEspDatagrams } from './fixture-sa.js';

const ip = (b: Uint8Array): string => [...b].join('.');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function decryptAll(suite: string, backend: 'node' | 'noble'): Map<number, Uint8Array> {
  const fx = strongswanFixture(suite);
  const table = { '192.0.2.1': new EspSaTable(), '192.0.2.2': new EspSaTable() } as Record<string, EspSaTable>;
  fx.keys.childSas.forEach((_, i) => {
    table['192.0.2.1']?.add(new ChildSa(fixtureChildSa(fx, i, 'responder'), { backend })); // packets from the initiator
    table['192.0.2.2']?.add(new ChildSa(fixtureChildSa(fx, i, 'initiator'), { backend }));
  });
  const out = new Map<number, Uint8Array>();
  for (const d of fixtureEspDatagrams(fx)) {
    const r = table[d.src]?.decap(d.payload, d.timestamp);
    if (typeof r === 'string' || r === undefined) throw new Error(`frame ${d.index}: ${String(r)}`);
    out.set(d.index, r.slice());
  }
  return out;
}

describe.each(STRONGSWAN_FIXTURE_SUITES)('strongSwan libipsec ESP, %s', (suite) => {
  const fx = strongswanFixture(suite);

  it.each(BACKENDS)('decrypts every ESP frame to the probe / echo (%s)', (backend) => {
    const inner = decryptAll(suite, backend);
    expect([...inner.keys()]).toEqual(fx.meta.espFrames.map((f) => f.frame));
    for (const f of fx.meta.espFrames) {
      const udp = decodeIpUdp(inner.get(f.frame) as Uint8Array);
      const fromClient = f.src === fx.meta.network.initiator;
      expect(ip(fromClient ? udp.src : udp.dst)).toBe(fx.meta.network.virtualIp);
      expect(ip(fromClient ? udp.dst : udp.src)).toBe(fx.meta.network.innerHost);
      expect(fromClient ? udp.dstPort : udp.srcPort).toBe(7777);
      expect(new TextDecoder().decode(udp.payload)).toMatch(/^kite esp probe child-\d \d$/);
    }
  });

  it('refuses a replay of every frame and a flipped bit, counting them', () => {
    const sa = new ChildSa(fixtureChildSa(fx, 0, 'responder'));
    const mine = fixtureEspDatagrams(fx).filter((d) => readU32(d.payload, 0) === sa.params.spiIn);
    expect(mine.length).toBe(3);
    for (const d of mine) expect(typeof espDecap(sa, d.payload, 0)).not.toBe('string');
    for (const d of mine) expect(espDecap(sa, d.payload, 0)).toBe(EspDrop.REPLAY);
    const fresh = new ChildSa(fixtureChildSa(fx, 0, 'responder'));
    const bad = (mine[0]?.payload as Uint8Array).slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    expect(espDecap(fresh, bad, 0)).toBe(EspDrop.ICV);
    expect(typeof espDecap(fresh, mine[0]?.payload as Uint8Array, 0)).not.toBe('string'); // forgery did not move the window
    expect(sa.stats.drops.replay).toBe(3);
    expect(fresh.stats.drops.icv).toBe(1);
  });

  // tshark 4.0 has no ChaCha20-Poly1305: that suite is judged by libipsec's own packets above.
  if (fx.meta.wiresharkDecrypts) it('inner packets equal tshark\'s decryption', async () => {
    const inner = decryptAll(suite, 'node');
    const shark = tsharkEspPackets(await tsharkDissect(fx.pcap, { keysDir: fx.dir }));
    expect(shark.length).toBe(inner.size);
    for (const p of shark) expect(hex(inner.get(p.frame) as Uint8Array)).toBe(p.decryptedHex);
  });
});
