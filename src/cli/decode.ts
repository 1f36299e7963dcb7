/**
 * `kite decode [--keys FILE] [--json] CAPTURE`: reads the files, hands the bytes to the pure
 * decoder (`decode/decode-file.ts`) and prints the records. Exit code 0 when every IKE message
 * decoded (and decrypted, where keys were given), 1 when some did not, 2 on a usage or file error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseIkeKeysFile, type IkeSaKeys } from '../capture/keys-file.js';
import { decodeIkeFile } from '../decode/decode-file.js';
import type { DecodedDatagramJson } from '../decode/session.js';
import { renderText } from '../decode/text.js';
import { ParseError } from '../errors.js';

/** Where the command writes; injectable for tests. */
export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/** Usage text of `kite decode`, printed by `--help` and on a usage error. */
export const DECODE_USAGE = `usage: kite decode [--keys FILE] [--json] CAPTURE

  CAPTURE      a pcap or pcapng file (Ethernet, Linux cooked v1/v2, raw IP; UDP 500 and
               4500 with the non-ESP marker), or a text file with one hex IKE message per
               paragraph
  --keys FILE  Wireshark ikev2_decryption_table (as written by strongSwan's save-keys
               plugin): SK and SKF payloads of the listed IKE SAs are decrypted
  --json       print one JSON array instead of the text tree
`;

function readInput(path: string, what: string, io: CliIo): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const hint = code === 'ENOENT' ? 'check the path' : code === 'EACCES' ? 'check the file permissions' : String((e as Error).message);
    io.err(`kite decode: cannot read ${what} '${path}': ${code} (${hint})\n`);
    return undefined;
  }
}

function describeParseError(e: ParseError, what: string, path: string): string {
  const where = e.code === 'BAD_FORMAT' && what === 'keys file' ? `line ${e.offset}` : `offset ${e.offset}`;
  return `kite decode: ${what} '${path}' is malformed at ${where} (${e.field}): ${e.message}\n`;
}

function frameLine(r: DecodedDatagramJson): string {
  const f = r.frame;
  if (f === undefined) return '';
  const parts = [`#${f.index ?? '?'}`];
  if (f.src !== undefined) parts.push(`${f.src}:${f.srcPort ?? '?'} -> ${f.dst ?? '?'}:${f.dstPort ?? '?'}`);
  return parts.join(' ') + '  ';
}

/** Count records that failed to decode or whose SK payload could not be decrypted. */
function countProblems(records: readonly DecodedDatagramJson[]): number {
  let n = 0;
  for (const r of records) {
    if ('error' in r) n++;
    else if (JSON.stringify(r.payloads).includes('"error"')) n++;
  }
  return n;
}

/** Run `kite decode` with its own arguments; resolves to the exit code. */
export function runDecode(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { keys: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (e) {
    io.err(`kite decode: ${(e as Error).message}\n${DECODE_USAGE}`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.out(DECODE_USAGE);
    return 0;
  }
  const [capturePath, ...extra] = parsed.positionals;
  if (capturePath === undefined || extra.length > 0) {
    io.err(`kite decode: expected exactly one CAPTURE file\n${DECODE_USAGE}`);
    return 2;
  }
  let keys: IkeSaKeys[] = [];
  const keysPath = parsed.values.keys;
  if (keysPath !== undefined) {
    const bytes = readInput(keysPath, 'keys file', io);
    if (bytes === undefined) return 2;
    try {
      keys = parseIkeKeysFile(new TextDecoder().decode(bytes));
    } catch (e) {
      if (e instanceof ParseError) {
        io.err(describeParseError(e, 'keys file', keysPath));
        return 2;
      }
      throw e;
    }
  }
  const file = readInput(capturePath, 'capture', io);
  if (file === undefined) return 2;
  let records: DecodedDatagramJson[];
  try {
    records = decodeIkeFile(file, keys);
  } catch (e) {
    if (e instanceof ParseError) {
      io.err(describeParseError(e, 'capture', capturePath));
      return 2;
    }
    throw e;
  }
  if (parsed.values.json === true) {
    io.out(JSON.stringify(records, null, 2) + '\n');
  } else {
    for (const r of records) io.out(frameLine(r) + renderText(r) + '\n\n');
  }
  const problems = countProblems(records);
  if (problems > 0) io.err(`kite decode: ${records.length} IKE messages, ${problems} with errors\n`);
  return problems > 0 ? 1 : 0;
}
