/**
 * The human-readable form of `kite decode`: the JSON record printed as an indented tree, one line
 * per payload, proposal, transform, selector or attribute. Long octet strings are cut to their
 * first 32 octets with the full length noted.
 */
import type { DecodedMessageJson, DecodeErrorJson } from './json.js';

const INDENT = '  ';
/** Hex longer than this many characters is shortened. */
const MAX_HEX_CHARS = 64;
/** Keys whose value becomes the first words of a line, in this order. */
const HEAD_KEYS = ['type', 'name', 'notifyType', 'tsType'] as const;
/** Numeric twins of names shown already; the JSON keeps them, the tree does not. */
const HIDDEN_KEYS: ReadonlySet<string> = new Set(['groupId', 'methodId', 'notifyTypeId', 'id']);
/** Label of child objects of an array field that carry no head key. */
const CHILD_LABELS: Readonly<Record<string, string>> = { proposals: 'proposal', transforms: 'transform', selectors: 'selector', attributes: 'attribute' };

function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalar(key: string, v: string | number | boolean | null): string {
  if (v === null) return '(requested)';
  if (typeof v !== 'string') return String(v);
  if (['data', 'hash', 'spi', 'serial'].includes(key) && /^[0-9a-f]*$/.test(v) && v.length > MAX_HEX_CHARS) {
    return `${v.slice(0, MAX_HEX_CHARS)}…(${v.length / 2} bytes)`;
  }
  return v === '' || /[\s"]/.test(v) ? JSON.stringify(v) : v;
}

function renderNode(node: Readonly<Record<string, unknown>>, depth: number, label: string | undefined, out: string[]): void {
  const words: string[] = [];
  if (label !== undefined) words.push(label);
  for (const k of HEAD_KEYS) {
    const v = node[k];
    if (typeof v === 'string') words.push(v);
  }
  const children: [string, readonly unknown[]][] = [];
  for (const [k, v] of Object.entries(node)) {
    if ((HEAD_KEYS as readonly string[]).includes(k) || HIDDEN_KEYS.has(k) || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string' || typeof x === 'number')) words.push(`${k}=[${v.join(', ')}]`);
      else children.push([k, v]);
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) {
      words.push(`${k}=${scalar(k, v)}`);
    }
  }
  out.push(INDENT.repeat(depth) + words.join(' '));
  for (const [k, list] of children) {
    for (const child of list) {
      if (!isRecord(child)) continue;
      const hasHead = HEAD_KEYS.some((h) => typeof child[h] === 'string');
      renderNode(child, depth + 1, hasHead ? undefined : (CHILD_LABELS[k] ?? k), out);
    }
  }
}

/**
 * Render one message record (or the error record of a datagram that did not decode) as an
 * indented text tree, without a trailing newline.
 */
export function renderText(json: DecodedMessageJson | DecodeErrorJson): string {
  if ('error' in json) {
    const e = json.error;
    // A ParseError's message already names code, field and offset.
    return e.message.startsWith(e.code) ? `decode error: ${e.message}` : `decode error ${e.code}: ${e.message}`;
  }
  const head = [
    json.exchange,
    json.response ? 'response' : 'request',
    json.initiator ? 'from initiator' : 'from responder',
    `msgid=${json.messageId}`,
    `spiI=${json.spiI}`,
    `spiR=${json.spiR}`,
    `length=${json.length}`,
    ...(json.version !== '2.0' ? [`version=${json.version}`] : []),
  ];
  const out = [head.join(' ')];
  for (const p of json.payloads) renderNode(p as unknown as Readonly<Record<string, unknown>>, 1, undefined, out);
  return out.join('\n');
}
