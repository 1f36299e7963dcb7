/**
 * Parses the AEAD_CHACHA20_POLY1305 test vectors out of the text of RFC 8439 (§2.8.2 and
 * Appendix A.5), so no vector byte is typed in by hand.
 */

/** One AEAD vector as printed in the RFC. */
export interface Rfc8439AeadVector {
  /** Where it comes from. */
  readonly source: string;
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
  readonly aad: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

const DUMP = /^\s*(\d{3})\s\s([0-9a-f]{2}(?: [0-9a-f]{2}){0,15})(?:\s{2,}.*)?$/;
const COLON = /^\s*([0-9a-f]{2}(?::[0-9a-f]{2})*):?\s*$/;
const FURNITURE = /^(\s*|Nir & Langley.*|RFC 8439 .*|\f.*)$/;

function section(text: string, start: RegExp, end: RegExp): string[] {
  const lines = text.split(/\r?\n/);
  const from = lines.findIndex((l) => start.test(l));
  if (from < 0) throw new Error(`RFC 8439: section ${start} not found`);
  const to = lines.findIndex((l, i) => i > from && end.test(l));
  return lines.slice(from, to < 0 ? undefined : to);
}

/** Read the hex block printed under the line whose trimmed text is `label`. */
export function hexBlock(lines: readonly string[], label: string): Uint8Array {
  const at = lines.findIndex((l) => l.trim() === label);
  if (at < 0) throw new Error(`RFC 8439: label "${label}" not found`);
  const bytes: number[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const dump = DUMP.exec(line);
    if (dump !== null && Number(dump[1]) === bytes.length) {
      for (const h of (dump[2] ?? '').split(' ')) bytes.push(parseInt(h, 16));
      continue;
    }
    const colon = COLON.exec(line);
    if (colon !== null && (bytes.length === 0 || /:$/.test(lines[i - 1]?.trim() ?? ''))) {
      for (const h of (colon[1] ?? '').split(':')) bytes.push(parseInt(h, 16));
      continue;
    }
    if (FURNITURE.test(line)) {
      if (bytes.length > 0 && !/:$/.test(lines[i - 1]?.trim() ?? '')) {
        // a blank line ends a dump unless the dump continues after page furniture
        const next = lines.slice(i).find((l) => !FURNITURE.test(l)) ?? '';
        const m = DUMP.exec(next);
        if (m === null || Number(m[1]) !== bytes.length) break;
      }
      continue;
    }
    break;
  }
  if (bytes.length === 0) throw new Error(`RFC 8439: no bytes under "${label}"`);
  return Uint8Array.from(bytes);
}

/** §2.8.2 (nonce = 32-bit fixed-common part | IV, as in RFC 7634) and A.5. */
export function extractRfc8439AeadVectors(text: string): readonly Rfc8439AeadVector[] {
  const s282 = section(text, /^2\.8\.2\.\s+Example and Test Vector for AEAD_CHACHA20_POLY1305/, /^3\.\s+Implementation Advice/);
  const fixed = hexBlock(s282, '32-bit fixed-common part:');
  const iv = hexBlock(s282, 'IV:');
  const nonce = new Uint8Array(fixed.length + iv.length);
  nonce.set(fixed);
  nonce.set(iv, fixed.length);
  const a5 = section(text, /^A\.5\.\s+ChaCha20-Poly1305 AEAD Decryption/, /^Appendix B\./);
  return [
    {
      source: 'RFC 8439 §2.8.2',
      key: hexBlock(s282, 'Key:'),
      nonce,
      aad: hexBlock(s282, 'AAD:'),
      plaintext: hexBlock(s282, 'Plaintext:'),
      ciphertext: hexBlock(s282, 'Ciphertext:'),
      tag: hexBlock(s282, 'Tag:'),
    },
    {
      source: 'RFC 8439 Appendix A.5',
      key: hexBlock(a5, 'The ChaCha20 Key'),
      nonce: hexBlock(a5, 'The nonce:'),
      aad: hexBlock(a5, 'The AAD:'),
      plaintext: hexBlock(a5, 'Plaintext::'),
      ciphertext: hexBlock(a5, 'Ciphertext:'),
      tag: hexBlock(a5, 'Received Tag:'),
    },
  ];
}
