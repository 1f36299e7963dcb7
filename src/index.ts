/**
 * Kite library face: re-exports only.
 */
export * from './errors.js';
export * from './iana/ikev2.js';
export * from './iana/ipsec.js';
export { nameOf } from './iana/names.js';
export { Reader, Writer, toHex, fromHex, concat } from './util/bytes.js';
export { ctEqual } from './util/ct.js';
