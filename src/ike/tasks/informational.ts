/**
 * INFORMATIONAL exchanges (RFC 7296 §1.4, §1.5): liveness checks (DPD, an empty request), Delete of
 * the IKE SA and of CHILD_SAs, in both directions. Peer requests are answered here too: an empty
 * one (liveness), strongSwan's NAT-D-carrying one (answered with our NAT-D, RFC 4555 §3.8), and
 * Deletes (a CHILD Delete is answered with the Delete of our inbound SPIs, §1.4.1).
 */
import { NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { filterPayloads, findNotifies } from '../../wire/payload.js';
import { bytesEqual } from '../../util/bytes.js';
import { spiBytes } from './child-keys.js';
import { natdNotifies } from './ike-natd.js';
import type { Task, TaskContext, TaskResult } from './task.js';

/** Read a 4-octet SPI. */
export function spiNumber(b: Uint8Array): number {
  return (((b[0] as number) << 24) | ((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number)) >>> 0;
}

/**
 * An empty INFORMATIONAL request: "are you alive?" (RFC 7296 §2.4). With MOBIKE it carries NAT
 * detection like strongSwan's (RFC 4555 §3.8), and a change in how the peer sees our address
 * (NAT rebinding) is flagged in `mappingChanged`.
 */
export class DpdTask implements Task {
  readonly name = 'DPD';
  /** The peer's NAT_DETECTION_DESTINATION_IP changed: our NAT mapping moved. */
  mappingChanged = false;

  constructor(private readonly withNatd = false) {}

  build(ctx: TaskContext): Payload[] {
    return this.withNatd ? natdNotifies(ctx.sa, ctx.config.fakeNat, ctx.random) : [];
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const seen = findNotifies(response, NotifyType.NAT_DETECTION_DESTINATION_IP)[0]?.data;
    if (this.withNatd && seen !== undefined) {
      const before = ctx.sa.peerSeesUs;
      // Unknown baseline (after a move or a rekey): this answer becomes it.
      this.mappingChanged = before !== undefined && !bytesEqual(before, seen);
      ctx.sa.peerSeesUs = seen.slice();
    }
    return 'done';
  }
}

/** Delete of the IKE SA (RFC 7296 §1.4.1); the response is empty. */
export class IkeDeleteTask implements Task {
  readonly name = 'IKE_DELETE';
  build(): Payload[] {
    return [{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.IKE, spiSize: 0, spis: [] }];
  }
  process(): TaskResult {
    return 'done';
  }
}

/** Delete of CHILD_SAs by their inbound SPIs; the peer answers with its own. */
export class ChildDeleteTask implements Task {
  readonly name = 'CHILD_DELETE';
  constructor(private readonly spisIn: readonly number[]) {}
  build(): Payload[] {
    return [{ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: this.spisIn.map(spiBytes) }];
  }
  process(): TaskResult {
    return 'done';
  }
}

/** What a peer's INFORMATIONAL request asks of us. */
export interface InformationalRequest {
  /** The peer deletes the IKE SA. */
  readonly deleteIke: boolean;
  /** ESP SPIs (the peer's inbound = our outbound) the peer deletes. */
  readonly deleteChildOut: readonly number[];
  /** It carried NAT-D notifies (strongSwan MOBIKE liveness check). */
  readonly natd: boolean;
}

/** Classify a peer INFORMATIONAL request. */
export function readInformational(payloads: readonly Payload[]): InformationalRequest {
  const deletes = filterPayloads(payloads, PayloadType.DELETE);
  return {
    deleteIke: deletes.some((d) => d.protocolId === ProtocolId.IKE),
    deleteChildOut: deletes.filter((d) => d.protocolId === ProtocolId.ESP && d.spiSize === 4).flatMap((d) => d.spis.map(spiNumber)),
    natd: findNotifies(payloads, NotifyType.NAT_DETECTION_SOURCE_IP).length > 0,
  };
}

/** The response to a peer INFORMATIONAL request, given the inbound SPIs of the children it deleted. */
export function informationalResponse(ctx: TaskContext, req: InformationalRequest, deletedIn: readonly number[]): Payload[] {
  if (req.deleteIke) return [];
  const out: Payload[] = [];
  if (deletedIn.length > 0) out.push({ type: PayloadType.DELETE, critical: false, protocolId: ProtocolId.ESP, spiSize: 4, spis: deletedIn.map(spiBytes) });
  if (req.natd) out.push(...natdNotifies(ctx.sa, ctx.config.fakeNat, ctx.random));
  return out;
}
