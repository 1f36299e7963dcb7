/**
 * `kite` command line: argv in, exit code out. Errors are printed with cause and fix.
 */
import { readFileSync } from 'node:fs';

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

/** Run the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`kite ${version()}\n`);
    return 0;
  }
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  process.stderr.write(`kite: unknown command '${cmd}'\n${USAGE}`);
  return 2;
}
