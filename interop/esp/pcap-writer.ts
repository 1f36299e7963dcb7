/**
 * A minimal classic-pcap writer (Ethernet link type) for handing Kite-made packets to tshark.
 */

/** One frame: an IPv4 or IPv6 packet and its timestamp in microseconds. */
export interface PcapPacket {
  readonly ip: Uint8Array;
  readonly timeUs: number;
}

/** A pcap file (LINKTYPE_ETHERNET) holding `packets`, each behind a made-up Ethernet header. */
export function writePcap(packets: readonly PcapPacket[]): Uint8Array {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  parts.push(head);
  for (const p of packets) {
    const rec = Buffer.alloc(16 + 14);
    rec.writeUInt32LE(Math.floor(p.timeUs / 1e6), 0);
    rec.writeUInt32LE(p.timeUs % 1e6, 4);
    rec.writeUInt32LE(14 + p.ip.length, 8);
    rec.writeUInt32LE(14 + p.ip.length, 12);
    Buffer.from('020000000002020000000001', 'hex').copy(rec, 16); // locally administered dst, src MACs
    rec.writeUInt16BE((p.ip[0] ?? 0) >>> 4 === 6 ? 0x86dd : 0x0800, 28);
    parts.push(rec, Buffer.from(p.ip));
  }
  return new Uint8Array(Buffer.concat(parts));
}
