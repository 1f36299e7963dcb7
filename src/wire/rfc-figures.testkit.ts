/**
 * Test support (not used by the library): reads the packet diagrams of an RFC text (RFC 7296 /
 * RFC 5996 §3 style, one bit = two columns) and assembles octets field by field, so that tests
 * build their "known bytes" from the RFC figures on disk rather than from memory. Pure functions:
 * the caller reads the RFC file.
 */

/** One field of a figure: fixed width in bits, or variable length (drawn with `~`). */
export interface FigureField {
  readonly name: string;
  /** Width in bits; undefined for a variable-length field. */
  readonly bits: number | undefined;
}

/** Values for {@link assembleFigure}: numbers for fixed fields, octets for wide or variable ones. */
export type FigureValues = Readonly<Record<string, number | Uint8Array | 'auto'>>;

const RULER = '0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1';

/** Parse "Figure `n`:" of `rfcText` into its fields, top to bottom, left to right. */
export function parseFigure(rfcText: string, n: number): FigureField[] {
  const lines = rfcText.split('\n');
  const caption = lines.findIndex((l) => new RegExp(`^\\s*Figure ${n}:`).test(l));
  if (caption < 0) throw new Error(`Figure ${n} not found`);
  let ruler = caption;
  while (ruler > 0 && !(lines[ruler] ?? '').includes(RULER)) ruler--;
  const x0 = (lines[ruler] ?? '').indexOf(RULER) - 1; // column of the left border
  // A group is the rows between two separators; `open` if the separator below it is partial
  // (e.g. Figure 12: the variable field starts inside the row above).
  const groups: { rows: string[]; open: boolean }[] = [];
  let cur: string[] = [];
  for (const line of lines.slice(ruler + 1, caption)) {
    const t = line.trim();
    if (t.startsWith('+')) {
      if (cur.length > 0) groups.push({ rows: cur, open: /\s/.test(t) });
      cur = [];
    } else if (t.startsWith('|') || t.startsWith('~')) {
      cur.push(line);
    }
  }
  const fields: FigureField[] = [];
  for (const { rows: g, open } of groups) {
    if (g.some((l) => l.trim().startsWith('~'))) {
      fields.push({ name: g.map((l) => l.slice(x0 + 1, x0 + 64).trim()).filter((s) => s !== '').join(' ').replace(/\*$/, ''), bits: undefined });
      continue;
    }
    const first = g[0] ?? '';
    const bars: number[] = [];
    for (let c = x0; c <= x0 + 64; c++) if (first[c] === '|') bars.push(c);
    if (bars[0] !== x0 || bars[bars.length - 1] !== x0 + 64) throw new Error(`Figure ${n}: row not 32 bits wide: ${first}`);
    if (g.length > 1 && bars.length !== 2) throw new Error(`Figure ${n}: multi-line row with several fields`);
    for (let i = 0; i + 1 < bars.length; i++) {
      const a = bars[i] as number;
      const b = bars[i + 1] as number;
      const name = g.map((l) => l.slice(a + 1, b).trim()).filter((s) => s !== '').join(' ').replace(/\*$/, '');
      if (name === '' && open) continue; // the start of the variable field below
      fields.push({ name, bits: ((b - a) / 2) * g.length });
    }
  }
  return fields;
}

/**
 * Assemble octets from `fields` with `values` keyed by field name. Fields named RESERVED default to
 * zero; every other field must be given. 'auto' writes the total length in octets (for Length
 * fields). Variable fields take octets and must start on an octet boundary.
 */
export function assembleFigure(fields: readonly FigureField[], values: FigureValues): Uint8Array {
  const bits: number[] = [];
  const autos: { at: number; width: number }[] = [];
  for (const f of fields) {
    const v = values[f.name] ?? (/^RESERVED$/i.test(f.name) ? 0 : undefined);
    if (v === undefined) throw new Error(`no value for field "${f.name}"`);
    if (f.bits === undefined || v instanceof Uint8Array) {
      if (!(v instanceof Uint8Array)) throw new Error(`field "${f.name}" needs octets`);
      if (bits.length % 8 !== 0) throw new Error(`field "${f.name}" not octet-aligned`);
      if (f.bits !== undefined && f.bits !== v.length * 8) throw new Error(`field "${f.name}" is ${f.bits} bits`);
      for (const byte of v) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
      continue;
    }
    if (v === 'auto') {
      autos.push({ at: bits.length, width: f.bits });
      for (let i = 0; i < f.bits; i++) bits.push(0);
      continue;
    }
    if (v < 0 || v >= 2 ** f.bits) throw new Error(`value ${v} does not fit ${f.bits}-bit field "${f.name}"`);
    for (let i = f.bits - 1; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) % 2);
  }
  if (bits.length % 8 !== 0) throw new Error('figure does not end on an octet boundary');
  const total = bits.length / 8;
  for (const a of autos) for (let i = 0; i < a.width; i++) bits[a.at + i] = Math.floor(total / 2 ** (a.width - 1 - i)) % 2;
  const out = new Uint8Array(total);
  for (let i = 0; i < bits.length; i++) if (bits[i] === 1) out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i & 7));
  return out;
}
