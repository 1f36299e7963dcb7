/**
 * tshark as the outside judge: dissect a capture (optionally with Wireshark key files) and
 * extract the IKE and ESP fields that tests compare with Kite's own decoding.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.js';

/** Key files tshark reads from its config directory. */
export const WIRESHARK_KEY_FILES = ['ikev2_decryption_table', 'esp_sa'] as const;

/** Thrown when tshark is not installed (CI installs the Debian package `tshark`). */
export class TsharkMissingError extends Error {
  override readonly name = 'TsharkMissingError';
  constructor(cause: string) {
    super(`tshark is not installed or not runnable (${cause}); install it with: apt-get install -y tshark`);
  }
}

/** Returns tshark's version line, or throws {@link TsharkMissingError}. */
export async function tsharkVersion(): Promise<string> {
  try {
    const res = await run(['tshark', '--version'], { timeoutMs: 20_000 });
    return res.stdout.split('\n')[0] ?? '';
  } catch (err) {
    throw new TsharkMissingError(err instanceof Error ? err.message : String(err));
  }
}

/** Options for {@link tsharkDissect}. */
export interface TsharkOptions {
  /** Directory holding `ikev2_decryption_table` and/or `esp_sa` (Wireshark UAT format). */
  readonly keysDir?: string;
  /** Display filter (`-Y`). */
  readonly filter?: string;
}

/**
 * Runs `tshark -T json --no-duplicate-keys` on `pcapPath` with `WIRESHARK_CONFIG_DIR` pointing at
 * a temporary copy of the key files, ESP decryption on, and returns the parsed packets.
 * Throws when tshark reports a problem with the key files.
 */
export async function tsharkDissect(pcapPath: string, opts: TsharkOptions = {}): Promise<unknown[]> {
  await tsharkVersion();
  const conf = await mkdtemp(join(tmpdir(), 'kite-tshark-'));
  try {
    if (opts.keysDir !== undefined) {
      const present = new Set(await readdir(opts.keysDir));
      for (const f of WIRESHARK_KEY_FILES) {
        if (present.has(f)) await copyFile(join(opts.keysDir, f), join(conf, f));
      }
    }
    const args = ['tshark', '-n', '-r', pcapPath, '-o', 'esp.enable_encryption_decode:TRUE', '-T', 'json', '--no-duplicate-keys'];
    if (opts.filter !== undefined) args.push('-Y', opts.filter);
    const res = await run(args, { env: { WIRESHARK_CONFIG_DIR: conf }, timeoutMs: 60_000, check: false });
    const problems = res.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.includes('Running as user "root"'));
    if (res.code !== 0 || problems.length > 0) {
      throw new Error(`tshark on ${pcapPath} failed (exit ${String(res.code)}):\n${problems.join('\n')}`);
    }
    const parsed: unknown = JSON.parse(res.stdout);
    if (!Array.isArray(parsed)) throw new Error('tshark -T json did not print an array');
    return parsed as unknown[];
  } finally {
    await rm(conf, { recursive: true, force: true });
  }
}

// ---- extraction -------------------------------------------------------------------------------

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function num(v: unknown): number {
  const s = str(v);
  return s === '' ? NaN : Number(s);
}

/** tshark's `aa:bb:cc` bytes to `aabbcc`. */
function hexOf(v: unknown): string {
  return str(v).replaceAll(':', '');
}

/** A traffic selector as tshark shows it. */
export interface TsharkSelector {
  readonly tsType: number;
  readonly protocol: number;
  readonly startPort: number;
  readonly endPort: number;
  readonly startAddress: string;
  readonly endAddress: string;
}

/** A CP attribute: type and tshark's rendering of the value (hex, or address for address types). */
export interface TsharkCpAttribute {
  readonly type: number;
  readonly length: number;
  /** Raw value as hex ('' for zero-length request attributes). */
  readonly valueHex: string;
}

/** One IKE payload as tshark dissected it (fields present only for the payload kinds that have them). */
export interface TsharkPayload {
  /** Payload type (RFC 7296 §3.2 number). */
  readonly type: number;
  /** Payload length from the generic header. */
  readonly length: number;
  readonly critical: boolean;
  readonly notify?: { readonly type: number; readonly protocolId: number; readonly spi: string; readonly dataHex: string };
  readonly id?: { readonly type: number; readonly value: string };
  readonly cp?: { readonly cfgType: number; readonly attributes: readonly TsharkCpAttribute[] };
  readonly ts?: readonly TsharkSelector[];
  readonly delete?: { readonly protocolId: number; readonly spis: readonly string[] };
  readonly auth?: { readonly method: number };
  readonly cert?: { readonly encoding: number };
  readonly ke?: { readonly group: number };
  readonly nonceHex?: string;
  /** SKF: fragment number and total. */
  readonly fragment?: { readonly number: number; readonly total: number };
  /** SK/SKF: true when tshark decrypted it (keys matched and the ICV/padding made sense). */
  readonly decrypted?: boolean;
  /** SK, or the last SKF fragment once tshark reassembled: the decrypted inner payloads. */
  readonly inner?: readonly TsharkPayload[];
}

/** One IKE message (one frame) as tshark dissected it. */
export interface TsharkIkeMessage {
  readonly frame: number;
  /** Seconds since the first frame. */
  readonly time: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** True when carried on UDP 4500 after a non-ESP marker. */
  readonly natT: boolean;
  /** 16 hex digits. */
  readonly spiI: string;
  readonly spiR: string;
  readonly exchangeType: number;
  /** Initiator flag (I). */
  readonly initiator: boolean;
  /** Response flag (R). */
  readonly response: boolean;
  readonly messageId: number;
  readonly length: number;
  /** Outer payloads, in order. */
  readonly payloads: readonly TsharkPayload[];
  /** tshark flagged the frame as malformed (e.g. garbage after decrypting with a wrong key). */
  readonly malformed: boolean;
}

/** One ESP packet as tshark dissected it. */
export interface TsharkEspPacket {
  readonly frame: number;
  readonly src: string;
  readonly dst: string;
  /** 8 hex digits. */
  readonly spi: string;
  readonly sequence: number;
  /** Decrypted inner packet (hex) when tshark had the key, else undefined. */
  readonly decryptedHex: string | undefined;
}

function selectors(tree: Obj): TsharkSelector[] {
  return list(tree['isakmp.ts.data']).filter(isObj).map((t) => ({
    tsType: num(t['isakmp.ts.type']),
    protocol: num(t['isakmp.ts.protoid']),
    startPort: num(t['isakmp.ts.start_port']),
    endPort: num(t['isakmp.ts.end_port']),
    startAddress: str(t['isakmp.ts.start_ipv4'] ?? t['isakmp.ts.start_ipv6']),
    endAddress: str(t['isakmp.ts.end_ipv4'] ?? t['isakmp.ts.end_ipv6']),
  }));
}

function idValue(v: unknown): string {
  if (isObj(v)) {
    const first = Object.values(v).find((x) => typeof x === 'string');
    return str(first);
  }
  return hexOf(v);
}

/** Extracts the payload list of a container (an ISAKMP header, an SK's contained data, a reassembled SKF). */
export function tsharkPayloads(container: Obj): TsharkPayload[] {
  const types = list(container['isakmp.typepayload']).map(num);
  const trees = list(container['isakmp.typepayload_tree']);
  return types.map((type, i) => payload(type, isObj(trees[i]) ? (trees[i] as Obj) : {}));
}

function payload(type: number, t: Obj): TsharkPayload {
  const base = { type, length: num(t['isakmp.payloadlength']), critical: str(t['isakmp.criticalpayload']) === '1' };
  switch (type) {
    case 41:
      return {
        ...base,
        notify: {
          type: num(t['isakmp.notify.msgtype']),
          protocolId: num(t['isakmp.notify.protoid']),
          spi: hexOf(t['isakmp.spi']),
          dataHex: hexOf(t['isakmp.notify.data']),
        },
      };
    case 35:
    case 36:
      return { ...base, id: { type: num(t['isakmp.id.type']), value: idValue(t['isakmp.id.data']) } };
    case 47:
      return {
        ...base,
        cp: {
          cfgType: num(t['isakmp.cfg.type']),
          attributes: list(t['isakmp.cfg.attr']).filter(isObj).map((a) => ({
            type: num(a['isakmp.cfg.attr.type']),
            length: num(a['isakmp.cfg.attr.length']),
            valueHex: hexOf(a['isakmp.cfg.attr.value']),
          })),
        },
      };
    case 44:
    case 45:
      return { ...base, ts: selectors(t) };
    case 42:
      return {
        ...base,
        delete: { protocolId: num(t['isakmp.delete.protoid']), spis: list(t['isakmp.delete.spi']).map(hexOf) },
      };
    case 39:
      return { ...base, auth: { method: num(t['isakmp.auth.method']) } };
    case 37:
      return { ...base, cert: { encoding: num(t['isakmp.cert.encoding']) } };
    case 34:
      return { ...base, ke: { group: num(t['isakmp.key_exchange.dh_group']) } };
    case 40:
      return { ...base, nonceHex: hexOf(t['isakmp.nonce']) };
    case 46:
    case 53:
      return encrypted(base, type, t);
    default:
      return base;
  }
}

function encrypted(base: { type: number; length: number; critical: boolean }, type: number, t: Obj): TsharkPayload {
  const dec = t['isakmp.enc.decrypted'];
  const fragment =
    type === 53 ? { fragment: { number: num(t['isakmp.frag.number']), total: num(t['isakmp.frag.total']) } } : {};
  if (!isObj(dec)) return { ...base, ...fragment, decrypted: false };
  // A plain SK carries its payloads in `enc.contained`; tshark puts the payloads of a reassembled
  // SKF message on the SKF payload of the last fragment itself.
  const contained = dec['isakmp.enc.contained'];
  let inner: TsharkPayload[] | undefined;
  if (isObj(contained)) inner = tsharkPayloads(contained);
  else if (t['isakmp.typepayload'] !== undefined) inner = tsharkPayloads(t);
  else if (type === 46) inner = [];
  return { ...base, ...fragment, decrypted: true, ...(inner === undefined ? {} : { inner }) };
}

function layersOf(pkt: unknown): Obj | undefined {
  if (!isObj(pkt)) return undefined;
  const source = pkt['_source'];
  if (!isObj(source)) return undefined;
  const layers = source['layers'];
  return isObj(layers) ? layers : undefined;
}

function outer(layers: Obj, key: string): Obj {
  const first = list(layers[key])[0];
  return isObj(first) ? first : {};
}

/** Extracts every IKE message from tshark packets, in frame order. */
export function tsharkIkeMessages(packets: readonly unknown[]): TsharkIkeMessage[] {
  const out: TsharkIkeMessage[] = [];
  for (const pkt of packets) {
    const layers = layersOf(pkt);
    const isakmp = layers?.['isakmp'];
    if (layers === undefined || !isObj(isakmp)) continue;
    const frame = outer(layers, 'frame');
    const ip = outer(layers, 'ip');
    const udp = outer(layers, 'udp');
    const flags = isObj(isakmp['isakmp.flags_tree']) ? isakmp['isakmp.flags_tree'] : {};
    out.push({
      frame: num(frame['frame.number']),
      time: num(frame['frame.time_relative']),
      src: str(ip['ip.src']),
      dst: str(ip['ip.dst']),
      srcPort: num(udp['udp.srcport']),
      dstPort: num(udp['udp.dstport']),
      natT: layers['udpencap'] !== undefined,
      spiI: hexOf(isakmp['isakmp.ispi']),
      spiR: hexOf(isakmp['isakmp.rspi']),
      exchangeType: num(isakmp['isakmp.exchangetype']),
      initiator: str(flags['isakmp.flag_i']) === '1',
      response: str(flags['isakmp.flag_r']) === '1',
      messageId: Number.parseInt(str(isakmp['isakmp.messageid']), 16),
      length: num(isakmp['isakmp.length']),
      payloads: tsharkPayloads(isakmp),
      malformed: layers['_ws.malformed'] !== undefined,
    });
  }
  return out;
}

/** Extracts every ESP packet from tshark packets, in frame order. */
export function tsharkEspPackets(packets: readonly unknown[]): TsharkEspPacket[] {
  const out: TsharkEspPacket[] = [];
  for (const pkt of packets) {
    const layers = layersOf(pkt);
    const esp = layers?.['esp'];
    if (layers === undefined || !isObj(esp)) continue;
    const frame = outer(layers, 'frame');
    const ip = outer(layers, 'ip');
    const dec = esp['esp.decrypted_data_tree'];
    out.push({
      frame: num(frame['frame.number']),
      src: str(ip['ip.src']),
      dst: str(ip['ip.dst']),
      spi: str(esp['esp.spi']).replace(/^0x/, ''),
      sequence: num(esp['esp.sequence']),
      decryptedHex: isObj(dec) ? hexOf(dec['esp.contained_data']) : undefined,
    });
  }
  return out;
}

/** Payload type list of a message: outer types, with SK/SKF replaced by `SK[...]` of inner types when decrypted. */
export function payloadTypeSummary(payloads: readonly TsharkPayload[]): string {
  return payloads
    .map((p) => (p.inner !== undefined ? `${p.type}[${payloadTypeSummary(p.inner)}]` : String(p.type)))
    .join(' ');
}

/**
 * True when every SK payload and every complete SKF message of `messages` was decrypted by tshark
 * and no frame is malformed (a wrong SK_e still "decrypts" CBC to garbage that tshark then flags).
 */
export function allDecrypted(messages: readonly TsharkIkeMessage[]): boolean {
  return messages.every((m) =>
    !m.malformed && m.payloads.every((p) => {
      if (p.type === 46) return p.decrypted === true && p.inner !== undefined;
      if (p.type === 53 && p.fragment !== undefined && p.fragment.number === p.fragment.total) {
        return p.decrypted === true && p.inner !== undefined;
      }
      return true;
    }),
  );
}
