/**
 * The dataplane between the NAT-T socket and the user's inner packets: CHILD_SAs as the IKE core
 * installs and removes them, inbound ESP -> `espDecap` -> inner IP packet -> the packet sink, and
 * inner packet -> the CHILD_SA whose traffic selectors match -> `espEncap` -> the socket.
 *
 * Make-before-break: a rekeyed CHILD_SA's successor is installed (inbound live at once) while the
 * old one stays until the core removes it; outbound takes the newest matching SA — except that a
 * successor the PEER created by its rekey is used outbound only once it carried inbound traffic or
 * the old SA is gone (`InstalledChildSa.replaces`, RFC 7296 §2.8). Soft
 * limits ask the core for a rekey once per SA; hard limits take the SA out of outbound selection.
 * Nothing here throws per packet or owns a timer or socket: the caller passes `now` and a
 * {@link DatapathPort}; every refusal is a counted {@link DatapathDrop} or {@link EspDrop}.
 */
import { KiteError } from '../errors.js';
import { ChildSa, EspDrop, espDropReasons, type ChildSaOptions } from '../esp/child-sa.js';
import { EspSaTable } from '../esp/inbound.js';
import { espEncap } from '../esp/outbound.js';
import type { InstalledChildSa, Endpoint } from '../ike/types.js';
import { IpcompTransform } from '../iana/ikev2.js';
import { deflateCodec, type DeflateOptions } from '../ipcomp/deflate.js';
import { readU32 } from '../wire/esp.js';
import { matchesSelectors, newInnerView, parseInner } from './selector.js';
import { childStatus, type ChildDataStatus, type DatapathStatus, sumCounters, zeroCounters, type DataCounters } from './status.js';

export type { ChildDataStatus, DatapathStatus, DataCounters } from './status.js';

/** Refusals of the datapath itself (the ESP layer's own reasons are {@link EspDrop}). */
export const DatapathDrop = {
  /** Outbound: no CHILD_SA's traffic selectors cover the packet (or all that do are expired). */
  NO_SA: 'no-sa',
  /** Outbound: the socket's send queue is at its bound. */
  QUEUE_FULL: 'queue-full',
  /** Outbound: not an IPv4 / IPv6 packet. */
  NOT_IP: 'not-ip',
  /** Outbound: the CHILD_SA is not UDP-encapsulated (Kite sends ESP only inside UDP). */
  NO_ENCAP: 'no-encap',
  /** Inbound: a transport-mode payload that is not an IP packet (no sink for it). */
  NOT_INNER_IP: 'not-inner-ip',
} as const;
/** One of {@link DatapathDrop}. */
export type DatapathDrop = (typeof DatapathDrop)[keyof typeof DatapathDrop];

/** Every reason the datapath reports: its own and the ESP layer's. */
export type DropReason = DatapathDrop | EspDrop;

/** What the datapath needs from its surroundings (the client: socket, IKE core, user sink). */
export interface DatapathPort {
  /** Is there room in the send queue? Checked before a packet is encrypted. */
  canSend(): boolean;
  /** Send one ESP packet (UDP payload) to `remote` on the NAT-T socket. */
  sendEsp(packet: Uint8Array, remote: Endpoint): void;
  /** An authenticated inner packet for the user. */
  deliver(packet: Uint8Array): void;
  /** Authenticated ESP arrived: the peer is alive (postpones DPD). */
  noteInbound(now: number): void;
  /** A soft lifetime of the SA with inbound SPI `spiIn` was reached: rekey it. */
  rekey(spiIn: number): void;
}

/** Local dataplane policy. */
export interface DatapathOptions {
  /** Options for every ChildSa (backend, TFC padding, sequence soft margin, …). */
  readonly childSa?: Omit<ChildSaOptions, 'ipcompCodec'>;
  /** DEFLATE settings for SAs that negotiated IPComp. */
  readonly ipcomp?: DeflateOptions;
}

interface Entry {
  readonly sa: ChildSa;
  child: InstalledChildSa;
  rekeyAsked: boolean;
  /** False while a peer-rekeyed SA waits for inbound traffic or the old SA's removal. */
  outboundReady: boolean;
}

/** The CHILD_SAs of one client and the packets through them. */
export class Datapath {
  private readonly table = new EspSaTable();
  private readonly entries = new Map<number, Entry>();
  /** Outbound candidates, newest first (rebuilt on install / remove, never per packet). */
  private outbound: Entry[] = [];
  private readonly view = newInnerView();
  private readonly retired: DataCounters = zeroCounters();
  /** Drops that belong to no SA (no SA matched, queue full, unknown SPI, …). */
  private readonly drops: Record<DropReason, number>;

  constructor(private readonly port: DatapathPort, private readonly options: DatapathOptions = {}) {
    this.drops = {} as Record<DropReason, number>;
    for (const r of [...espDropReasons(), ...Object.values(DatapathDrop)]) this.drops[r] = 0;
  }

  /**
   * Install a CHILD_SA (`install-child`). The same inbound SPI again (a MOBIKE move re-announces
   * its SAs) only updates the encapsulation endpoints and selectors: keys, replay window and
   * sequence numbers carry on. Throws KiteError for transforms the dataplane cannot run.
   */
  install(child: InstalledChildSa): void {
    const known = this.entries.get(child.params.spiIn);
    if (known !== undefined) {
      known.child = child;
      return;
    }
    const p = child.params;
    if (p.ipcomp !== undefined && p.ipcomp.transform !== IpcompTransform.IPCOMP_DEFLATE) {
      throw new KiteError('UNSUPPORTED_ALGORITHM', `IPComp transform ${p.ipcomp.transform} is not supported by the dataplane`);
    }
    const codec = p.ipcomp === undefined ? {} : { ipcompCodec: deflateCodec(this.options.ipcomp) };
    const sa = new ChildSa(p, { ...this.options.childSa, ...codec });
    const replaces = child.replaces;
    const e: Entry = { sa, child, rekeyAsked: false, outboundReady: replaces === undefined || !this.entries.has(replaces) };
    this.entries.set(p.spiIn, e);
    this.table.add(sa);
    this.outbound = [e, ...this.outbound];
  }

  /** Remove the CHILD_SA with inbound SPI `spiIn` (`remove-child`); its counters stay in the totals. */
  remove(spiIn: number): boolean {
    const e = this.entries.get(spiIn);
    if (e === undefined) return false;
    this.entries.delete(spiIn);
    this.table.remove(spiIn);
    this.outbound = this.outbound.filter((x) => x !== e);
    for (const x of this.outbound) if (x.child.replaces === spiIn) x.outboundReady = true;
    this.retire(e);
    return true;
  }

  /** Remove every CHILD_SA (the IKE SA is gone). */
  clear(): void {
    for (const spi of [...this.entries.keys()]) this.remove(spi);
  }

  private retire(e: Entry): void {
    const s = e.sa.stats;
    const r = this.retired;
    r.packetsIn += s.packetsIn;
    r.bytesIn += s.bytesIn;
    r.packetsOut += s.packetsOut;
    r.bytesOut += s.bytesOut;
    for (const k of espDropReasons()) this.drops[k] += s.drops[k];
  }

  /** An ESP packet (UDP payload, SPI first) from the NAT-T socket. */
  inbound(pkt: Uint8Array, now: number): void {
    const before = this.table.unknownSpi;
    const r = this.table.decap(pkt, now);
    if (typeof r === 'string') {
      if (this.table.unknownSpi !== before) this.drops[EspDrop.UNKNOWN_SPI]++;
      return;
    }
    const e = this.entries.get(readU32(pkt, 0));
    if (e === undefined) return; // unreachable: decap found it
    e.outboundReady = true; // the peer has installed it: it sent on it
    this.port.noteInbound(now);
    this.checkLimits(e);
    const nh = e.sa.lastNextHeader;
    if (nh !== 4 && nh !== 41) {
      this.drops[DatapathDrop.NOT_INNER_IP]++;
      return;
    }
    this.port.deliver(r);
  }

  /**
   * An inner IPv4 / IPv6 packet from the user: encrypt it on the newest CHILD_SA whose selectors
   * cover it and send it. False (and a counted drop) when it could not go out.
   */
  send(packet: Uint8Array, now: number): boolean {
    const v = this.view;
    if (!parseInner(packet, v)) return this.refuse(DatapathDrop.NOT_IP);
    // Newest ready SA first; a peer-rekeyed SA not yet confirmed only if nothing else matches.
    let e: Entry | undefined;
    let waiting: Entry | undefined;
    for (let i = 0; i < this.outbound.length; i++) {
      const c = this.outbound[i] as Entry;
      if (c.sa.expired || !matchesSelectors(packet, v, c.child.tsLocal, c.child.tsRemote)) continue;
      if (c.outboundReady) {
        e = c;
        break;
      }
      waiting ??= c;
    }
    e ??= waiting;
    if (e === undefined) return this.refuse(DatapathDrop.NO_SA);
    const remote = e.child.encap?.remote;
    if (remote === undefined) return this.refuse(DatapathDrop.NO_ENCAP);
    if (!this.port.canSend()) return this.refuse(DatapathDrop.QUEUE_FULL);
    const out = espEncap(e.sa, packet, now);
    this.checkLimits(e);
    if (typeof out === 'string') return false; // counted on the SA
    this.port.sendEsp(out, remote);
    return true;
  }

  private refuse(reason: DatapathDrop): false {
    this.drops[reason]++;
    return false;
  }

  private checkLimits(e: Entry): void {
    if (e.sa.rekeyNeeded && !e.rekeyAsked && !e.sa.expired) {
      e.rekeyAsked = true;
      this.port.rekey(e.sa.params.spiIn);
    }
  }

  /** The live ChildSa with inbound SPI `spiIn` (tests, diagnostics). */
  childSa(spiIn: number): ChildSa | undefined {
    return this.entries.get(spiIn)?.sa;
  }

  /** Counters: per live CHILD_SA, totals since start (removed SAs included), drops by reason. */
  status(): DatapathStatus {
    const children: ChildDataStatus[] = this.outbound.map((e) => childStatus(e.sa, e.child));
    const drops = { ...this.drops };
    for (const e of this.outbound) for (const k of espDropReasons()) drops[k] += e.sa.stats.drops[k];
    return { children, totals: sumCounters(this.retired, children), drops };
  }
}
