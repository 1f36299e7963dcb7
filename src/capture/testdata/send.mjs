// Sends the datagrams captured into this folder's fixtures (run by make-captures.sh inside a
// private network namespace). IKE_SA_INIT request built by hand: SA(IKE: AES-CBC-256,
// PRF-HMAC-SHA2-256, HMAC-SHA2-256-128, MODP-2048) KE(14) Ni N(NAT_DETECTION_SOURCE_IP).
import dgram from 'node:dgram';

const u16 = (v) => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const fill = (n, f) => Array.from({ length: n }, (_, i) => f(i) & 0xff);
const payload = (next, body) => [next, 0, ...u16(body.length + 4), ...body];
const transform = (last, type, id, keyLen) => {
  const attrs = keyLen === undefined ? [] : [0x80, 14, ...u16(keyLen)];
  return [last ? 0 : 3, 0, ...u16(8 + attrs.length), type, 0, ...u16(id), ...attrs];
};
const transforms = [transform(false, 1, 12, 256), transform(false, 2, 5), transform(false, 3, 12), transform(true, 4, 14)].flat();
const proposal = [0, 0, ...u16(8 + transforms.length), 1, 1, 0, 4, ...transforms];
function ikeSaInit(spiSeed) {
  const body = [
    ...payload(34, proposal), // SA, next KE
    ...payload(40, [0, 14, 0, 0, ...fill(256, (i) => i * 7 + spiSeed)]), // KE, next Ni
    ...payload(41, fill(32, (i) => 0xa0 + i)), // Ni, next N
    ...payload(0, [0, 0, ...u16(16388), ...fill(20, (i) => i + spiSeed)]), // N(NAT_DETECTION_SOURCE_IP)
  ];
  const spiI = fill(8, (i) => spiSeed + i + 1);
  return Buffer.from([...spiI, ...fill(8, () => 0), 33, 0x20, 34, 0x08, ...u32(0), ...u32(28 + body.length), ...body]);
}
function informational(spiSeed, response) {
  const spiI = fill(8, (i) => spiSeed + i + 1);
  const spiR = fill(8, (i) => 0x40 + i);
  const sk = payload(0, fill(48, (i) => i * 13)); // SK, inner next payload none, opaque ciphertext
  sk[0] = 0;
  return Buffer.from([...spiI, ...spiR, 46, 0x20, 37, response ? 0x20 : 0x08, ...u32(2), ...u32(28 + sk.length), ...sk]);
}
const marker = Buffer.alloc(4);
const esp = Buffer.from([0xc0, 0xff, 0xee, 0x01, ...u32(1), ...fill(40, (i) => i)]);

const a500 = dgram.createSocket('udp4');
const b500 = dgram.createSocket('udp4');
const a4500 = dgram.createSocket('udp4');
const b4500 = dgram.createSocket('udp4');
const v6 = dgram.createSocket('udp6');
const v6r = dgram.createSocket('udp6');
const bind = (s, port, addr) => new Promise((res) => s.bind(port, addr, res));
const send = (s, buf, port, addr) => new Promise((res, rej) => s.send(buf, port, addr, (e) => (e ? rej(e) : res())));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

await bind(a500, 500, '127.0.0.1');
await bind(b500, 0, '127.0.0.2');
await bind(a4500, 4500, '127.0.0.1');
await bind(b4500, 0, '127.0.0.2');
await bind(v6, 500, '::1');
await bind(v6r, 0, '::1');
const steps = [
  () => send(b500, ikeSaInit(0x10), 500, '127.0.0.1'),
  () => send(a500, ikeSaInit(0x20), b500.address().port, '127.0.0.2'),
  () => send(b4500, Buffer.concat([marker, informational(0x10, false)]), 4500, '127.0.0.1'),
  () => send(a4500, Buffer.concat([marker, informational(0x10, true)]), b4500.address().port, '127.0.0.2'),
  () => send(b4500, esp, 4500, '127.0.0.1'),
  () => send(b4500, Buffer.from([0xff]), 4500, '127.0.0.1'),
  () => send(v6r, ikeSaInit(0x30), 500, '::1'),
  () => send(b500, Buffer.from('not ike, port 501'), 501, '127.0.0.1'),
  // 3000 bytes on a 1280-byte MTU: IPv4 fragments, which readers skip
  () => send(b500, Buffer.concat([ikeSaInit(0x50), Buffer.alloc(3000 - ikeSaInit(0x50).length)]), 500, '127.0.0.1'),
];
for (const step of steps) {
  await step();
  await pause(20);
}
for (const s of [a500, b500, a4500, b4500, v6, v6r]) s.close();
