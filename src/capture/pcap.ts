/**
 * Capture file containers: classic pcap (tcpdump.org "PCAP Capture File Format", both byte orders,
 * micro- and nanosecond magic) and pcapng (draft-ietf-opsawg-pcapng: SHB in either byte order, IDB,
 * EPB, SPB, OPB; other blocks skipped). Yields raw link-layer frames numbered like tshark; the link,
 * IP and UDP layers are decoded by `frame.ts`.
 *
 * Damage to the container (bad magic, a block or record length that is inconsistent or runs past
 * the end of the file) throws ParseError with the file offset; what is inside a frame is judged
 * per frame by the caller.
 */
import { ParseError } from '../errors.js';
import { decodeFrame, type CaptureRecord } from './frame.js';

/** Limits applied while reading a capture file. */
export interface CaptureLimits {
  /** Most frames read from one file (default 1 000 000). */
  readonly maxRecords?: number;
  /** Largest pcapng block or pcap record, in bytes (default 16 MiB). */
  readonly maxBlockSize?: number;
}

/** Default limits; a real IKE capture is far below both. */
export const CAPTURE_LIMITS = { maxRecords: 1_000_000, maxBlockSize: 16 * 1024 * 1024 } as const;

/** One link-layer frame as stored in the file, before any protocol decoding. */
export interface RawFrame {
  /** Frame number, 1-based over all packet blocks in the file (tshark's `frame.number`). */
  readonly index: number;
  /** Capture time in seconds since the Unix epoch (0 where the format stores none, e.g. SPB). */
  readonly timestamp: number;
  /** LINKTYPE of the interface that captured the frame. */
  readonly linkType: number;
  /** Captured bytes (a view into the file buffer). */
  readonly data: Uint8Array;
  /** Length of the frame on the wire (may exceed `data.length` when the snap length cut it). */
  readonly originalLength: number;
  /** File offset of `data[0]`, so frame-level errors can point into the file. */
  readonly fileOffset: number;
}

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAP_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
/** The low 26 bits of the pcap header's link-type field hold the LINKTYPE (the rest: FCS info). */
const PCAP_LINKTYPE_MASK = 0x03ffffff;

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAPNG_IDB = 0x00000001;
const PCAPNG_OPB = 0x00000002;
const PCAPNG_SPB = 0x00000003;
const PCAPNG_EPB = 0x00000006;
const PCAPNG_OPT_END = 0;
const PCAPNG_OPT_IF_TSRESOL = 9;
const PCAPNG_OPT_IF_TSOFFSET = 14;

/** Bounds-checked little/big-endian 32-bit read from the file. */
function u32(buf: Uint8Array, off: number, le: boolean, field: string): number {
  if (off < 0 || off + 4 > buf.length) throw new ParseError('TRUNCATED', field, off, 'file ends inside this field');
  const a = buf[off] as number;
  const b = buf[off + 1] as number;
  const c = buf[off + 2] as number;
  const d = buf[off + 3] as number;
  return (le ? d * 0x1000000 + ((c << 16) | (b << 8) | a) : a * 0x1000000 + ((b << 16) | (c << 8) | d)) >>> 0;
}

function u16(buf: Uint8Array, off: number, le: boolean, field: string): number {
  if (off < 0 || off + 2 > buf.length) throw new ParseError('TRUNCATED', field, off, 'file ends inside this field');
  const a = buf[off] as number;
  const b = buf[off + 1] as number;
  return le ? (b << 8) | a : (a << 8) | b;
}

/** True when `buf` starts like a pcap or pcapng file (used to tell captures from hex text). */
export function isCaptureFile(buf: Uint8Array): boolean {
  if (buf.length < 4) return false;
  const be = u32(buf, 0, false, 'magic');
  const le = u32(buf, 0, true, 'magic');
  return be === PCAPNG_SHB || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le);
}

/**
 * Read every frame of a pcap or pcapng file (format detected from the magic number).
 * Throws ParseError (BAD_FORMAT, TRUNCATED, BAD_LENGTH or LIMIT, offset = file offset) when the
 * container itself is damaged.
 */
export function readFrames(buf: Uint8Array, limits: CaptureLimits = {}): RawFrame[] {
  const maxRecords = limits.maxRecords ?? CAPTURE_LIMITS.maxRecords;
  const maxBlock = limits.maxBlockSize ?? CAPTURE_LIMITS.maxBlockSize;
  if (buf.length < 4) throw new ParseError('TRUNCATED', 'capture.magic', 0, 'file shorter than a magic number');
  const be = u32(buf, 0, false, 'capture.magic');
  if (be === PCAPNG_SHB) return readPcapng(buf, maxRecords, maxBlock);
  const le = u32(buf, 0, true, 'capture.magic');
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return readPcap(buf, false, be === PCAP_MAGIC_NS, maxRecords, maxBlock);
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return readPcap(buf, true, le === PCAP_MAGIC_NS, maxRecords, maxBlock);
  throw new ParseError('BAD_FORMAT', 'capture.magic', 0, `not a pcap or pcapng file (magic 0x${be.toString(16).padStart(8, '0')})`);
}

/**
 * Read a capture file and decode each frame down to UDP. Frames that are not UDP over IP are
 * reported as `skipped`, frames whose headers are damaged as `bad`; neither stops the file.
 */
export function readCapture(buf: Uint8Array, limits: CaptureLimits = {}): CaptureRecord[] {
  return readFrames(buf, limits).map(decodeFrame);
}

function readPcap(buf: Uint8Array, le: boolean, nano: boolean, maxRecords: number, maxBlock: number): RawFrame[] {
  if (buf.length < PCAP_HEADER) throw new ParseError('TRUNCATED', 'pcap.header', 0, `file header needs ${PCAP_HEADER} bytes`);
  const major = u16(buf, 4, le, 'pcap.versionMajor');
  if (major !== 2) throw new ParseError('BAD_FORMAT', 'pcap.versionMajor', 4, `unsupported pcap version ${major}`);
  const linkType = (u32(buf, 20, le, 'pcap.linkType') & PCAP_LINKTYPE_MASK) >>> 0;
  const frames: RawFrame[] = [];
  const unit = nano ? 1e9 : 1e6;
  let off = PCAP_HEADER;
  while (off < buf.length) {
    if (frames.length >= maxRecords) throw new ParseError('LIMIT', 'pcap.record', off, `more than ${maxRecords} records`);
    if (off + PCAP_RECORD_HEADER > buf.length) throw new ParseError('TRUNCATED', 'pcap.recordHeader', off, 'file ends inside a record header');
    const sec = u32(buf, off, le, 'pcap.tsSec');
    const frac = u32(buf, off + 4, le, 'pcap.tsFrac');
    const capLen = u32(buf, off + 8, le, 'pcap.capturedLength');
    const origLen = u32(buf, off + 12, le, 'pcap.originalLength');
    if (capLen > maxBlock) throw new ParseError('LIMIT', 'pcap.capturedLength', off + 8, `record of ${capLen} bytes exceeds ${maxBlock}`);
    const start = off + PCAP_RECORD_HEADER;
    if (start + capLen > buf.length) throw new ParseError('TRUNCATED', 'pcap.packetData', start, `record needs ${capLen} bytes, file has ${buf.length - start}`);
    frames.push({
      index: frames.length + 1,
      timestamp: sec + frac / unit,
      linkType,
      data: buf.subarray(start, start + capLen),
      originalLength: origLen,
      fileOffset: start,
    });
    off = start + capLen;
  }
  return frames;
}

/** Per-interface state of a pcapng section. */
interface Interface {
  readonly linkType: number;
  readonly snapLen: number;
  /** Timestamp units per second. */
  readonly unitsPerSecond: bigint;
  /** Seconds added to every timestamp (if_tsoffset). */
  readonly offsetSeconds: bigint;
}

function readPcapng(buf: Uint8Array, maxRecords: number, maxBlock: number): RawFrame[] {
  const frames: RawFrame[] = [];
  let ifaces: Interface[] = [];
  let le = true;
  let off = 0;
  while (off < buf.length) {
    if (off + 12 > buf.length) throw new ParseError('TRUNCATED', 'pcapng.blockHeader', off, 'file ends inside a block header');
    const raw = u32(buf, off, false, 'pcapng.blockType');
    if (raw === PCAPNG_SHB) {
      const magic = u32(buf, off + 8, false, 'pcapng.byteOrderMagic');
      if (magic === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else if (u32(buf, off + 8, true, 'pcapng.byteOrderMagic') === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else throw new ParseError('BAD_FORMAT', 'pcapng.byteOrderMagic', off + 8, 'section header has no valid byte-order magic');
      ifaces = [];
    } else if (off === 0) {
      throw new ParseError('BAD_FORMAT', 'pcapng.blockType', 0, 'pcapng file must start with a section header block');
    }
    const type = u32(buf, off, le, 'pcapng.blockType');
    const total = u32(buf, off + 4, le, 'pcapng.blockTotalLength');
    if (total < 12 || total % 4 !== 0) throw new ParseError('BAD_LENGTH', 'pcapng.blockTotalLength', off + 4, `block length ${total} is not a multiple of 4 of at least 12`);
    if (total > maxBlock) throw new ParseError('LIMIT', 'pcapng.blockTotalLength', off + 4, `block of ${total} bytes exceeds ${maxBlock}`);
    if (off + total > buf.length) throw new ParseError('TRUNCATED', 'pcapng.block', off, `block needs ${total} bytes, file has ${buf.length - off}`);
    if (u32(buf, off + total - 4, le, 'pcapng.blockTrailerLength') !== total) {
      throw new ParseError('BAD_LENGTH', 'pcapng.blockTrailerLength', off + total - 4, 'trailing block length differs from the leading one');
    }
    const bodyStart = off + 8;
    const bodyEnd = off + total - 4;
    if (type === PCAPNG_SHB) {
      if (bodyEnd - bodyStart < 16) throw new ParseError('BAD_LENGTH', 'pcapng.shb', off, 'section header block too short');
      const major = u16(buf, bodyStart + 4, le, 'pcapng.versionMajor');
      if (major !== 1) throw new ParseError('BAD_FORMAT', 'pcapng.versionMajor', bodyStart + 4, `unsupported pcapng version ${major}`);
    } else if (type === PCAPNG_IDB) {
      ifaces.push(readIdb(buf, bodyStart, bodyEnd, le));
    } else if (type === PCAPNG_EPB || type === PCAPNG_OPB || type === PCAPNG_SPB) {
      if (frames.length >= maxRecords) throw new ParseError('LIMIT', 'pcapng.packet', off, `more than ${maxRecords} packets`);
      frames.push(readPacketBlock(buf, type, bodyStart, bodyEnd, le, ifaces, frames.length + 1));
    }
    // Any other block type (NRB, ISB, DSB, custom, ...) carries nothing we decode: skip it.
    off += total;
  }
  return frames;
}

function readIdb(buf: Uint8Array, start: number, end: number, le: boolean): Interface {
  if (end - start < 8) throw new ParseError('BAD_LENGTH', 'pcapng.idb', start, 'interface description block too short');
  const linkType = u16(buf, start, le, 'pcapng.idb.linkType');
  const snapLen = u32(buf, start + 4, le, 'pcapng.idb.snapLen');
  let unitsPerSecond = 1_000_000n;
  let offsetSeconds = 0n;
  let o = start + 8;
  while (o + 4 <= end) {
    const code = u16(buf, o, le, 'pcapng.option.code');
    const len = u16(buf, o + 2, le, 'pcapng.option.length');
    const vStart = o + 4;
    if (vStart + len > end) throw new ParseError('BAD_LENGTH', 'pcapng.option.length', o + 2, `option of ${len} bytes runs past its block`);
    if (code === PCAPNG_OPT_END) break;
    if (code === PCAPNG_OPT_IF_TSRESOL && len >= 1) {
      const r = buf[vStart] as number;
      const exp = BigInt(r & 0x7f);
      if ((r & 0x7f) > 63) throw new ParseError('BAD_VALUE', 'pcapng.idb.if_tsresol', vStart, `resolution exponent ${r & 0x7f} too large`);
      unitsPerSecond = (r & 0x80) !== 0 ? 1n << exp : 10n ** exp;
    } else if (code === PCAPNG_OPT_IF_TSOFFSET && len >= 8) {
      const hi = BigInt(u32(buf, le ? vStart + 4 : vStart, le, 'pcapng.idb.if_tsoffset'));
      const lo = BigInt(u32(buf, le ? vStart : vStart + 4, le, 'pcapng.idb.if_tsoffset'));
      offsetSeconds = BigInt.asIntN(64, (hi << 32n) | lo);
    }
    o = vStart + ((len + 3) & ~3);
  }
  return { linkType, snapLen, unitsPerSecond, offsetSeconds };
}

function readPacketBlock(buf: Uint8Array, type: number, start: number, end: number, le: boolean, ifaces: readonly Interface[], index: number): RawFrame {
  const field = type === PCAPNG_SPB ? 'pcapng.spb' : type === PCAPNG_EPB ? 'pcapng.epb' : 'pcapng.opb';
  let ifaceId = 0;
  let ts: bigint | undefined;
  let capLen: number;
  let origLen: number;
  let dataStart: number;
  if (type === PCAPNG_SPB) {
    if (end - start < 4) throw new ParseError('BAD_LENGTH', field, start, 'simple packet block too short');
    origLen = u32(buf, start, le, `${field}.originalLength`);
    dataStart = start + 4;
    const iface0 = ifaces[0];
    const snap = iface0 !== undefined && iface0.snapLen > 0 ? iface0.snapLen : Infinity;
    capLen = Math.min(origLen, snap, end - dataStart);
  } else {
    if (end - start < 20) throw new ParseError('BAD_LENGTH', field, start, 'packet block too short');
    ifaceId = type === PCAPNG_EPB ? u32(buf, start, le, `${field}.interfaceId`) : u16(buf, start, le, `${field}.interfaceId`);
    ts = (BigInt(u32(buf, start + 4, le, `${field}.tsHigh`)) << 32n) | BigInt(u32(buf, start + 8, le, `${field}.tsLow`));
    capLen = u32(buf, start + 12, le, `${field}.capturedLength`);
    origLen = u32(buf, start + 16, le, `${field}.originalLength`);
    dataStart = start + 20;
    if (dataStart + capLen > end) throw new ParseError('BAD_LENGTH', `${field}.capturedLength`, start + 12, `captured length ${capLen} runs past its block`);
  }
  const iface = ifaces[ifaceId];
  if (iface === undefined) throw new ParseError('BAD_VALUE', `${field}.interfaceId`, start, `interface ${ifaceId} was not described in this section`);
  return {
    index,
    timestamp: ts === undefined ? 0 : toSeconds(ts, iface),
    linkType: iface.linkType,
    data: buf.subarray(dataStart, dataStart + capLen),
    originalLength: origLen,
    fileOffset: dataStart,
  };
}

function toSeconds(ts: bigint, iface: Interface): number {
  const u = iface.unitsPerSecond;
  return Number(ts / u + iface.offsetSeconds) + Number(ts % u) / Number(u);
}
