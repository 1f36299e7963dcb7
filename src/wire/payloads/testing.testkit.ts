/**
 * Test support shared by the payload tests (not used by the library): the RFC 5996 text (same
 * §3 figures as RFC 7296) path, and a helper returning the ParseError a call throws.
 */

/** URL of the RFC 5996 text on disk, relative to this folder. */
export const RFC5996_URL = new URL('../../../../shared/rfc/rfc5996.txt', import.meta.url);

export { parseErrorOf } from '../../util/testing.testkit.js';
