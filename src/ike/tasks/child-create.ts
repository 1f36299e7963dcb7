/**
 * CHILD_SA creation inside IKE_AUTH (RFC 7296 §1.2, §2.17): ESP proposals with our SPI, TSi/TSr,
 * IPCOMP_SUPPORTED with our CPI when compression is on; then the chosen proposal, the narrowed
 * selectors, KEYMAT = prf+(SK_d, Ni | Nr) and the install-CHILD_SA action.
 */
import { IpcompTransform, NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { TrafficSelector } from '../../wire/payloads/ts.js';
import { checkChosen } from '../negotiate.js';
import { childSaParams, spiOf } from './child-keys.js';
import { describeProposals } from '../proposal.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import type { InstalledChildSa } from '../types.js';
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

function cmp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** True if `inner` lies within `outer` (type, protocol, ports and addresses). */
export function tsWithin(inner: TrafficSelector, outer: TrafficSelector): boolean {
  return inner.tsType === outer.tsType &&
    (outer.ipProtocol === 0 || inner.ipProtocol === outer.ipProtocol) &&
    inner.startPort >= outer.startPort && inner.endPort <= outer.endPort &&
    cmp(inner.startAddress, outer.startAddress) >= 0 && cmp(inner.endAddress, outer.endAddress) <= 0;
}

function selectors(list: readonly Payload[], type: typeof PayloadType.TSi | typeof PayloadType.TSr): TrafficSelector[] {
  const p = findPayload(list, type);
  return (p?.selectors ?? []).filter((s): s is TrafficSelector => 'startAddress' in s);
}

/** The CHILD_SA task of IKE_AUTH. */
export class ChildCreateTask implements Task {
  readonly name = 'CHILD_SA';
  private spi: Uint8Array | undefined;
  /** The CHILD_SA, once negotiated. */
  child: InstalledChildSa | undefined;

  build(ctx: TaskContext): Payload[] {
    const { config } = ctx;
    this.spi ??= ctx.random(4);
    const spi = this.spi;
    const proposals = config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP, spi }));
    const out: Payload[] = [];
    if (config.ipcompCpi !== undefined) {
      out.push({ type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType: NotifyType.IPCOMP_SUPPORTED, data: Uint8Array.of(config.ipcompCpi >>> 8, config.ipcompCpi & 0xff, IpcompTransform.IPCOMP_DEFLATE) });
    }
    out.push({ type: PayloadType.SA, critical: false, proposals });
    out.push({ type: PayloadType.TSi, critical: false, selectors: config.tsLocal });
    out.push({ type: PayloadType.TSr, critical: false, selectors: config.tsRemote });
    return out;
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    if (err !== undefined) throw peerFailure(err, 'the CHILD_SA request in IKE_AUTH', describeProposals(ctx.config.espProposals));
    const { config } = ctx;
    const saP = findPayload(response, PayloadType.SA);
    if (saP === undefined) throw new IkeFailure('NO_CHILD_SA', 'the IKE_AUTH response holds no CHILD_SA', 'the gateway did not create a CHILD_SA; check its log');
    const offered = config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP }));
    const chosen = checkChosen(offered, saP);
    const tsi = selectors(response, PayloadType.TSi);
    const tsr = selectors(response, PayloadType.TSr);
    this.checkTs(tsi, config.tsLocal, 'TSi');
    this.checkTs(tsr, config.tsRemote, 'TSr');
    this.child = this.install(ctx, chosen.spi, tsi, tsr, response);
    return 'done';
  }

  private checkTs(got: readonly TrafficSelector[], proposed: readonly TrafficSelector[], which: string): void {
    if (got.length === 0) throw new IkeFailure('TS_UNACCEPTABLE', `the responder returned no ${which}`, 'narrow the traffic selectors to what the gateway allows');
    for (const ts of got) {
      if (!proposed.some((p) => tsWithin(ts, p))) {
        throw new IkeFailure('TS_UNACCEPTABLE', `the responder's ${which} is not within what we proposed`, 'widen our traffic selectors or fix the gateway\'s');
      }
    }
  }

  private install(ctx: TaskContext, spiOut: Uint8Array, tsi: TrafficSelector[], tsr: TrafficSelector[], response: readonly Payload[]): InstalledChildSa {
    const { sa, config } = ctx;
    const chosen = findPayload(response, PayloadType.SA)?.proposals[0];
    if (chosen === undefined || this.spi === undefined) throw new IkeFailure('INTERNAL', 'no SA', '');
    const ipcompN = findNotifies(response, NotifyType.IPCOMP_SUPPORTED)[0];
    const params = childSaParams({
      sa, chosen, spiIn: spiOf(this.spi), spiOut: spiOf(spiOut), nonceI: sa.nonceI, nonceR: sa.nonceR, weInitiated: true,
      transport: findNotifies(response, NotifyType.USE_TRANSPORT_MODE).length > 0,
      ...(ipcompN !== undefined && config.ipcompCpi !== undefined && ipcompN.data.length >= 3
        ? { ipcomp: { cpiIn: config.ipcompCpi, cpiOut: ((ipcompN.data[0] as number) << 8) | (ipcompN.data[1] as number), transform: ipcompN.data[2] as number } }
        : {}),
    });
    return { params, tsLocal: tsi, tsRemote: tsr, ...(sa.natT ? { encap: { local: sa.local, remote: sa.remote } } : {}) };
  }
}
