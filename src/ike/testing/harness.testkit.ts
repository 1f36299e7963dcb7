/**
 * In-memory network and fake clock pairing the Kite initiator with the {@link TestResponder}:
 * datagrams queue in memory, filters drop, duplicate or reorder them, time moves only when a test
 * says so (to the initiator's next deadline), so retransmission tests run in milliseconds.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { IdType } from '../../iana/ikev2.js';
import type { Proposal } from '../../wire/payloads/sa.js';
import { buildProposals } from '../proposal.js';
import type { TrafficSelector } from '../../wire/payloads/ts.js';
import { ipToBytes } from '../addr.js';
import type { InitiatorOptions } from '../config.js';
import { Initiator } from '../initiator.js';
import { createPeerTrust } from '../../pki/trust.js';
import type { Action, Endpoint, IkeEvent, InstalledChildSa } from '../types.js';
import { TestResponder, type TestResponderOptions } from './responder.testkit.js';

const PKI = resolve(import.meta.dirname, '../../../vectors/strongswan/pki');

/** A DER certificate from the committed test PKI. */
export function testCert(name: string): Uint8Array {
  return new Uint8Array(new X509Certificate(readFileSync(resolve(PKI, `${name}.crt.pem`))).raw);
}

/** A private key from the committed test PKI. */
export function testKey(name: string): KeyObject {
  return createPrivateKey(readFileSync(resolve(PKI, `${name}.key.pem`)));
}

/** The default IKE proposals, or these strongSwan-style strings. */
export function ikeProposals(text?: string | readonly string[]): Proposal[] {
  return buildProposals({ protocol: 'ike', ...(text === undefined ? {} : { proposals: text }) });
}

/** The default ESP proposals, or these strings. */
export function espProposals(text?: string | readonly string[]): Proposal[] {
  return buildProposals({ protocol: 'esp', ...(text === undefined ? {} : { proposals: text }) });
}

/** An IPv4 range selector. */
export function ts4(start: string, end: string): TrafficSelector {
  return { tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ipToBytes(start), endAddress: ipToBytes(end) };
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Initiator options against the test PKI (client.example.test -> gw.example.test). */
export function testInitiatorOptions(over: Partial<InitiatorOptions> = {}, certName = 'client'): InitiatorOptions {
  return {
    local: { address: '192.0.2.1', port: 500 },
    remote: { address: '192.0.2.2', port: 500 },
    ikeProposals: ikeProposals(),
    espProposals: espProposals(),
    localId: { idType: IdType.ID_RFC822_ADDR, data: text('client@example.test') },
    remoteId: { idType: IdType.ID_FQDN, data: text('gw.example.test') },
    privateKey: testKey(certName),
    certificates: [testCert(certName)],
    trust: createPeerTrust({ cas: [testCert('ca')] }),
    tsLocal: [ts4('0.0.0.0', '255.255.255.255')],
    tsRemote: [ts4('0.0.0.0', '255.255.255.255')],
    virtualIp: { ip4: true, ip6: false },
    dpdDelayMs: 0,
    ...over,
  };
}

/** Responder options against the test PKI. */
export function testResponderOptions(over: Partial<TestResponderOptions> = {}, certName = 'gw'): TestResponderOptions {
  return {
    local: { address: '192.0.2.2', port: 500 },
    privateKey: testKey(certName),
    certificates: [testCert(certName)],
    id: { idType: IdType.ID_FQDN, data: text('gw.example.test') },
    pool: ['10.99.1.1'],
    dns: ['10.99.0.53'],
    ...over,
  };
}

/** A datagram in flight. */
export interface Flight {
  readonly toResponder: boolean;
  readonly data: Uint8Array;
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

/** Decides what the network does with each datagram: return the datagrams to deliver (none = drop). */
export type NetFilter = (f: Flight, index: number) => Flight[];

/** Initiator + responder over an in-memory network and a fake clock. */
export class Harness {
  now = 0;
  readonly initiator: Initiator;
  readonly responder: TestResponder;
  readonly events: IkeEvent[] = [];
  readonly installed: InstalledChildSa[] = [];
  readonly removed: { spiIn: number; spiOut: number }[] = [];
  readonly wire: Flight[] = [];
  filter: NetFilter = (f) => [f];
  /** CPU time spent inside initiator calls (ns), for the benchmark. */
  initiatorNs = 0n;
  private readonly queue: Flight[] = [];
  private count = 0;

  constructor(i: Partial<InitiatorOptions> = {}, r: Partial<TestResponderOptions> = {}, certs: { client?: string; gw?: string } = {}) {
    this.initiator = new Initiator(testInitiatorOptions(i, certs.client));
    this.responder = new TestResponder(testResponderOptions(r, certs.gw));
  }

  /** Events of one type. */
  eventsOf<T extends IkeEvent['type']>(type: T): Extract<IkeEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<IkeEvent, { type: T }> => e.type === type);
  }

  /** Apply the initiator's actions. */
  apply(actions: readonly Action[]): void {
    for (const a of actions) {
      if (a.type === 'send') this.post({ toResponder: true, data: a.data, local: a.local, remote: a.remote });
      else if (a.type === 'event') this.events.push(a.event);
      else if (a.type === 'install-child') this.installed.push(a.child);
      else this.removed.push({ spiIn: a.spiIn, spiOut: a.spiOut });
    }
  }

  private timed(f: () => Action[]): Action[] {
    const t = process.hrtime.bigint();
    const a = f();
    this.initiatorNs += process.hrtime.bigint() - t;
    return a;
  }

  /** Put a datagram on the network (through the filter). */
  post(f: Flight): void {
    this.wire.push(f);
    for (const g of this.filter(f, this.count++)) this.queue.push(g);
  }

  /** The responder sends `packets` to the initiator. */
  fromResponder(packets: readonly Uint8Array[]): void {
    const sa = this.initiator.sa;
    for (const data of packets) this.post({ toResponder: false, data, local: sa.remote, remote: sa.local });
  }

  /** Deliver until the network is quiet. */
  settle(): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const f = this.queue.shift();
      if (f === undefined) return;
      if (f.toResponder) {
        if (f.data.length === 1) continue; // NAT-T keepalive
        this.fromResponder(this.responder.receive(f.data, f.local, this.now));
      } else {
        this.apply(this.timed(() => this.initiator.receive(f.data, { local: f.remote, remote: f.local }, this.now)));
      }
    }
  }

  /** Start the initiator and deliver. */
  start(): this {
    this.apply(this.timed(() => this.initiator.start(this.now)));
    this.settle();
    return this;
  }

  /** Move the clock to `t`, running every deadline on the way. */
  advanceTo(t: number): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const d = this.initiator.nextDeadline();
      if (d > t) break;
      this.now = Math.max(this.now, d);
      this.apply(this.initiator.tick(this.now));
      this.settle();
    }
    this.now = Math.max(this.now, t);
  }

  /** Advance by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }
}
