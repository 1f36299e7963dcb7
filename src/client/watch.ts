/**
 * MOBIKE address-change detection for the client: given our current local address and the host's
 * interfaces, the address to move to when ours is gone (same family and scope, not link-local),
 * and the polling loop that moves the client there.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** The address to move to, or undefined when `current` is still present or nothing fits. */
export function replacementAddress(current: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  const all = Object.values(interfaces).flatMap((x) => x ?? []);
  if (all.some((a) => a.address === current)) return undefined;
  const family = current.includes(':') ? 'IPv6' : 'IPv4';
  const internal = current.startsWith('127.') || current === '::1';
  return all.find((a) => a.family === family && a.internal === internal && !a.address.toLowerCase().startsWith('fe80'))?.address;
}

/** What {@link InterfaceWatch} needs from the client. */
export interface WatchHost {
  /** Our current local address (undefined: not connected). */
  localAddress(): string | undefined;
  /** Is the IKE SA established (only then can it move)? */
  established(): boolean;
  /** Move the IKE SA (MOBIKE). */
  moveTo(address: string): Promise<void>;
  /** Report progress and failures. */
  log(level: 0 | 1, message: string): void;
}

/** Every `intervalMs`, if our local address is gone from the interfaces, move to a replacement. */
export class InterfaceWatch {
  private readonly timer: NodeJS.Timeout;
  private moving = false;

  constructor(private readonly host: WatchHost, intervalMs: number, private readonly list: () => NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces) {
    this.timer = setInterval(() => { void this.check(); }, intervalMs);
    this.timer.unref();
  }

  /** Stop polling. */
  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const current = this.host.localAddress();
    if (current === undefined || this.moving || !this.host.established()) return;
    const next = replacementAddress(current, this.list());
    if (next === undefined) return;
    this.host.log(1, `local address ${current} is gone; moving to ${next}`);
    this.moving = true;
    try {
      await this.host.moveTo(next);
    } catch (e) {
      this.host.log(0, `could not move to ${next}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.moving = false;
    }
  }
}
