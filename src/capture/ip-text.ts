/**
 * Moved to `src/util/ip-text.ts`: ike/ and pki/ format addresses too, and DESIGN.md's layer table
 * lets them import util/ but not capture/. This path re-exports it until nothing imports it.
 * @deprecated import from `../util/ip-text.js`.
 */
export { ipv4ToString, ipv6ToString, ipToString } from '../util/ip-text.js';
