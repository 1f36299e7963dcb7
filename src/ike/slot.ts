/**
 * One IKE SA with its task manager, as the initiator core holds it: normally one, two while an
 * IKE SA rekey hands over (the old one lives until its Delete is done). Receives protected
 * messages for its SPIs (responses to its requests, requests from the peer) and sends datagrams
 * on its current path.
 */
import { ParseError, type KiteError } from '../errors.js';
import type { IkeHeader } from '../wire/header.js';
import { decodeMessage } from '../wire/message.js';
import { checkMessageRules } from '../wire/message-rules.js';
import type { Payload } from '../wire/payload.js';
import { bytesEqual } from '../util/bytes.js';
import type { InitiatorConfig } from './config.js';
import type { IkeSa } from './ike-sa.js';
import { unprotect } from './protect.js';
import { TaskManager } from './task-manager.js';
import type { Exchange, TaskContext } from './tasks/task.js';
import type { Action } from './types.js';

/** What a slot needs from the initiator. */
export interface SlotHost {
  readonly config: InitiatorConfig;
  readonly nattPort: number;
  context(slot: SaSlot, now: number): TaskContext;
  out(action: Action): void;
  failed(slot: SaSlot, exchange: Exchange, error: KiteError, timeout: boolean, now: number): void;
  respond(slot: SaSlot, exchangeType: number, payloads: readonly Payload[], now: number): Payload[];
}

/** An IKE SA and its task manager. */
export class SaSlot {
  readonly tm: TaskManager;

  constructor(readonly sa: IkeSa, private readonly host: SlotHost) {
    const c = host.config;
    this.tm = new TaskManager({
      sa,
      retransmit: c.retransmit,
      unauthenticatedErrorWaitMs: c.unauthenticatedErrorWaitMs,
      fragmentSize: () => (sa.peer.fragmentation ? c.fragmentSize : undefined),
      context: (now) => host.context(this, now),
      send: (packets, now) => this.send(packets, now),
      failed: (ex, err, timeout, now) => host.failed(this, ex, err, timeout, now),
      respond: (type, payloads, now) => host.respond(this, type, payloads, now),
    });
  }

  /** Datagrams out on this SA's path. */
  send(packets: readonly Uint8Array[], now: number): void {
    const sa = this.sa;
    for (const data of packets) this.host.out({ type: 'send', data, local: { ...sa.local }, remote: { ...sa.remote }, marker: sa.local.port === this.host.nattPort });
    sa.lastOutbound = now;
  }

  /** Does a message with `header` from the peer belong to this SA (SPIs and I flag)? */
  matches(header: IkeHeader): boolean {
    const sa = this.sa;
    return header.initiator !== sa.initiator && bytesEqual(header.spiI, sa.spiI) && bytesEqual(header.spiR, sa.spiR);
  }

  /** The IKE_SA_INIT response (plain): accepted once, for our outstanding request, before keys exist. */
  receiveInit(buf: Uint8Array, header: IkeHeader, now: number): void {
    const sa = this.sa;
    if (header.initiator || !header.response || !bytesEqual(header.spiI, sa.spiI) || this.tm.activeMessageId !== header.messageId || sa.keys !== undefined) return;
    const msg = decodeMessage(buf);
    checkMessageRules(header, msg.payloads);
    sa.spiR = header.spiR.slice();
    sa.initMessageIn = buf.slice();
    this.tm.onResponse(header.exchangeType, header.messageId, msg.payloads, now);
  }

  /** A protected message for this SA: verify, decrypt, reassemble, check rules, dispatch. */
  receive(buf: Uint8Array, header: IkeHeader, now: number): void {
    const sa = this.sa;
    const msg = decodeMessage(buf);
    checkMessageRules(header, msg.payloads);
    if (header.response) {
      if (this.tm.activeMessageId !== header.messageId) return;
      const r = unprotect(sa, buf, this.tm.responseReassembler, now);
      if (r.state !== 'complete') return;
      checkMessageRules(header, msg.payloads, r.payloads);
      sa.lastInbound = now;
      this.tm.onResponse(header.exchangeType, header.messageId, r.payloads, now);
      return;
    }
    this.tm.onRequest(header.exchangeType, header.messageId, () => {
      let r;
      try {
        r = unprotect(sa, buf, this.tm.requestReassembler(header.messageId), now);
      } catch (e) {
        if (e instanceof ParseError && e.field !== 'sk.body') return 'invalid';
        throw e;
      }
      if (r.state !== 'complete') return undefined;
      sa.lastInbound = now;
      try {
        checkMessageRules(header, msg.payloads, r.payloads);
      } catch (e) {
        if (e instanceof ParseError) return 'invalid';
        throw e;
      }
      return r.payloads;
    }, now);
  }
}
