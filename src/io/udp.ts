/**
 * IKE's UDP sockets: port 500 (plain IKE) and the NAT-T port 4500 shared with UDP-encapsulated
 * ESP (RFC 3948): on 4500 a datagram starting with the four-octet non-ESP marker is IKE (marker
 * stripped), a single 0xFF octet is a NAT-T keepalive (ignored), ESP goes to its handler
 * (classification by `demux.ts`).
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { classifyNatT, ikeFromNatT, NatTKind } from './demux.js';

/** A local or remote UDP endpoint. */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** Callbacks of {@link IkeSockets}. */
export interface IkeSocketHandlers {
  /** An IKE message (marker stripped) arrived on `local` from `remote`. */
  ike(data: Uint8Array, local: UdpEndpoint, remote: UdpEndpoint): void;
  /** A UDP-encapsulated ESP packet arrived on the NAT-T socket. */
  esp?(data: Uint8Array, local: UdpEndpoint, remote: UdpEndpoint): void;
  /** A socket error. */
  error?(err: Error): void;
}

/** Options of {@link IkeSockets.open}. */
export interface IkeSocketOptions {
  /** Local address to bind (must be the address NAT detection reports). */
  readonly address: string;
  /** IKE port (500; 0 for a random one). */
  readonly ikePort: number;
  /** NAT-T port (4500; 0 for a random one). */
  readonly nattPort: number;
}

const NON_ESP_MARKER = new Uint8Array(4);

function bind(socket: Socket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}

/** The pair of IKE sockets. */
export class IkeSockets {
  private constructor(
    private readonly ikeSocket: Socket,
    private readonly nattSocket: Socket,
    /** Bound endpoints. */
    readonly ike: UdpEndpoint,
    readonly natt: UdpEndpoint,
  ) {}

  /** Bind both sockets and start delivering to `handlers`. */
  static async open(o: IkeSocketOptions, handlers: IkeSocketHandlers): Promise<IkeSockets> {
    const type = isIPv6(o.address) ? 'udp6' : 'udp4';
    const a = createSocket({ type });
    const b = createSocket({ type });
    try {
      const ikePort = await bind(a, o.address, o.ikePort);
      const nattPort = await bind(b, o.address, o.nattPort);
      const s = new IkeSockets(a, b, { address: o.address, port: ikePort }, { address: o.address, port: nattPort });
      a.on('message', (msg, rinfo) => handlers.ike(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), s.ike, { address: rinfo.address, port: rinfo.port }));
      b.on('message', (msg, rinfo) => s.demux(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { address: rinfo.address, port: rinfo.port }, handlers));
      for (const sock of [a, b]) sock.on('error', (e) => handlers.error?.(e));
      return s;
    } catch (e) {
      a.close();
      b.close();
      throw e;
    }
  }

  private demux(data: Uint8Array, remote: UdpEndpoint, h: IkeSocketHandlers): void {
    const kind = classifyNatT(data);
    if (kind === NatTKind.IKE) h.ike(ikeFromNatT(data), this.natt, remote);
    else if (kind === NatTKind.ESP) h.esp?.(data, this.natt, remote);
  }

  /** Send from the socket bound to `localPort` (the NAT-T one unless it is the IKE port). */
  send(data: Uint8Array, localPort: number, remote: UdpEndpoint, marker: boolean): void {
    const sock = localPort === this.ike.port ? this.ikeSocket : this.nattSocket;
    const parts = marker ? [NON_ESP_MARKER, data] : [data];
    sock.send(parts, remote.port, remote.address);
  }

  /** Send an ESP packet (no marker) on the NAT-T socket. */
  sendEsp(data: Uint8Array, remote: UdpEndpoint): void {
    this.nattSocket.send(data, remote.port, remote.address);
  }

  /** Close both sockets. */
  close(): void {
    this.ikeSocket.close();
    this.nattSocket.close();
  }
}

/** The local address the kernel would use to reach `remote` (a connected UDP socket, nothing sent). */
export function localAddressFor(remote: string): Promise<string> {
  const s = createSocket(isIPv6(remote) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    s.once('error', (e) => { s.close(); reject(e); });
    s.connect(9, remote, () => {
      const a = s.address().address;
      s.close();
      resolve(a);
    });
  });
}
