/**
 * The IKE SA record (RFC 7296 §2.14, §2.23): SPIs, nonces, negotiated algorithms and keys, message
 * ID counters, NAT state and peer capabilities. Tasks share state only through this object. It is
 * role-aware (initiator or responder) so that the test responder reuses the same protection code.
 */
import { createPrf, type Prf } from '../crypto/prf.js';
import { createSkCipher, encrInfo, encrKeyMaterialLength, type SkCipher } from '../crypto/sk-cipher.js';
import { integInfo } from '../crypto/integ.js';
import { deriveIkeKeys, expandIkeKeys, rekeySkeyseed, type IkeKeys } from '../crypto/keymat.js';
import { KiteError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import type { Endpoint } from './types.js';

/** Algorithms of the chosen IKE proposal. */
export interface IkeAlgorithms {
  readonly encrId: number;
  readonly keyLengthBits: number;
  /** 0 for AEAD. */
  readonly integId: number;
  readonly prfId: number;
  readonly group: number;
}

/** Lifecycle of the IKE SA. */
export type IkeSaState = 'created' | 'connecting' | 'established' | 'deleting' | 'closed' | 'failed';

/** What the peer said it supports. */
export interface PeerCapabilities {
  fragmentation: boolean;
  /** Hash algorithms from SIGNATURE_HASH_ALGORITHMS (empty: not advertised). */
  signatureHashes: number[];
  mobike: boolean;
}

/** Keys in the direction this side uses them. */
export interface DirectionalKeys {
  readonly encrOut: Uint8Array;
  readonly integOut: Uint8Array | undefined;
  readonly encrIn: Uint8Array;
  readonly integIn: Uint8Array | undefined;
}

/** The IKE SA. Mutable by design: it is the one place tasks share state. */
export class IkeSa {
  /** This side is the SA's original initiator (sets the I flag). */
  readonly initiator: boolean;
  /** IKE SA initiator's SPI. */
  spiI: Uint8Array;
  /** IKE SA responder's SPI (zero until the IKE_SA_INIT response). */
  spiR: Uint8Array = new Uint8Array(8);
  /** Nonces of the exchange that created the SA (Ni, Nr). */
  nonceI: Uint8Array = new Uint8Array(0);
  nonceR: Uint8Array = new Uint8Array(0);
  /** Lifecycle. */
  state: IkeSaState = 'created';
  /** Negotiated algorithms, PRF, SK cipher and keys, once derived. */
  algorithms: IkeAlgorithms | undefined;
  prf: Prf | undefined;
  cipher: SkCipher | undefined;
  keys: IkeKeys | undefined;
  /** Next Message ID for our requests. */
  nextRequestId = 0;
  /** Message ID we expect in the peer's next request. */
  nextPeerRequestId = 0;
  /** The IKE_SA_INIT request (initiator) / response (responder) as sent: AUTH's RealMessage. */
  initMessageOut: Uint8Array = new Uint8Array(0);
  /** The peer's IKE_SA_INIT message as received. */
  initMessageIn: Uint8Array = new Uint8Array(0);
  /** What the peer said it supports. */
  peer: PeerCapabilities = { fragmentation: false, signatureHashes: [], mobike: false };
  /** A NAT in front of us (peer saw another source than we sent from). */
  natLocal = false;
  /** A NAT in front of the peer. */
  natRemote = false;
  /** The peer's last NAT_DETECTION_DESTINATION_IP: how it sees our address (a change = NAT rebinding). */
  peerSeesUs: Uint8Array | undefined;
  /** The current path: our endpoint and the peer's. */
  local: Endpoint;
  remote: Endpoint;
  /** The peer's AUTH verified (the IKE SA exists on both ends even if the CHILD_SA failed). */
  authenticated = false;
  /** Time (ms) of the last authenticated inbound message. */
  lastInbound = 0;
  /** Time (ms) of the last datagram sent. */
  lastOutbound = 0;

  constructor(initiator: boolean, spi: Uint8Array, local: Endpoint, remote: Endpoint) {
    this.initiator = initiator;
    this.spiI = initiator ? spi : new Uint8Array(8);
    if (!initiator) this.spiR = spi;
    this.local = local;
    this.remote = remote;
  }

  /** Our SPI. */
  get spiLocal(): Uint8Array {
    return this.initiator ? this.spiI : this.spiR;
  }

  /** True when NAT-T (port 4500, UDP-encapsulated ESP) is in use. */
  get natT(): boolean {
    return this.natLocal || this.natRemote;
  }

  /**
   * Derive SKEYSEED and SK_* from g^ir (RFC 7296 §2.14) and set up the SK cipher. For an IKE SA
   * created by rekeying `rekeyOf`, SKEYSEED = prf_old(SK_d old, g^ir | Ni | Nr) (§2.18).
   */
  deriveKeys(alg: IkeAlgorithms, sharedSecret: Uint8Array, rekeyOf?: { readonly prf: Prf; readonly skD: Uint8Array }): void {
    const encr = encrInfo(alg.encrId);
    if (encr === undefined) throw new KiteError('UNSUPPORTED_ENCR', `the negotiated ENCR ${alg.encrId} is not supported by Kite; fix: remove it from the IKE proposals`);
    const integ = alg.integId === 0 ? undefined : integInfo(alg.integId);
    if (!encr.aead && integ === undefined) throw new KiteError('UNSUPPORTED_INTEG', `the negotiated INTEG ${alg.integId} is not supported by Kite; fix: remove it from the IKE proposals`);
    this.algorithms = alg;
    this.prf = createPrf(alg.prfId);
    this.cipher = createSkCipher(alg.encrId, alg.keyLengthBits, encr.aead ? undefined : alg.integId);
    const params = {
      prf: this.prf,
      encrKeyLength: encrKeyMaterialLength(encr, alg.keyLengthBits),
      integKeyLength: integ?.keyLength ?? 0,
      nonceI: this.nonceI,
      nonceR: this.nonceR,
      spiI: this.spiI,
      spiR: this.spiR,
    };
    this.keys = rekeyOf === undefined
      ? deriveIkeKeys({ ...params, sharedSecret })
      : expandIkeKeys({ ...params, skeyseed: rekeySkeyseed(rekeyOf.prf, rekeyOf.skD, sharedSecret, this.nonceI, this.nonceR) });
  }

  /** Keys for protecting what we send and checking what we receive. */
  directionalKeys(): DirectionalKeys {
    const k = this.keys;
    if (k === undefined) throw new KiteError('NO_KEYS', 'IKE SA has no keys yet');
    const aead = this.cipher?.aead ?? false;
    const i = { e: k.skEi, a: aead ? undefined : k.skAi };
    const r = { e: k.skEr, a: aead ? undefined : k.skAr };
    const out = this.initiator ? i : r;
    const inn = this.initiator ? r : i;
    return { encrOut: out.e, integOut: out.a, encrIn: inn.e, integIn: inn.a };
  }

  /** Short text of the SPIs for logs. */
  describe(): string {
    return `${toHex(this.spiI)}_i ${toHex(this.spiR)}_r`;
  }

  /** Wipe key material. */
  wipe(): void {
    const k = this.keys;
    if (k === undefined) return;
    for (const v of [k.skeyseed, k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr]) v.fill(0);
  }
}
