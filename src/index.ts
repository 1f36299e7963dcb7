/**
 * Kite library face: re-exports only.
 */
export * from './errors.js';
export * from './iana/ikev2.js';
export * from './iana/ipsec.js';
export { nameOf, nameMap } from './iana/names.js';
export { Reader, Writer, toHex, fromHex, concat, bytesEqual } from './util/bytes.js';
export { ctEqual } from './util/ct.js';
export * from './wire/index.js';
export { readCapture, readFrames, isCaptureFile, CAPTURE_LIMITS, type CaptureLimits } from './capture/pcap.js';
export type { CaptureRecord } from './capture/frame.js';
export { extractIkeDatagrams, type IkeDatagram } from './capture/ike-datagrams.js';
export { readHexMessages } from './capture/hex.js';
export { parseIkeKeysFile, formatIkeKeysFile, type IkeSaKeys } from './capture/keys-file.js';
export { parseEspSaFile, formatEspSaFile, type EspSaKeys } from './capture/esp-sa-file.js';
export { decodeIkeFile } from './decode/decode-file.js';
export { decodeIkeDatagrams, type DecodedDatagramJson, type IkeDatagramInput } from './decode/session.js';
export { decryptSkPayload, findIkeSaKeys } from './decode/decrypt.js';
export { renderMessage } from './decode/render.js';
export { renderText } from './decode/text.js';
export type * from './decode/json.js';
