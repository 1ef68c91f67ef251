// A self-signed server certificate for the certauth listener, for local use only (`npm start` with
// CBA_DOCTOR_CERTAUTH_PORT set and no CBA_DOCTOR_CERTAUTH_CERT / _KEY). Browsers warn about it; production deployments
// give the listener a real certificate for their certauth host name (and *.<that name> for CA-list tests).
import 'reflect-metadata';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const pem = (label, der) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

/** Returns the cert and key paths under `dir`, creating the pair when either file is missing. */
export async function ensureCertauthPair(dir) {
  const certFile = path.join(dir, 'certauth-cert.pem');
  const keyFile = path.join(dir, 'certauth-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile, created: false };
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const host = hostname().toLowerCase();
  // *.localhost covers the per-session names (ca-<token>.localhost) used when the form asks for a CA list.
  const names = [
    { type: 'dns', value: 'localhost' },
    { type: 'dns', value: '*.localhost' },
    ...(host && host !== 'localhost' && /^[a-z0-9.-]+$/.test(host) ? [{ type: 'dns', value: host }, { type: 'dns', value: `*.${host}` }] : []),
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ];
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=CBA Doctor certauth listener - self-signed for local use',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 397 * 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
  writeFileSync(certFile, cert.toString('pem') + '\n');
  return { certFile, keyFile, created: true };
}
