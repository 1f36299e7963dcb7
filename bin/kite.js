#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A closed pipe (`kite decode ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
