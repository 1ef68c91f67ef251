// Writes the benchmark PKI into a directory: a CA (RSA-2048, SHA-256) and a user certificate from it,
// and one CRL per requested size with random 16-byte serials. The CA key lives only in memory.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as d from './crl-der';

import { MARKER_SERIAL } from './constants';

export function generate(outDir: string, sizes: number[]) {
  mkdirSync(outDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer: d.Signer = { key: privateKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' };
  const caName = d.name(['DC', 'com'], ['DC', 'contoso'], ['CN', 'Contoso Bench Issuing CA']);
  const caKeyId = d.keyIdOf(d.spkiOf(publicKey));
  const now = Date.now();
  const day = 86_400_000;
  const ca = d.certificate({
    serialHex: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    issuer: caName,
    subject: caName,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 3650 * day),
    subjectKey: publicKey,
    signer,
    ca: true,
  });
  const user = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const userSerial = randomBytes(16).toString('hex').replace(/^[89a-f]/, '2');
  const crlUrl = 'http://pki.contoso.com/crl/bench.crl';
  const cdp = d.extension('2.5.29.31', false, d.seq(d.seq(d.ctx(0, d.ctx(0, d.ctxPrim(6, Buffer.from(crlUrl)))))));
  const upn = d.seq(d.oid('1.3.6.1.4.1.311.20.2.3'), d.ctx(0, d.utf8('alice@contoso.com')));
  const san = d.extension('2.5.29.17', false, d.seq(d.tlv(0xa0, upn.subarray(2))));
  const userCert = d.certificate({
    serialHex: userSerial,
    issuer: caName,
    subject: d.name(['DC', 'com'], ['DC', 'contoso'], ['CN', 'Alice']),
    notBefore: new Date(now - day),
    notAfter: new Date(now + 365 * day),
    subjectKey: user.publicKey,
    signer,
    issuerKeyId: caKeyId,
    extraExtensions: [cdp, san],
  });
  writeFileSync(path.join(outDir, 'ca.cer'), ca);
  writeFileSync(path.join(outDir, 'ca.pem'), `-----BEGIN CERTIFICATE-----\n${Buffer.from(ca).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`);
  writeFileSync(path.join(outDir, 'user.cer'), userCert);
  const files: Record<number, string> = {};
  for (const n of sizes) {
    const block = d.randomEntriesBlock(n - 1, new Date(now - day), [MARKER_SERIAL]);
    const crl = d.crl({
      issuer: caName,
      thisUpdate: new Date(now - 3_600_000),
      nextUpdate: new Date(now + 365 * day),
      signer,
      entriesBlock: block,
      extensions: [d.extension('2.5.29.35', false, d.seq(d.ctxPrim(0, caKeyId))), d.extension('2.5.29.20', false, d.integer(n))],
    });
    const file = path.join(outDir, `crl-${n}.crl`);
    writeFileSync(file, crl);
    files[n] = file;
  }
  return { ca: path.join(outDir, 'ca.cer'), caPem: path.join(outDir, 'ca.pem'), user: path.join(outDir, 'user.cer'), userSerial, files };
}

// Run as a bundled script: node generate.mjs OUTDIR SIZE...
const [outDir, ...sizes] = process.argv.slice(2);
if (outDir && sizes.length > 0) {
  const r = generate(outDir, sizes.map(Number));
  process.stdout.write(JSON.stringify(r) + '\n');
}
