/**
 * Reads the secrets a charon file log prints at level 4 (`ike = 4`, `chd = 4`): the hex dumps
 * after lines like `Sk_ei secret => 32 bytes @ 0x...`, grouped into IKE SA and CHILD SA key sets.
 */

/** One `label => N bytes @ 0x...` dump from the log. */
export interface LoggedChunk {
  /** 1-based line number of the label line. */
  readonly line: number;
  /** Thread number (`12` in `12[IKE]`). */
  readonly thread: string;
  /** Subsystem (`IKE`, `CHD`, ...). */
  readonly group: string;
  /** IKE SA prefix as logged (`home|1`), or '' when none. */
  readonly ikeSa: string;
  /** Label as logged (`Sk_ei secret`, `SKEYSEED`, `encryption initiator key`). */
  readonly label: string;
  /** The dumped bytes. */
  readonly bytes: Uint8Array;
}

/** A plain log line (no dump), split into its fields. */
export interface LogLine {
  /** 1-based line number. */
  readonly line: number;
  /** `HH:MM:SS.mmm`. */
  readonly time: string;
  /** Thread number. */
  readonly thread: string;
  /** Subsystem (`IKE`, `ENC`, `CHD`, ...). */
  readonly group: string;
  /** IKE SA prefix (`home|1`, or `1` before a config is chosen), '' when none. */
  readonly ikeSa: string;
  /** The message. */
  readonly text: string;
}

// e.g. "04:08:02.843 12[IKE] <home|1> Sk_ei secret => 32 bytes @ 0x7fc9f403ee60"
const LINE_RE = /^(\S+) (\d+)\[(\w+)\] (?:<([^>]*)> )?(.*)$/;
const LABEL_RE = /^(.*) => (\d+) bytes @ (?:0x[0-9a-fA-F]+|\(nil\))$/;
const DUMP_RE = /^\s*(\d+): ((?:[0-9A-F]{2} ?)+)/;

/** Splits a charon file log (format of {@link ../charon.ts}: `time_format = %T`, `ike_name = yes`). */
export function parseLogLines(text: string): LogLine[] {
  const out: LogLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = LINE_RE.exec(raw);
    if (m === null) return;
    out.push({ line: i + 1, time: m[1] ?? '', thread: m[2] ?? '', group: m[3] ?? '', ikeSa: m[4] ?? '', text: m[5] ?? '' });
  });
  return out;
}

/** Extracts every hex dump from a charon log, in log order. */
export function parseLoggedChunks(text: string): LoggedChunk[] {
  const lines = parseLogLines(text);
  const out: LoggedChunk[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i];
    if (head === undefined) continue;
    const lm = LABEL_RE.exec(head.text);
    if (lm === null) continue;
    const len = Number(lm[2]);
    const bytes = new Uint8Array(len);
    let got = 0;
    // Dump lines follow their label from the same thread and IKE SA; other threads may interleave.
    for (let j = i + 1; j < lines.length && got < len; j++) {
      const l = lines[j];
      if (l === undefined || l.thread !== head.thread || l.ikeSa !== head.ikeSa) continue;
      const dm = DUMP_RE.exec(l.text);
      if (dm === null || Number(dm[1]) !== got) break;
      const tokens = (dm[2] ?? '').trim().split(/\s+/);
      for (const t of tokens.slice(0, Math.min(16, len - got))) bytes[got++] = parseInt(t, 16);
    }
    if (got !== len) throw new Error(`log line ${head.line}: ${lm[1] ?? ""} dump has ${got} of ${len} bytes`);
    out.push({ line: head.line, thread: head.thread, group: head.group, ikeSa: head.ikeSa, label: lm[1] ?? '', bytes });
  }
  return out;
}

/** The IKE SA keys charon logged for one key derivation (initial or rekeyed SA). */
export interface IkeKeySet {
  /** IKE SA prefix under which the keys were logged (the old SA's, for a rekey). */
  readonly ikeSa: string;
  /** Line of the SKEYSEED dump. */
  readonly line: number;
  /** g^ir (`shared Diffie Hellman secret`), when logged just before. */
  readonly gir: Uint8Array | undefined;
  readonly skeyseed: Uint8Array;
  readonly skD: Uint8Array;
  /** Empty for AEAD suites. */
  readonly skAi: Uint8Array;
  /** Empty for AEAD suites. */
  readonly skAr: Uint8Array;
  /** Includes the salt for AEAD suites (RFC 5282 / RFC 7634). */
  readonly skEi: Uint8Array;
  readonly skEr: Uint8Array;
  readonly skPi: Uint8Array;
  readonly skPr: Uint8Array;
}

/** The CHILD SA keys charon logged for one CHILD SA, with the SPIs it then reported. */
export interface ChildKeySet {
  readonly ikeSa: string;
  /** Line of the first key dump. */
  readonly line: number;
  /** `seed` dump: [g^ir |] Ni | Nr. */
  readonly seed: Uint8Array | undefined;
  /** Key for traffic from the exchange initiator (incl. salt for AEAD). */
  readonly encrI: Uint8Array;
  readonly encrR: Uint8Array;
  /** Empty for AEAD. */
  readonly integI: Uint8Array;
  readonly integR: Uint8Array;
  /** CHILD SA name and unique id (`net{1}`). */
  readonly child: string;
  /** Inbound SPI of the logging node. */
  readonly spiIn: number;
  /** Outbound SPI of the logging node. */
  readonly spiOut: number;
}

const EMPTY = new Uint8Array(0);

function take(chunks: readonly LoggedChunk[], from: number, label: string, limit: number): LoggedChunk | undefined {
  for (let k = from; k < Math.min(chunks.length, from + limit); k++) {
    const c = chunks[k];
    if (c?.label === label) return c;
  }
  return undefined;
}

/** Groups the IKE SA key dumps (`SKEYSEED`, `Sk_d secret` ... `Sk_pr secret`) in log order. */
export function ikeKeySets(chunks: readonly LoggedChunk[]): IkeKeySet[] {
  const sets: IkeKeySet[] = [];
  chunks.forEach((c, i) => {
    if (c.label !== 'SKEYSEED') return;
    const get = (label: string): Uint8Array => take(chunks, i + 1, label, 8)?.bytes ?? EMPTY;
    const prev = chunks[i - 1];
    sets.push({
      ikeSa: c.ikeSa,
      line: c.line,
      gir: prev?.label === 'shared Diffie Hellman secret' ? prev.bytes : undefined,
      skeyseed: c.bytes,
      skD: get('Sk_d secret'),
      skAi: get('Sk_ai secret'),
      skAr: get('Sk_ar secret'),
      skEi: get('Sk_ei secret'),
      skEr: get('Sk_er secret'),
      skPi: get('Sk_pi secret'),
      skPr: get('Sk_pr secret'),
    });
  });
  return sets;
}

const CHILD_UP_RE = /^(?:inbound |outbound )?CHILD_SA (\S+) established with SPIs ([0-9a-f]{8})_i ([0-9a-f]{8})_o/;

/** Groups CHILD SA key dumps with the `CHILD_SA x{n} established with SPIs ..._i ..._o` line that follows. */
export function childKeySets(text: string): ChildKeySet[] {
  const chunks = parseLoggedChunks(text);
  const ups = parseLogLines(text).filter((l) => CHILD_UP_RE.test(l.text));
  const sets: ChildKeySet[] = [];
  chunks.forEach((c, i) => {
    if (c.label !== 'encryption initiator key') return;
    const get = (label: string): Uint8Array => take(chunks, i, label, 5)?.bytes ?? EMPTY;
    const prev = chunks[i - 1];
    const up = ups.find((u) => u.line > c.line && u.ikeSa === c.ikeSa);
    const m = up === undefined ? null : CHILD_UP_RE.exec(up.text);
    if (m === null) throw new Error(`log line ${c.line}: CHILD keys without a following "established with SPIs" line`);
    sets.push({
      ikeSa: c.ikeSa,
      line: c.line,
      seed: prev?.label === 'seed' ? prev.bytes : undefined,
      encrI: c.bytes,
      encrR: get('encryption responder key'),
      integI: get('integrity initiator key'),
      integR: get('integrity responder key'),
      child: m[1] ?? '',
      spiIn: parseInt(m[2] ?? '0', 16),
      spiOut: parseInt(m[3] ?? '0', 16),
    });
  });
  return sets;
}
