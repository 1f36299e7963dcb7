/**
 * MOBIKE path update (RFC 4555 §3.5, §3.8): after our address changed, an INFORMATIONAL request
 * from the new address with UPDATE_SA_ADDRESSES, fresh NAT detection and COOKIE2 (the response
 * must echo it, §3.6). The IKE SA and its CHILD_SAs then use the new path; iked reprograms its SAs
 * only on this message, so the client must send it.
 */
import { NotifyType, PayloadType } from '../../iana/ikev2.js';
import { ctEqual } from '../../util/ct.js';
import type { Payload } from '../../wire/payload.js';
import { findNotifies } from '../../wire/payload.js';
import type { NotifyPayload } from '../../wire/payloads/notify.js';
import { findErrorNotify, peerFailure } from '../peer-failure.js';
import { checkNatd, natdNotifies } from './ike-natd.js';
import { IkeFailure, type Task, type TaskContext, type TaskResult } from './task.js';

const COOKIE2_LENGTH = 16;

function notify(notifyType: number, data: Uint8Array = new Uint8Array(0)): NotifyPayload {
  return { type: PayloadType.NOTIFY, critical: false, protocolId: 0, spi: new Uint8Array(0), notifyType, data };
}

/** UPDATE_SA_ADDRESSES from the IKE SA's (already updated) local endpoint. */
export class MobikeUpdateTask implements Task {
  readonly name = 'UPDATE_SA_ADDRESSES';
  private cookie2: Uint8Array | undefined;

  build(ctx: TaskContext): Payload[] {
    this.cookie2 = ctx.random(COOKIE2_LENGTH);
    return [notify(NotifyType.UPDATE_SA_ADDRESSES), ...natdNotifies(ctx.sa, ctx.config.fakeNat, ctx.random), notify(NotifyType.COOKIE2, this.cookie2)];
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const err = findErrorNotify(response);
    if (err !== undefined) throw peerFailure(err, { exchange: 'INFORMATIONAL (UPDATE_SA_ADDRESSES)' });
    const echoed = findNotifies(response, NotifyType.COOKIE2)[0];
    if (this.cookie2 === undefined || echoed === undefined || !ctEqual(echoed.data, this.cookie2)) {
      throw new IkeFailure('COOKIE2_MISMATCH', 'the UPDATE_SA_ADDRESSES response does not echo our COOKIE2', 'the gateway is misbehaving or the response was forged; report it with a capture');
    }
    ctx.sa.peerSeesUs = findNotifies(response, NotifyType.NAT_DETECTION_DESTINATION_IP)[0]?.data.slice();
    const natd = checkNatd(ctx.sa, response);
    if (natd !== undefined) {
      ctx.sa.natLocal = natd.natLocal || ctx.config.fakeNat;
      ctx.sa.natRemote = natd.natRemote;
    }
    return 'done';
  }
}
