/**
 * Packet capture on a lab interface with `dumpcap` (pcap format), stopped by PID.
 */
import { stat } from 'node:fs/promises';
import { startProcess, sleep, waitFor, type Daemon } from './proc.js';
import type { Lab } from './lab.js';
import type { LabNode } from './netns.js';

/** A running capture started by {@link startCapture}. */
export interface Capture {
  /** The pcap being written. */
  readonly path: string;
  /** The dumpcap process. */
  readonly daemon: Daemon;
  /** Stops dumpcap (SIGINT, so it flushes) and waits until the file is complete. */
  stop(): Promise<void>;
}

/** Starts dumpcap on `node.iface` inside `node.ns`, writing classic pcap to `path`. */
export async function startCapture(lab: Lab, node: LabNode, path: string, filter = 'udp'): Promise<Capture> {
  const daemon = startProcess(node.exec(['dumpcap', '-q', '-P', '-i', node.iface, '-f', filter, '-w', path]));
  lab.defer(`stop dumpcap (pid ${daemon.pid})`, () => daemon.stop('SIGINT'));
  // dumpcap reports "Capturing on" on stderr once the interface is open; -q suppresses packet counts only.
  await waitFor('dumpcap to start', async () => {
    const code = await Promise.race([daemon.exited, Promise.resolve('running' as const)]);
    if (code !== 'running') throw new Error(`dumpcap exited (${String(code)}):\n${daemon.output()}`);
    if (!daemon.output().includes('Capturing on')) return undefined;
    try {
      return (await stat(path)).size > 0 ? true : undefined;
    } catch {
      return undefined;
    }
  });
  await sleep(200);
  return {
    path,
    daemon,
    async stop() {
      await sleep(300); // let the last packets reach the ring buffer
      await daemon.stop('SIGINT');
    },
  };
}
