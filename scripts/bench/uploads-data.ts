// Writes the heavy-upload benchmark's files into a directory: 20 PEM bundles of 250 distinct user certificates each
// (RSA-2048 CA, one shared user key: the parser's work does not depend on the key), the load of issue 16 item 3.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as d from './crl-der';

export function generateUploads(outDir: string, files: number, perFile: number) {
  mkdirSync(outDir, { recursive: true });
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer: d.Signer = { key: ca.privateKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' };
  const caName = d.name(['DC', 'com'], ['DC', 'contoso'], ['CN', 'Contoso Bench Upload CA']);
  const caKeyId = d.keyIdOf(d.spkiOf(ca.publicKey));
  const user = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = Date.now();
  const day = 86_400_000;
  const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  const caDer = d.certificate({ serialHex: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'), issuer: caName, subject: caName, notBefore: new Date(now - day), notAfter: new Date(now + 3650 * day), subjectKey: ca.publicKey, signer, ca: true });
  writeFileSync(path.join(outDir, 'ca.pem'), pem(caDer));
  const names: string[] = [];
  for (let f = 0; f < files; f++) {
    let text = '';
    for (let i = 0; i < perFile; i++) {
      const n = f * perFile + i;
      text += pem(
        d.certificate({
          serialHex: randomBytes(16).toString('hex').replace(/^[89a-f]/, '2'),
          issuer: caName,
          subject: d.name(['DC', 'com'], ['DC', 'contoso'], ['CN', `Bench User ${n}`]),
          notBefore: new Date(now - day),
          notAfter: new Date(now + 365 * day),
          subjectKey: user.publicKey,
          issuerKeyId: caKeyId,
          signer,
        }),
      );
    }
    const name = `bundle-${String(f + 1).padStart(2, '0')}.pem`;
    writeFileSync(path.join(outDir, name), text);
    names.push(name);
  }
  return { files: names, ca: 'ca.pem' };
}

const [outDir, files, perFile] = process.argv.slice(2);
if (outDir) process.stdout.write(JSON.stringify(generateUploads(outDir, Number(files ?? 20), Number(perFile ?? 250))));
