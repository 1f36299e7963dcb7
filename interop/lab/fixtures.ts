/**
 * Locating and reading the committed strongSwan fixtures (`vectors/strongswan/<suite>/`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `vectors/strongswan`. */
export const STRONGSWAN_FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'vectors', 'strongswan');

/** Suite ids that have fixtures. */
export const STRONGSWAN_FIXTURE_SUITES = [
  'aes256-sha256-modp2048',
  'aes128gcm16-ecp256',
  'chacha20poly1305-x25519',
] as const;

/** One exchange as recorded in meta.json (fixture.ts writes it). */
export interface FixtureMetaExchange {
  /** 0 for the first IKE SA, 1 for the one that replaced it. */
  readonly ikeSa: number;
  readonly exchange: string;
  readonly messageId: number;
  /** What it does in the scenario. */
  readonly purpose: string;
  readonly requestFrames: readonly number[];
  readonly responseFrames: readonly number[];
  /** strongSwan's `generating ... request` / `parsed ... response` lines (initiator side). */
  readonly initiatorLog: readonly string[];
  /** strongSwan's `parsed ... request` / `generating ... response` lines (responder side). */
  readonly responderLog: readonly string[];
}

/** The parts of meta.json tests rely on. */
export interface FixtureMeta {
  readonly suite: string;
  readonly strongswan: string;
  readonly ike: { readonly proposal: string; readonly encr: number; readonly keyLength: number; readonly prf: number; readonly ke: number; readonly integ?: number };
  readonly esp: { readonly proposal: string };
  readonly wiresharkDecrypts: boolean;
  readonly network: { readonly initiator: string; readonly responder: string; readonly innerHost: string; readonly virtualIp: string };
  readonly ikeSas: readonly { readonly spiI: string; readonly spiR: string; readonly role: string }[];
  readonly childSas: readonly { readonly child: string; readonly spiInitiatorToResponder: string; readonly spiResponderToInitiator: string }[];
  readonly exchanges: readonly FixtureMetaExchange[];
  readonly ikeFrames: readonly {
    readonly frame: number;
    readonly exchangeType: number;
    readonly messageId: number;
    readonly initiator: boolean;
    readonly response: boolean;
    readonly spiI: string;
    readonly spiR: string;
    readonly natT: boolean;
    readonly payloads: string;
  }[];
  readonly espFrames: readonly { readonly frame: number; readonly src: string; readonly dst: string; readonly spi: string; readonly sequence: number }[];
}

/** keys.json: every key both charons logged (hex strings; `null` where not logged). */
export interface FixtureKeys {
  readonly ikeSas: readonly {
    readonly spiI: string;
    readonly spiR: string;
    readonly gir: string | null;
    readonly skeyseed: string;
    readonly skD: string;
    readonly skAi: string;
    readonly skAr: string;
    readonly skEi: string;
    readonly skEr: string;
    readonly skPi: string;
    readonly skPr: string;
  }[];
  readonly childSas: readonly {
    readonly child: string;
    readonly spiInitiatorToResponder: string;
    readonly spiResponderToInitiator: string;
    readonly seed: string | null;
    readonly encrI: string;
    readonly encrR: string;
    readonly integI: string;
    readonly integR: string;
  }[];
}

/** Paths and parsed metadata of one suite's fixture. */
export interface StrongswanFixture {
  readonly suite: string;
  readonly dir: string;
  readonly pcap: string;
  readonly initiatorLog: string;
  readonly responderLog: string;
  /** Path of `ikev2_decryption_table`, or undefined when tshark 4.0 cannot use one (ChaCha20). */
  readonly ikev2DecryptionTable: string | undefined;
  readonly espSa: string | undefined;
  readonly meta: FixtureMeta;
  readonly keys: FixtureKeys;
}

/** Reads the fixture of `suite`; throws when it is missing. */
export function strongswanFixture(suite: string): StrongswanFixture {
  const dir = join(STRONGSWAN_FIXTURES_DIR, suite);
  const opt = (name: string): string | undefined => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  return {
    suite,
    dir,
    pcap: join(dir, 'capture.pcap'),
    initiatorLog: join(dir, 'charon-initiator.log'),
    responderLog: join(dir, 'charon-responder.log'),
    ikev2DecryptionTable: opt('ikev2_decryption_table'),
    espSa: opt('esp_sa'),
    meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta,
    keys: JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')) as FixtureKeys,
  };
}

/** strongSwan's payload abbreviations (`message.c`) to RFC 7296 payload type numbers. */
export const STRONGSWAN_PAYLOAD_ABBREVIATIONS: Readonly<Record<string, number>> = {
  SA: 33,
  KE: 34,
  IDi: 35,
  IDr: 36,
  CERT: 37,
  CERTREQ: 38,
  AUTH: 39,
  No: 40,
  N: 41,
  D: 42,
  V: 43,
  TSi: 44,
  TSr: 45,
  E: 46,
  CPRQ: 47,
  CPRP: 47,
  CPS: 47,
  CPA: 47,
  EAP: 48,
  EF: 53,
} as const;

/**
 * Payload types of a charon `generating|parsed <EXCHANGE> <request|response> <id> [ ... ]` line,
 * e.g. `[ IDr CERT AUTH CPRP(ADDR) SA TSi TSr N(MOBIKE_SUP) ]` -> [36, 37, 39, 47, 33, 44, 45, 41].
 */
export function strongswanPayloadTypes(line: string): number[] {
  const body = /\[ ?(.*?) ?\]$/.exec(line)?.[1] ?? '';
  if (body === '') return [];
  return body.split(' ').map((tok) => {
    const name = tok.replace(/\(.*$/, '');
    const type = STRONGSWAN_PAYLOAD_ABBREVIATIONS[name];
    if (type === undefined) throw new Error(`unknown strongSwan payload abbreviation ${tok} in: ${line}`);
    return type;
  });
}
