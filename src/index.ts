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
export { type Backend, BACKENDS, DEFAULT_BACKEND } from './crypto/backend.js';
export { getSuite, listSuites, encrSuite, integSuite, prfSuite, keSuite, type Suite, type EncrSuite, type IntegSuite, type PrfSuite, type KeSuite } from './crypto/suites.js';
export { createPrf, prfPlus, SUPPORTED_PRFS, type Prf } from './crypto/prf.js';
export { deriveIkeKeys, expandIkeKeys, deriveChildKeys, rekeySkeyseed, type IkeKeyParams, type IkeKeys, type ChildKeyInputs, type ChildKeys } from './crypto/keymat.js';
export { createSkCipher, skPad, encrInfo, type SkCipher, type SkEncryptParams, type SkDecryptParams } from './crypto/sk-cipher.js';
export { createAead, type Aead, type AeadAlgorithm } from './crypto/aead.js';
export { createKeyExchange, keGroupInfo, KE_GROUPS, type KeyExchange } from './crypto/ke.js';
export {
  signedOctets,
  pskAuth,
  verifyPskAuth,
  sign,
  verify,
  parseDigitalSignatureAuth,
  encodeDigitalSignatureAuth,
  SUPPORTED_SIGNATURE_HASHES,
  type SignParams,
  type VerifyParams,
  type SignedOctetsParams,
} from './crypto/sign.js';
export {
  ChildSa,
  EspDrop,
  espDropReasons,
  newEspStats,
  MAX_UDP_PAYLOAD,
  type ChildSaParams,
  type ChildSaOptions,
  type ChildSaLifetime,
  type ChildSaIpcomp,
  type EspStats,
  type IpcompCodec,
} from './esp/child-sa.js';
export { espEncap, espDummy } from './esp/outbound.js';
export { espDecap, EspSaTable } from './esp/inbound.js';
export { ReplayWindow, DEFAULT_REPLAY_WINDOW, MAX_REPLAY_WINDOW } from './esp/replay.js';
export { createEspCipher, espCipherSpec, ESP_ENCR, ESP_INTEG, type EspCipher, type EspCipherSpec } from './esp/cipher.js';
export { deflateDatagram, inflateDatagram, deflateCodec, IpcompDrop, IPCOMP_MAX_OUTPUT, IPCOMP_DEFAULT_THRESHOLD, type DeflateOptions, type DeflateCodec } from './ipcomp/deflate.js';
export { classifyNatT, ikeFromNatT, withNonEspMarker, natKeepalive, NatTKind } from './io/demux.js';
export { decodeEspHeader, type EspHeader } from './wire/esp.js';
export { decodeIpcompHeader, type IpcompHeader } from './wire/ipcomp.js';
export { encodeIpUdp, decodeIpUdp, internetChecksum, type IpUdp } from './wire/ip.js';
export * from './pki/index.js';
export { KiteClient, type ConnectResult, type KiteClientEvents, type KiteClientOptions, type KiteClientStatus } from './client/kite-client.js';
export { Initiator, type InitiatorStatus } from './ike/initiator.js';
export type { ChildSaStatus } from './ike/status.js';
export type * from './ike/types.js';
export { INITIATOR_DEFAULTS, resolveConfig, type InitiatorConfig, type InitiatorOptions, type IkeIdentity, type PeerTrust, type RetransmitConfig, type VirtualIpConfig } from './ike/config.js';
export {
  buildProposals,
  parseProposalString,
  selectChosen,
  negotiatedAlgorithms,
  describeProposals,
  proposalToString,
  DEFAULT_IKE_PROPOSALS,
  DEFAULT_ESP_PROPOSALS,
  ProposalError,
  type ProposalSpec,
  type NegotiatedAlgorithms,
} from './ike/proposal.js';
export { buildTrafficSelectors, parseTrafficSelector, checkResponderTs, tsToString, type TsConfig, type TsPair } from './ike/ts.js';
export * from './ike/peer-errors.js';
export { Datapath, DatapathDrop, type DatapathPort, type DatapathOptions, type DropReason, type DatapathStatus, type ChildDataStatus, type DataCounters } from './datapath/pipeline.js';
export { parseInner, matchesSelectors, newInnerView, type InnerView } from './datapath/selector.js';
export { IkeSockets, DEFAULT_KEEPALIVE_MS, DEFAULT_MAX_SEND_QUEUE, type UdpStats, type UdpEndpoint, type IkeSocketOptions, type IkeSocketHandlers } from './io/udp.js';
export type { PacketSink } from './client/dataplane.js';
