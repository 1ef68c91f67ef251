// The benchmark's stand-in for the CLI's CRL path, run as its own process: read the CRL, parse it,
// verify its signature against the CA, and walk every entry looking for the user's serial.
import { readFileSync } from 'node:fs';
import { parseCertificate } from '@/lib/pki/cert';
import { parseCrl } from '@/lib/pki/crl/parse';
import { verifySignedData } from '@/lib/pki/crl/verify';
import { MARKER_SERIAL } from './constants';

const [crlPath, caPath, userPath] = process.argv.slice(2);
const raw = readFileSync(crlPath);
const crl = parseCrl(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), { kind: 'file', name: crlPath });
const ca = parseCertificate(new Uint8Array(readFileSync(caPath)));
const user = parseCertificate(new Uint8Array(readFileSync(userPath)));
const sig = verifySignedData(crl.tbs, crl.signature, crl.signatureAlgorithm, crl.signatureAlgorithmParams, ca.publicKey.spki);
const found = crl.findSerials([user.serialHex, MARKER_SERIAL]);
const out = {
  entries: crl.entryCount,
  signature: sig.ok,
  userRevoked: found.has(user.serialHex),
  markerFound: found.has(MARKER_SERIAL),
  maxRssKb: process.resourceUsage().maxRSS,
};
process.stdout.write(JSON.stringify(out) + '\n');
process.exitCode = sig.ok && out.markerFound && !out.userRevoked ? 0 : 1;
