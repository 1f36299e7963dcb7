/**
 * Generates `src/crypto/modp-groups.ts` from RFC 3526's text.
 * Run: `node --import tsx vectors/tools/gen-modp.ts`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { extractModpGroups, renderModpModule } from './rfc3526.js';

const source = new URL('../../../shared/rfc/rfc3526.txt', import.meta.url);
const target = new URL('../../src/crypto/modp-groups.ts', import.meta.url);
const text = readFileSync(source);
const sha256 = createHash('sha256').update(text).digest('hex');
writeFileSync(target, renderModpModule(extractModpGroups(text.toString('utf8')), sha256));
console.log(`wrote ${target.pathname}`);
