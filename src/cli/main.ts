/**
 * `kite` command line: argv in, exit code out. Errors are printed with cause and fix.
 */
import { readFileSync } from 'node:fs';
import { runDecode, type CliIo } from './decode.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const USAGE = `usage: kite <command> [options]

commands:
  decode [--keys FILE] [--json] CAPTURE   dissect IKEv2 messages in a pcap/pcapng or hex file
  --version                              print the version
  --help                                 print this help
`;

const STDIO: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Run the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = STDIO): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case '--version':
    case '-v':
    case 'version':
      io.out(`kite ${version()}\n`);
      return 0;
    case undefined:
      io.err(USAGE);
      return 2;
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
    case 'decode':
      return runDecode(rest, io);
    default:
      io.err(`kite: unknown command '${cmd}'\n${USAGE}`);
      return 2;
  }
}
