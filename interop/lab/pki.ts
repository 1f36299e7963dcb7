/**
 * Test PKI for the lab, made with strongSwan's `pki`: a CA, RSA-2048 gateway and client
 * certificates, and an ECDSA P-256 pair, all issued by the same CA. TEST KEYS ONLY.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exists, run } from './proc.js';

/** Identities and file names of the test PKI. */
export const TEST_PKI = {
  caDn: 'C=XX, O=Kite Test, CN=Kite Test CA',
  gatewayId: 'gw.example.test',
  gatewayDn: 'C=XX, O=Kite Test, CN=gw.example.test',
  clientId: 'client@example.test',
  clientDn: 'C=XX, O=Kite Test, CN=client@example.test',
  lifetimeDays: 7300,
  files: {
    caKey: 'ca.key.pem',
    caCert: 'ca.crt.pem',
    gatewayKey: 'gw.key.pem',
    gatewayCert: 'gw.crt.pem',
    clientKey: 'client.key.pem',
    clientCert: 'client.crt.pem',
    gatewayEcdsaKey: 'gw-ecdsa.key.pem',
    gatewayEcdsaCert: 'gw-ecdsa.crt.pem',
    clientEcdsaKey: 'client-ecdsa.key.pem',
    clientEcdsaCert: 'client-ecdsa.crt.pem',
  },
} as const;

/** Absolute paths of the test PKI files in one directory. */
export type TestPkiPaths = { readonly [K in keyof (typeof TEST_PKI)['files']]: string };

/** Returns the absolute paths of the PKI files under `dir`. */
export function testPkiPaths(dir: string): TestPkiPaths {
  const f = TEST_PKI.files;
  return {
    caKey: join(dir, f.caKey),
    caCert: join(dir, f.caCert),
    gatewayKey: join(dir, f.gatewayKey),
    gatewayCert: join(dir, f.gatewayCert),
    clientKey: join(dir, f.clientKey),
    clientCert: join(dir, f.clientCert),
    gatewayEcdsaKey: join(dir, f.gatewayEcdsaKey),
    gatewayEcdsaCert: join(dir, f.gatewayEcdsaCert),
    clientEcdsaKey: join(dir, f.clientEcdsaKey),
    clientEcdsaCert: join(dir, f.clientEcdsaCert),
  };
}


/** Runs `pki` with a private strongswan.conf so it loads only what it needs. */
async function pki(confPath: string, args: readonly string[], input?: string): Promise<string> {
  const res = await run(['pki', ...args], {
    env: { STRONGSWAN_CONF: confPath },
    ...(input === undefined ? {} : { input }),
  });
  return res.stdout;
}

async function writeKey(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * Makes the test PKI in `dir` unless it already exists there (the committed fixtures are reused so
 * regenerated captures carry the same certificates). `scratch` holds the temporary pki config.
 */
export async function ensureTestPki(dir: string, scratch: string): Promise<TestPkiPaths> {
  const p = testPkiPaths(dir);
  if ((await Promise.all(Object.values(p).map(exists))).every(Boolean)) return p;
  await mkdir(dir, { recursive: true });
  const conf = join(scratch, 'pki-strongswan.conf');
  await writeFile(conf, 'pki {\n  load = random nonce sha1 sha2 pem pkcs1 pkcs8 x509 pubkey openssl gmp\n}\n');
  const life = String(TEST_PKI.lifetimeDays);

  await writeKey(p.caKey, await pki(conf, ['--gen', '--type', 'rsa', '--size', '2048', '--outform', 'pem']));
  await writeFile(
    p.caCert,
    await pki(conf, ['--self', '--ca', '--lifetime', life, '--in', p.caKey, '--dn', TEST_PKI.caDn, '--outform', 'pem']),
  );
  const leaves = [
    { key: p.gatewayKey, cert: p.gatewayCert, type: 'rsa', size: '2048', dn: TEST_PKI.gatewayDn, san: TEST_PKI.gatewayId, flag: 'serverAuth' },
    { key: p.clientKey, cert: p.clientCert, type: 'rsa', size: '2048', dn: TEST_PKI.clientDn, san: TEST_PKI.clientId, flag: 'clientAuth' },
    { key: p.gatewayEcdsaKey, cert: p.gatewayEcdsaCert, type: 'ecdsa', size: '256', dn: TEST_PKI.gatewayDn, san: TEST_PKI.gatewayId, flag: 'serverAuth' },
    { key: p.clientEcdsaKey, cert: p.clientEcdsaCert, type: 'ecdsa', size: '256', dn: TEST_PKI.clientDn, san: TEST_PKI.clientId, flag: 'clientAuth' },
  ] as const;
  for (const leaf of leaves) {
    await writeKey(leaf.key, await pki(conf, ['--gen', '--type', leaf.type, '--size', leaf.size, '--outform', 'pem']));
    const pub = await pki(conf, ['--pub', '--in', leaf.key, '--outform', 'pem']);
    const cert = await pki(
      conf,
      ['--issue', '--lifetime', life, '--cacert', p.caCert, '--cakey', p.caKey, '--dn', leaf.dn,
        '--san', leaf.san, '--flag', leaf.flag, '--outform', 'pem'],
      pub,
    );
    await writeFile(leaf.cert, cert);
  }
  return p;
}
