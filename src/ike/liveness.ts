/**
 * Liveness timers of an established IKE SA: a liveness check (DPD, RFC 7296 §2.4) after
 * `dpdDelayMs` without anything from the peer, started only when no exchange is pending (any
 * response proves liveness too); a NAT-T keepalive (RFC 3948 §4) after `keepaliveMs` without
 * anything sent, only when we are behind a NAT.
 */
import type { InitiatorConfig } from './config.js';
import type { IkeSa } from './ike-sa.js';
import type { TaskManager } from './task-manager.js';
import type { Action } from './types.js';

/** Is a liveness check due at `now`? */
export function dpdDue(sa: IkeSa, config: InitiatorConfig, tm: TaskManager, now: number): boolean {
  return config.dpdDelayMs > 0 && !tm.busy && tm.queued === 0 && now - sa.lastInbound >= config.dpdDelayMs;
}

/** The NAT-T keepalive (one 0xFF octet, no non-ESP marker) when one is due at `now`. */
export function keepaliveDue(sa: IkeSa, config: InitiatorConfig, now: number): Action | undefined {
  if (!sa.natLocal || config.keepaliveMs <= 0 || now - sa.lastOutbound < config.keepaliveMs) return undefined;
  return { type: 'send', data: Uint8Array.of(0xff), local: { ...sa.local }, remote: { ...sa.remote }, marker: false };
}

/** The next liveness deadline (Infinity when none). */
export function livenessDeadline(sa: IkeSa, config: InitiatorConfig, tm: TaskManager): number {
  let t = Infinity;
  if (config.dpdDelayMs > 0 && !tm.busy) t = Math.min(t, sa.lastInbound + config.dpdDelayMs);
  if (sa.natLocal && config.keepaliveMs > 0) t = Math.min(t, sa.lastOutbound + config.keepaliveMs);
  return t;
}
