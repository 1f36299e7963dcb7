/**
 * GNU gzip (essential in every Debian install; its own inflate, not zlib) as an outside judge of
 * raw DEFLATE streams (RFC 1951): wrap the stream in a gzip member (RFC 1952) whose CRC-32 and size
 * are those of the data we expect, and let `gzip -d` inflate and check it.
 */
import { execFileSync } from 'node:child_process';
import { crc32 } from 'node:zlib';

/** `gzip -d` of raw DEFLATE `deflated` inside a member that claims `expected`'s CRC and length. */
export function gunzipRaw(deflated: Uint8Array, expected: Uint8Array): Uint8Array {
  const header = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(expected), 0);
  trailer.writeUInt32LE(expected.length >>> 0, 4);
  const out = execFileSync('gzip', ['-d', '-c'], { input: Buffer.concat([header, deflated, trailer]), maxBuffer: 1 << 20 });
  return new Uint8Array(out);
}

/** A raw DEFLATE stream made by `gzip -9`: its member without header and trailer. */
export function gzipRaw(data: Uint8Array): Uint8Array {
  const member = execFileSync('gzip', ['-9', '-n', '-c'], { input: data, maxBuffer: 1 << 20 });
  if (member[3] !== 0) throw new Error('gzip wrote optional header fields');
  return new Uint8Array(member.subarray(10, member.length - 8));
}
