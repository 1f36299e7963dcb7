/**
 * Fuzz target: RFC 7427 AUTH data (method 14, Digital Signature) as a peer sends it, through
 * `parseDigitalSignatureAuth` (length octet, AlgorithmIdentifier, signature) and the same bytes
 * through `parseAlgorithmIdentifier` directly. Beyond "record or ParseError" it checks that a
 * recognised scheme survives its own encoding (`encodeAlgorithmIdentifier`, and the AUTH data
 * framing of `encodeDigitalSignatureAuth`) unchanged.
 * Seeds: the AUTH payload data of the strongSwan captures, decrypted by `kite decode`'s library
 * (src/decode) with the fixtures' key tables, plus Kite's encoding of every scheme it knows
 * (the captures only carry sha256WithRSAEncryption), bare and framed as AUTH data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseIkeKeysFile } from '../../src/capture/keys-file.js';
import { encodeAlgorithmIdentifier, parseAlgorithmIdentifier } from '../../src/crypto/algid.js';
import { encodeDigitalSignatureAuth, parseDigitalSignatureAuth } from '../../src/crypto/sign.js';
import type { SignatureScheme } from '../../src/crypto/signature.js';
import { decodeIkeFile } from '../../src/decode/decode-file.js';
import type { PayloadJson } from '../../src/decode/json.js';
import { AuthMethod } from '../../src/iana/ikev2.js';
import { bytesEqual, fromHex } from '../../src/util/bytes.js';
import { ignoreParseError } from '../../src/util/testing.testkit.js';
import type { FuzzTarget } from '../harness.js';

const SUITES = ['aes256-sha256-modp2048', 'aes128gcm16-ecp256'] as const;
const suiteFile = (suite: string, f: string): URL => new URL(`../../vectors/strongswan/${suite}/${f}`, import.meta.url);

/** Every AUTH payload's data (method 14) inside the decrypted SK/SKF payloads of the captures. */
function captureAuthData(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (payloads: readonly PayloadJson[]): void => {
    for (const p of payloads) {
      if (p.type === 'AUTH' && 'methodId' in p && p.methodId === AuthMethod.DIGITAL_SIGNATURE) out.push(fromHex(p.data));
      if ((p.type === 'SK' || p.type === 'SKF') && 'payloads' in p) walk(p.payloads ?? []);
    }
  };
  for (const suite of SUITES) {
    if (!existsSync(suiteFile(suite, 'capture.pcap')) || !existsSync(suiteFile(suite, 'ikev2_decryption_table'))) continue;
    const keys = parseIkeKeysFile(readFileSync(suiteFile(suite, 'ikev2_decryption_table'), 'utf8'));
    for (const rec of decodeIkeFile(new Uint8Array(readFileSync(suiteFile(suite, 'capture.pcap'))), keys)) {
      if ('payloads' in rec) walk(rec.payloads);
    }
  }
  return out;
}

const SCHEMES: readonly SignatureScheme[] = [
  { kind: 'rsa-pkcs1', hash: 'sha1' },
  { kind: 'rsa-pkcs1', hash: 'sha384' },
  { kind: 'rsa-pkcs1', hash: 'sha512' },
  { kind: 'ecdsa', hash: 'sha256', encoding: 'der' },
  { kind: 'ecdsa', hash: 'sha384', encoding: 'der' },
  { kind: 'ecdsa', hash: 'sha512', encoding: 'der' },
  { kind: 'ed25519' },
  { kind: 'rsa-pss', hash: 'sha1', mgf1Hash: 'sha1', saltLength: 20 },
  { kind: 'rsa-pss', hash: 'sha256', mgf1Hash: 'sha256', saltLength: 32 },
  { kind: 'rsa-pss', hash: 'sha512', mgf1Hash: 'sha384', saltLength: 0 },
  { kind: 'rsa-pss', hash: 'sha384', mgf1Hash: 'sha1', saltLength: 300 },
];

/** A parsed scheme must come back unchanged from Kite's own encoding of it. */
function checkRoundTrip(scheme: SignatureScheme, signature: Uint8Array): void {
  const again = parseAlgorithmIdentifier(encodeAlgorithmIdentifier(scheme));
  if (JSON.stringify(again) !== JSON.stringify(scheme)) throw new Error(`scheme ${JSON.stringify(scheme)} re-parsed as ${JSON.stringify(again)}`);
  const framed = parseDigitalSignatureAuth(encodeDigitalSignatureAuth(scheme, signature));
  if (JSON.stringify(framed.scheme) !== JSON.stringify(scheme) || !bytesEqual(framed.signature, signature)) throw new Error('AUTH data framing does not round-trip');
}

/** The AUTH data / AlgorithmIdentifier fuzz target. */
export const target: FuzzTarget = {
  name: 'auth-data',
  seeds() {
    const sig = new Uint8Array(64).fill(0xa5);
    return [...captureAuthData(), ...SCHEMES.map(encodeAlgorithmIdentifier), ...SCHEMES.map((s) => encodeDigitalSignatureAuth(s, sig))];
  },
  run(input) {
    ignoreParseError(() => {
      const auth = parseDigitalSignatureAuth(input);
      if (auth.algorithmIdentifier.length !== input[0] || auth.algorithmIdentifier.length + auth.signature.length + 1 !== input.length) {
        throw new Error('AUTH data split does not add up to the input');
      }
      if (auth.scheme !== undefined) checkRoundTrip(auth.scheme, auth.signature);
    });
    const scheme = parseAlgorithmIdentifier(input);
    if (scheme !== undefined) checkRoundTrip(scheme, input);
  },
};
