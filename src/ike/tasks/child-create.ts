/**
 * CHILD_SA creation inside IKE_AUTH (RFC 7296 §1.2, §2.17): ESP proposals with our SPI, TSi/TSr,
 * IPCOMP_SUPPORTED with our CPI when compression is on; then the chosen proposal, the narrowed
 * selectors, KEYMAT = prf+(SK_d, Ni | Nr) and the install-CHILD_SA action.
 */
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies, findPayload } from '../../wire/payload.js';
import type { AnyTrafficSelector, TrafficSelector } from '../../wire/payloads/ts.js';
import { checkResponderTs } from '../ts.js';
import { checkChosen } from '../negotiate.js';
import { childSaParams, ipcompNotify, negotiatedIpcomp, spiOf } from './child-keys.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import type { InstalledChildSa } from '../types.js';
import type { ChildSaIpcomp } from '../../esp/child-sa.js';
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

function selectors(list: readonly Payload[], type: typeof PayloadType.TSi | typeof PayloadType.TSr): readonly AnyTrafficSelector[] {
  return findPayload(list, type)?.selectors ?? [];
}

function ipcompOf(cpi: number | undefined, response: readonly Payload[]): { ipcomp?: ChildSaIpcomp } {
  const ipcomp = negotiatedIpcomp(cpi, response);
  return ipcomp === undefined ? {} : { ipcomp };
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
    if (config.ipcompCpi !== undefined) out.push(ipcompNotify(config.ipcompCpi));
    out.push({ type: PayloadType.SA, critical: false, proposals });
    out.push({ type: PayloadType.TSi, critical: false, selectors: config.tsLocal });
    out.push({ type: PayloadType.TSr, critical: false, selectors: config.tsRemote });
    return out;
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    if (err !== undefined) throw peerFailure(err, { exchange: ExchangeType.IKE_AUTH, offered: ctx.config.espProposals, offeredTs: { tsi: ctx.config.tsLocal, tsr: ctx.config.tsRemote } });
    const { config } = ctx;
    const saP = findPayload(response, PayloadType.SA);
    if (saP === undefined) throw new IkeFailure('NO_CHILD_SA', 'the IKE_AUTH response holds no CHILD_SA', 'the gateway did not create a CHILD_SA; check its log');
    const offered = config.espProposals.map((p) => ({ ...p, protocolId: ProtocolId.ESP }));
    const chosen = checkChosen(offered, saP);
    const ts = checkResponderTs({ tsi: config.tsLocal, tsr: config.tsRemote }, { tsi: selectors(response, PayloadType.TSi), tsr: selectors(response, PayloadType.TSr) });
    if (ts.clipped) ctx.log(1, 'the responder\'s traffic selectors were wider than ours; using their intersection with our policy');
    this.child = this.install(ctx, chosen.spi, ts.tsi, ts.tsr, response);
    return 'done';
  }

  private install(ctx: TaskContext, spiOut: Uint8Array, tsi: readonly TrafficSelector[], tsr: readonly TrafficSelector[], response: readonly Payload[]): InstalledChildSa {
    const { sa, config } = ctx;
    const chosen = findPayload(response, PayloadType.SA)?.proposals[0];
    if (chosen === undefined || this.spi === undefined) throw new IkeFailure('INTERNAL', 'no SA', '');
    const params = childSaParams({
      sa, chosen, spiIn: spiOf(this.spi), spiOut: spiOf(spiOut), nonceI: sa.nonceI, nonceR: sa.nonceR, weInitiated: true,
      transport: findNotifies(response, NotifyType.USE_TRANSPORT_MODE).length > 0,
      ...ipcompOf(config.ipcompCpi, response),
    });
    return { params, tsLocal: tsi, tsRemote: tsr, ...(sa.natT ? { encap: { local: sa.local, remote: sa.remote } } : {}) };
  }
}
