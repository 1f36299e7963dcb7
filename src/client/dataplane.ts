/**
 * The client's side of the dataplane: a {@link Datapath} wired to the NAT-T socket, the IKE core
 * (DPD postponed by ESP, rekey at soft limits) and the user's packet sink. One object for the
 * client's lifetime; the sockets it sends on change with MOBIKE moves.
 */
import { Datapath, type DatapathOptions, type DatapathPort } from '../datapath/pipeline.js';
import type { Endpoint } from '../ike/types.js';
import type { IkeSockets } from '../io/udp.js';
import type { KiteClientOptions, KiteClientStatus } from './types.js';

/** Receives decrypted inner IP packets (the buffer is the caller's to keep). */
export type PacketSink = (packet: Uint8Array) => void;

/** What the dataplane asks of the client. */
export interface DataplaneHost {
  /** Authenticated ESP arrived. */
  noteInbound(): void;
  /** Rekey the CHILD_SA with this inbound SPI. */
  rekeyChild(spiIn: number): void;
}

/** The port between {@link Datapath} and the client. */
export class ClientDataplane implements DatapathPort {
  /** The pipeline. */
  readonly datapath: Datapath;
  /** Where decrypted inner packets go (none: counted as delivered, then dropped by the client). */
  sink: PacketSink | undefined;
  /** The sockets ESP goes out on. */
  sockets: IkeSockets | undefined;
  /** Packets the sink threw on (the exception is swallowed: the dataplane never throws per packet). */
  sinkErrors = 0;

  constructor(private readonly host: DataplaneHost, options: DatapathOptions = {}) {
    this.datapath = new Datapath(this, options);
  }

  /** Room in the NAT-T send queue. */
  canSend(): boolean {
    return this.sockets?.canSendEsp() ?? false;
  }

  /** Out on the NAT-T socket. */
  sendEsp(packet: Uint8Array, remote: Endpoint): void {
    this.sockets?.sendEsp(packet, remote);
  }

  /** To the user. */
  deliver(packet: Uint8Array): void {
    const sink = this.sink;
    if (sink === undefined) return;
    try {
      sink(packet);
    } catch {
      this.sinkErrors++;
    }
  }

  /**
   * NAT-keepalives every `intervalMs` of silence to `remote` (the gateway's NAT-T endpoint) by
   * policy: 'nat' (default) only when we are behind a NAT, 'always', or 'never'; never while IKE
   * still runs on port 500.
   */
  keepalive(when: KiteClientOptions['natKeepalive'], intervalMs: number, natLocal: boolean, remote: Endpoint | undefined): void {
    const on = when === 'always' || ((when ?? 'nat') === 'nat' && natLocal);
    this.sockets?.setKeepalive(on && remote !== undefined && remote.port !== 500 ? remote : undefined, intervalMs);
  }

  /** The dataplane's part of the client's `status()`. */
  status(): Pick<KiteClientStatus, 'dataplane' | 'sinkErrors' | 'udp' | 'natKeepaliveMs'> {
    const s = this.sockets;
    return { dataplane: this.datapath.status(), sinkErrors: this.sinkErrors, udp: s === undefined ? undefined : { ...s.stats }, natKeepaliveMs: s?.keepaliveInterval ?? 0 };
  }

  /** DPD can wait. */
  noteInbound(): void {
    this.host.noteInbound();
  }

  /** A soft limit: ask the core. */
  rekey(spiIn: number): void {
    this.host.rekeyChild(spiIn);
  }
}
