/**
 * Turns a scenario run into fixture files: key tables, keys.json and meta.json (exchanges in order
 * with their frame numbers and strongSwan's own payload lists).
 */
import { childKeySets, ikeKeySets, parseLogLines, parseLoggedChunks, type ChildKeySet, type IkeKeySet } from './charon-log.js';
import type { FixtureMetaExchange } from './fixtures.js';
import type { IkeSpis } from './scenario.js';
import type { TsharkEspPacket, TsharkIkeMessage } from './tshark.js';

const EXCHANGE_NAMES: Readonly<Record<number, string>> = {
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
} as const;

const hex = (b: Uint8Array | undefined): string | null => (b === undefined ? null : Buffer.from(b).toString('hex'));

/** One `generating`/`parsed` line of a charon log: `generating CREATE_CHILD_SA request 2 [ ... ]`. */
interface EncLine {
  readonly ikeSa: string;
  readonly text: string;
  readonly exchange: string;
  readonly response: boolean;
  readonly messageId: number;
}

const ENC_RE = /^(?:generating|parsed) (\S+) (request|response) (\d+) \[ ?(.*?) ?\]$/;

function encLines(log: string): EncLine[] {
  return parseLogLines(log)
    .filter((l) => l.group === 'ENC' && l.ikeSa !== '')
    .flatMap((l) => {
      const m = ENC_RE.exec(l.text);
      if (m === null) return [];
      // The responder logs `<1>` until a config is chosen, then `<rw|1>`: key on the unique id.
      const ikeSa = l.ikeSa.split('|').pop() ?? l.ikeSa;
      return [{ ikeSa, text: l.text, exchange: m[1] ?? '', response: m[2] === 'response', messageId: Number(m[3]) }];
    });
}

/** The IKE SA unique ids of a log (`1`, `2`) in order of first generated/parsed message. */
function saOrder(lines: readonly EncLine[]): string[] {
  return [...new Set(lines.map((l) => l.ikeSa))];
}

/** One exchange of the capture: the meta.json record fixtures.ts reads back. */
export type FixtureExchange = FixtureMetaExchange;

function purposeOf(exchange: string, request: string, response: string): string {
  if (exchange === 'CREATE_CHILD_SA') {
    if (request.includes('N(REKEY_SA)')) return 'rekey CHILD_SA';
    if (request.includes('KE') && !request.includes('TSi')) return 'rekey IKE_SA';
    return 'create CHILD_SA';
  }
  if (exchange === 'INFORMATIONAL') {
    if (/\[ ?\]$/.test(request)) return 'DPD (liveness check)';
    if (request.includes('[ D ]')) return response.includes('[ D ]') ? 'delete CHILD_SA' : 'delete IKE_SA';
  }
  return exchange;
}

/** Groups IKE frames into exchanges and annotates them with both charons' payload lists. */
export function fixtureExchanges(
  messages: readonly TsharkIkeMessage[],
  spis: readonly IkeSpis[],
  initiatorLog: string,
  responderLog: string,
): FixtureExchange[] {
  const iLines = encLines(initiatorLog);
  const rLines = encLines(responderLog);
  const iSas = saOrder(iLines);
  const rSas = saOrder(rLines);
  const out: FixtureExchange[] = [];
  for (const m of messages) {
    const sa = spis.findIndex((s) => s.spiI === m.spiI);
    const exchange = EXCHANGE_NAMES[m.exchangeType] ?? String(m.exchangeType);
    let ex = out.find((e) => e.ikeSa === sa && e.messageId === m.messageId && e.exchange === exchange);
    if (ex === undefined) {
      const pick = (lines: readonly EncLine[], order: readonly string[]): string[] =>
        lines
          .filter((l) => l.ikeSa === order[sa] && l.exchange === exchange && l.messageId === m.messageId)
          .map((l) => l.text);
      const il = pick(iLines, iSas);
      const rl = pick(rLines, rSas);
      const req = il.find((l) => l.startsWith('generating') && !l.includes('EF(')) ?? '';
      const resp = il.find((l) => l.startsWith('parsed') && !l.includes('EF(')) ?? '';
      ex = {
        ikeSa: sa,
        exchange,
        messageId: m.messageId,
        purpose: purposeOf(exchange, req, resp),
        requestFrames: [],
        responseFrames: [],
        initiatorLog: il,
        responderLog: rl,
      };
      out.push(ex);
    }
    (m.response ? (ex.responseFrames as number[]) : (ex.requestFrames as number[])).push(m.frame);
  }
  return out;
}

/** IKE SA keys for keys.json. */
export function ikeKeysJson(spis: readonly IkeSpis[], sets: readonly IkeKeySet[]): unknown[] {
  return sets.map((k, i) => ({
    spiI: spis[i]?.spiI ?? null,
    spiR: spis[i]?.spiR ?? null,
    gir: hex(k.gir),
    skeyseed: hex(k.skeyseed),
    skD: hex(k.skD),
    skAi: hex(k.skAi),
    skAr: hex(k.skAr),
    skEi: hex(k.skEi),
    skEr: hex(k.skEr),
    skPi: hex(k.skPi),
    skPr: hex(k.skPr),
  }));
}

/** CHILD SA keys for keys.json (from the initiator's log: its outbound SPI carries initiator keys). */
export function childKeysJson(sets: readonly ChildKeySet[]): unknown[] {
  return sets.map((c) => ({
    child: c.child,
    spiInitiatorToResponder: c.spiOut.toString(16).padStart(8, '0'),
    spiResponderToInitiator: c.spiIn.toString(16).padStart(8, '0'),
    seed: hex(c.seed),
    encrI: hex(c.encrI),
    encrR: hex(c.encrR),
    integI: hex(c.integI),
    integR: hex(c.integR),
  }));
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * Reads both logs' keys and checks they agree (same SK_* on both ends, same CHILD keys with
 * mirrored SPIs); returns the initiator's sets. Throws on any mismatch or missing key.
 */
export function crossCheckedKeys(initiatorLog: string, responderLog: string): { ike: IkeKeySet[]; child: ChildKeySet[] } {
  const ikeI = ikeKeySets(parseLoggedChunks(initiatorLog));
  const ikeR = ikeKeySets(parseLoggedChunks(responderLog));
  if (ikeI.length !== ikeR.length) throw new Error(`IKE key sets: initiator ${ikeI.length}, responder ${ikeR.length}`);
  ikeI.forEach((a, n) => {
    const b = ikeR[n];
    const fields = ['skeyseed', 'skD', 'skAi', 'skAr', 'skEi', 'skEr', 'skPi', 'skPr'] as const;
    for (const f of fields) {
      if (b === undefined || !same(a[f], b[f])) throw new Error(`IKE key set ${n}: ${f} differs between the logs`);
    }
    if (a.skEi.length === 0 || a.skD.length === 0) throw new Error(`IKE key set ${n}: keys missing`);
  });
  const chI = childKeySets(initiatorLog);
  const chR = childKeySets(responderLog);
  if (chI.length !== chR.length) throw new Error(`CHILD key sets: initiator ${chI.length}, responder ${chR.length}`);
  chI.forEach((a, n) => {
    const b = chR[n];
    if (
      b === undefined ||
      a.spiIn !== b.spiOut ||
      a.spiOut !== b.spiIn ||
      !same(a.encrI, b.encrI) ||
      !same(a.encrR, b.encrR) ||
      !same(a.integI, b.integI) ||
      !same(a.integR, b.integR)
    ) {
      throw new Error(`CHILD key set ${n} differs between the logs`);
    }
  });
  return { ike: ikeI, child: chI };
}

/** ESP packets for meta.json. */
export function espFramesJson(packets: readonly TsharkEspPacket[]): unknown[] {
  return packets.map((p) => ({ frame: p.frame, src: p.src, dst: p.dst, spi: p.spi, sequence: p.sequence }));
}
