/**
 * Configuration payload (RFC 7296 §2.19, §3.15): CFG_REQUEST for INTERNAL_IP4_ADDRESS / DNS (and
 * IPv6 when asked, optionally a specific IPv4 address); the CFG_REPLY's attributes are all kept
 * and exposed, several addresses included (older iked sends two), with a preferred one chosen.
 */
import { CfgAttr, CfgType, PayloadType } from '../../iana/ikev2.js';
import type { Payload } from '../../wire/payload.js';
import { findPayload } from '../../wire/payload.js';
import type { CfgAttribute } from '../../wire/payloads/cp.js';
import { bytesToIp, ipToBytes } from '../addr.js';
import type { ConfigReply } from '../types.js';
import type { Task, TaskContext, TaskResult } from './task.js';

/** Decode a CFG_REPLY's attributes into a {@link ConfigReply}. */
export function configReply(attributes: readonly CfgAttribute[], preferredIp4?: string): ConfigReply {
  const values = (t: number, len: number): Uint8Array[] => attributes.filter((a) => a.type === t && a.value.length >= len).map((a) => a.value);
  const ip4Addresses = values(CfgAttr.INTERNAL_IP4_ADDRESS, 4).map((v) => bytesToIp(v.subarray(0, 4)));
  const ip6Addresses = values(CfgAttr.INTERNAL_IP6_ADDRESS, 17).map((v) => `${bytesToIp(v.subarray(0, 16))}/${v[16] as number}`);
  const netmask = values(CfgAttr.INTERNAL_IP4_NETMASK, 4)[0];
  const preferred = preferredIp4 !== undefined && ip4Addresses.includes(preferredIp4) ? preferredIp4 : ip4Addresses[0];
  return {
    attributes,
    ip4Addresses,
    ip6Addresses,
    ...(preferred === undefined ? {} : { preferredIp4: preferred }),
    ip4Dns: values(CfgAttr.INTERNAL_IP4_DNS, 4).map((v) => bytesToIp(v.subarray(0, 4))),
    ip6Dns: values(CfgAttr.INTERNAL_IP6_DNS, 16).map((v) => bytesToIp(v.subarray(0, 16))),
    ...(netmask === undefined ? {} : { ip4Netmask: bytesToIp(netmask.subarray(0, 4)) }),
    ip4Subnets: values(CfgAttr.INTERNAL_IP4_SUBNET, 8).map((v) => `${bytesToIp(v.subarray(0, 4))}/${bytesToIp(v.subarray(4, 8))}`),
  };
}

/** The CP task of IKE_AUTH. */
export class IkeConfigTask implements Task {
  readonly name = 'CP';
  /** The reply, once processed. */
  reply: ConfigReply | undefined;

  build(ctx: TaskContext): Payload[] {
    const v = ctx.config.virtualIp;
    if (v === undefined) return [];
    const attributes: CfgAttribute[] = [];
    const empty = new Uint8Array(0);
    if (v.ip4) {
      attributes.push({ type: CfgAttr.INTERNAL_IP4_ADDRESS, value: v.requestIp4 === undefined ? empty : ipToBytes(v.requestIp4) });
      attributes.push({ type: CfgAttr.INTERNAL_IP4_DNS, value: empty });
    }
    if (v.ip6) {
      attributes.push({ type: CfgAttr.INTERNAL_IP6_ADDRESS, value: empty });
      attributes.push({ type: CfgAttr.INTERNAL_IP6_DNS, value: empty });
    }
    return attributes.length === 0 ? [] : [{ type: PayloadType.CP, critical: false, cfgType: CfgType.CFG_REQUEST, attributes }];
  }

  process(ctx: TaskContext, response: readonly Payload[]): TaskResult {
    const cp = findPayload(response, PayloadType.CP);
    if (cp === undefined || cp.cfgType !== CfgType.CFG_REPLY) {
      if (ctx.config.virtualIp !== undefined) ctx.log(1, 'the gateway assigned no virtual IP (no CFG_REPLY)');
      return 'done';
    }
    this.reply = configReply(cp.attributes, ctx.config.virtualIp?.preferredIp4);
    ctx.log(2, `virtual IP ${this.reply.ip4Addresses.join(', ') || 'none'}${this.reply.ip6Addresses.length > 0 ? ` ${this.reply.ip6Addresses.join(', ')}` : ''}`);
    return 'done';
  }
}
