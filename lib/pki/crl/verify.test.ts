import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as d from '@/scripts/bench/crl-der';
import { parseCertificate, type Cert } from '../cert';
import { parseCrl } from './parse';
import { verifySignedData } from './verify';

const issuer = d.name(['C', 'US'], ['CN', 'Verify Test CA']);
const t0 = new Date(Date.UTC(2025, 0, 1));
const t1 = new Date(Date.UTC(2025, 0, 8));
const entries = [d.entry({ serialHex: '0102', date: t0, reason: 1 })];

function makeCrl(signer: d.Signer) {
  return parseCrl(d.crl({ issuer, thisUpdate: t0, nextUpdate: t1, signer, entries }), { kind: 'file', name: 'x.crl' });
}
function check(c: ReturnType<typeof makeCrl>, pub: KeyObject | Uint8Array, tbs = c.tbs) {
  return verifySignedData(tbs, c.signature, c.signatureAlgorithm, c.signatureAlgorithmParams, pub instanceof Uint8Array ? pub : d.spkiOf(pub));
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed = generateKeyPairSync('ed25519');

describe('verifySignedData', () => {
  const good: [string, d.Signer, KeyObject][] = [
    ['RSA PKCS#1 v1.5 SHA-256', { key: rsa.privateKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' }, rsa.publicKey],
    ['RSA PKCS#1 v1.5 SHA-1', { key: rsa.privateKey, alg: d.ALG.sha1WithRSA, hash: 'sha1' }, rsa.publicKey],
    ['RSA PKCS#1 v1.5 MD5', { key: rsa.privateKey, alg: d.ALG.md5WithRSA, hash: 'md5' }, rsa.publicKey],
    ['RSA-PSS SHA-256 with an rsaEncryption key', { key: rsa.privateKey, alg: d.ALG.rsaPss, hash: 'sha256', pssSaltLength: 32 }, rsa.publicKey],
    ['RSA-PSS SHA-384 with an RSASSA-PSS key', { key: rsaPss.privateKey, alg: d.ALG.rsaPss, hash: 'sha384', pssSaltLength: 48 }, rsaPss.publicKey],
    ['ECDSA P-256 SHA-256', { key: p256.privateKey, alg: d.ALG.ecdsaSha256, hash: 'sha256' }, p256.publicKey],
    ['ECDSA P-384 SHA-384', { key: p384.privateKey, alg: d.ALG.ecdsaSha384, hash: 'sha384' }, p384.publicKey],
    ['Ed25519', { key: ed.privateKey, alg: d.ALG.ed25519 }, ed.publicKey],
  ];
  for (const [what, signer, pub] of good) {
    it(`accepts a good ${what} signature and rejects a tampered one`, () => {
      const c = makeCrl(signer);
      expect(check(c, pub)).toMatchObject({ ok: true });
      const tampered = Uint8Array.from(c.tbs);
      tampered[tampered.length - 1] ^= 1;
      const bad = check(c, pub, tampered);
      expect(bad.ok).toBe(false);
      expect(bad.unsupported).toBeUndefined();
      expect(bad.reason).toMatch(/does not match|cannot be verified/);
    });
  }

  it('rejects a signature made by another key of the same type', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const c = makeCrl({ key: other.privateKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' });
    expect(check(c, rsa.publicKey)).toMatchObject({ ok: false, reason: 'the signature does not match the issuer key' });
  });

  it('names a key type that does not fit the algorithm', () => {
    const c = makeCrl({ key: rsa.privateKey, alg: d.ALG.sha256WithRSA, hash: 'sha256' });
    const r = check(c, p256.publicKey);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/issuer key is EC but the signature algorithm is sha256WithRSAEncryption/);
  });

  it('reports DSA as unsupported without throwing', () => {
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    const r = verifySignedData(Uint8Array.of(1, 2, 3), Uint8Array.of(0x30, 0), '2.16.840.1.101.3.4.3.2', undefined, d.spkiOf(dsa.publicKey));
    expect(r).toMatchObject({ ok: false, unsupported: true });
    expect(r.reason).toMatch(/^unsupported: DSA/);
  });

  it('reports unknown algorithms and unreadable keys without throwing', () => {
    expect(verifySignedData(Uint8Array.of(1), Uint8Array.of(1), '1.2.3.4', undefined, d.spkiOf(rsa.publicKey))).toMatchObject({ ok: false, unsupported: true });
    const r = verifySignedData(Uint8Array.of(1), Uint8Array.of(1), d.ALG.sha256WithRSA, undefined, Uint8Array.of(0x30, 0x03, 1, 2, 3));
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/issuer public key cannot be read/);
  });

  it('agrees with openssl crl -CAfile on a CRL that openssl ca signed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crl-verify-'));
    try {
      const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
      writeFileSync(path.join(dir, 'index.txt'), '');
      writeFileSync(path.join(dir, 'crlnumber'), '01\n');
      writeFileSync(
        path.join(dir, 'ca.cnf'),
        `[ca]\ndefault_ca=c\n[c]\ndatabase=${dir}/index.txt\ncrlnumber=${dir}/crlnumber\ncertificate=${dir}/ca.pem\nprivate_key=${dir}/ca.key\ndefault_md=sha384\ndefault_crl_days=7\n[req]\ndistinguished_name=dn\n[dn]\n`,
      );
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=EC CA', '-days', '3', '-config', 'ca.cnf']);
      run(['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'crl.pem']);
      run(['crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout']); // throws unless openssl verifies it
      const ca = parseCertificate(new Uint8Array(execFileSync('openssl', ['x509', '-in', path.join(dir, 'ca.pem'), '-outform', 'DER'])));
      const c = parseCrl(readFileSync(path.join(dir, 'crl.pem')), { kind: 'file', name: 'crl.pem' });
      expect(verifySignedData(c.tbs, c.signature, c.signatureAlgorithm, c.signatureAlgorithmParams, ca.publicKey.spki)).toEqual({ ok: true, algorithm: 'ecdsa-with-SHA384' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verifySignedData on NIST PKITS', () => {
  const root = path.resolve(__dirname, '../../../test/fixtures/pkits');
  const certs: Cert[] = readdirSync(path.join(root, 'certs')).map((f) => parseCertificate(new Uint8Array(readFileSync(path.join(root, 'certs', f)))));
  const bySubject = new Map<string, Cert[]>();
  for (const c of certs) bySubject.set(c.subject.key, [...(bySubject.get(c.subject.key) ?? []), c]);

  it('verifies every CRL against its issuer, except the bad signatures and the DSA ones', () => {
    const failed: string[] = [];
    const noIssuer: string[] = [];
    const unsupported: string[] = [];
    for (const f of readdirSync(path.join(root, 'crls'))) {
      const crl = parseCrl(readFileSync(path.join(root, 'crls', f)), { kind: 'file', name: f });
      const candidates = (bySubject.get(crl.issuer.key) ?? []).filter((c) => !crl.aki?.keyId || c.ski === crl.aki.keyId);
      if (candidates.length === 0) {
        noIssuer.push(f);
        continue;
      }
      const results = candidates.map((c) => verifySignedData(crl.tbs, crl.signature, crl.signatureAlgorithm, crl.signatureAlgorithmParams, c.publicKey.spki));
      if (results.some((r) => r.ok)) continue;
      if (results.every((r) => r.unsupported)) unsupported.push(f);
      else failed.push(f);
    }
    // PKITS 4.4.3 has a bad signature; in 4.4.4 and 4.4.19 the CRL names an issuer that no certificate has.
    expect(failed).toEqual(['BadCRLSignatureCACRL.crl']);
    expect(noIssuer.sort()).toEqual(['BadCRLIssuerNameCACRL.crl', 'TwoCRLsCABadCRL.crl']);
    expect(unsupported.sort()).toEqual(['DSACACRL.crl', 'DSAParametersInheritedCACRL.crl']);
  });

  it('verifies certificate signatures too', () => {
    const load = (n: string) => parseCertificate(new Uint8Array(readFileSync(path.join(root, 'certs', `${n}.crt`))));
    const ca = load('GoodCACert');
    const goodEe = load('ValidCertificatePathTest1EE');
    const badEe = load('InvalidEESignatureTest3EE');
    const v = (c: Cert) => verifySignedData(c.tbs, c.signature, c.signatureAlgorithm, c.signatureAlgorithmParams, ca.publicKey.spki);
    expect(v(goodEe).ok).toBe(true);
    expect(v(badEe)).toMatchObject({ ok: false, reason: 'the signature does not match the issuer key' });
  });
});
