// The generator's output must be what real tools accept: openssl verifies chains and CRLs built here.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { X509Crl } from '@peculiar/x509';
import { csr, days, EKU, genKey, makeCert, makeCrl, makePki, pemBundle, pkcs12, pkcs7, privateKeyFile, tempDir, type Pki } from './gen';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function opensslVerify(pki: Pki, extra: string[] = []) {
  const root = tmp.write(`root-${Math.random()}.pem`, pki.root.pem);
  const ca = tmp.write(`ca-${Math.random()}.pem`, pki.ca.pem);
  const user = tmp.write(`user-${Math.random()}.pem`, pki.user.pem);
  try {
    return execFileSync('openssl', ['verify', '-CAfile', root, '-untrusted', ca, ...extra, user], { stdio: 'pipe' }).toString();
  } catch (e) {
    return `FAILED ${(e as { stdout: Buffer }).stdout}${(e as { stderr: Buffer }).stderr}`;
  }
}

describe('test PKI generator', () => {
  it('builds a chain openssl verifies, with the requested extensions', async () => {
    const pki = await makePki({ upn: 'bob@fabrikam.com' });
    expect(opensslVerify(pki)).toMatch(/: OK/);
    const u = pki.user.cert;
    expect(u.san).toEqual([{ type: 'upn', value: 'bob@fabrikam.com', oid: '1.3.6.1.4.1.311.20.2.3' }]);
    expect(u.eku).toEqual([EKU.clientAuth]);
    expect(u.keyUsage?.names).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(u.aki?.keyId).toBe(pki.ca.cert.ski);
    expect(pki.ca.cert.aki?.keyId).toBe(pki.root.cert.ski);
    expect(u.cdp?.[0].urls).toEqual(['http://pki.contoso.com/crl/contoso-issuing.crl']);
    expect(u.aia?.caIssuers).toEqual(['http://pki.contoso.com/aia/contoso-issuing.crt']);
    expect(pki.root.cert.selfIssued).toBe(true);
    expect(pki.ca.cert.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    // Names are written like Windows shows them (most significant last) and encoded C first.
    expect(u.subject.display).toBe('CN=Alice Smith, OU=Users, O=Contoso, C=US');
    expect(execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject', '-nameopt', 'oneline'], { input: pki.user.der }).toString()).toMatch(/^subject=C = US, O = Contoso, OU = Users, CN = Alice Smith/);
  });

  it('writes bad signatures, foreign signers, SHA-1, small and EC keys', async () => {
    const pki = await makePki();
    const bad = await makeCert({ subject: 'CN=Bad', issuer: pki.ca, badSignature: true });
    expect(opensslVerify({ ...pki, user: bad })).toMatch(/FAILED[\s\S]*signature failure/);
    const other = await makeCert({ subject: 'CN=Forged', issuer: pki.ca, signingKey: await genKey('p256') });
    expect(opensslVerify({ ...pki, user: other })).toMatch(/FAILED/);
    const sha1 = await makeCert({ subject: 'CN=Old', issuer: pki.ca, hash: 'SHA-1', key: 'rsa1024' });
    expect(sha1.cert.signatureAlgorithm).toBe('1.2.840.113549.1.1.5');
    expect(sha1.cert.publicKey.bits).toBe(1024);
    const ec = await makeCert({ subject: 'CN=EC', issuer: pki.ca, key: 'p256', san: [{ type: 'rfc822', value: 'a@b.com' }, { type: 'dns', value: 'x.contoso.com' }, { type: 'ip', value: '10.0.0.1' }, { type: 'otherName', oid: '1.2.3.4', value: 'v' }] });
    expect(ec.cert.publicKey.curveName).toBe('P-256');
    expect(ec.cert.san?.map((s) => s.type)).toEqual(['rfc822', 'dns', 'ip', 'otherName']);
    expect(opensslVerify({ ...pki, user: ec })).toMatch(/: OK/);
    const v1 = await makeCert({ subject: 'CN=V1', issuer: pki.ca, version: 1 });
    expect(v1.cert.version).toBe(1);
    expect(v1.cert.extensions).toEqual([]);
    const noBc = await makeCert({ subject: 'CN=x', issuer: pki.ca, basicConstraints: null, ski: false, aki: false });
    expect(noBc.cert.basicConstraints).toBeUndefined();
    expect(noBc.cert.ski).toBeUndefined();
    expect(noBc.cert.aki).toBeUndefined();
    const exp = await makeCert({ subject: 'CN=old', issuer: pki.ca, notBefore: days(-400), notAfter: days(-35) });
    expect(opensslVerify({ ...pki, user: exp })).toMatch(/expired/);
  });

  it('issues CRLs that openssl accepts, with revoked entries and delta indicators', async () => {
    const pki = await makePki();
    const crl = await makeCrl({ issuer: pki.ca, revoked: [{ serial: pki.user.serial, reason: 'keyCompromise' }], crlNumber: 7, nextPublish: days(3) });
    const all = tmp.write('crls.pem', crl.pem + (await makeCrl({ issuer: pki.root })).pem);
    expect(opensslVerify(pki, ['-crl_check_all', '-CRLfile', all])).toMatch(/certificate revoked/);
    const parsed = new X509Crl(crl.der);
    expect(parsed.entries[0].serialNumber.toLowerCase()).toBe(pki.user.serial);
    expect(parsed.entries[0].reason).toBe(1);
    expect(await parsed.verify({ publicKey: await pki.ca.x509().publicKey.export() })).toBe(true);
    const delta = await makeCrl({ issuer: pki.ca, deltaIndicator: 7, crlNumber: 8, nextUpdate: null });
    expect(new X509Crl(delta.der).nextUpdate).toBeUndefined();
    const forged = await makeCrl({ issuer: pki.ca, signingKey: await genKey() });
    expect(await new X509Crl(forged.der).verify({ publicKey: await pki.ca.x509().publicKey.export() })).toBe(false);
  });

  it('exports bundles, PKCS#7, PKCS#12, keys and CSRs', async () => {
    const pki = await makePki();
    const bundle = Buffer.from(pemBundle([pki.user, pki.ca], { text: 'openssl', crlf: true, bom: true }));
    expect(bundle.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bundle.toString()).toMatch(/Certificate:\r\n/);
    expect(bundle.toString().match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    const p7 = pkcs7([pki.user, pki.ca, pki.root]);
    const listed = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], { input: p7 }).toString();
    expect(listed.match(/subject=/g)).toHaveLength(3);
    expect(Buffer.from(pkcs7([pki.user], 'pem')).toString()).toMatch(/BEGIN PKCS7/);
    const p12 = pkcs12(pki.user, [pki.ca]);
    expect(execFileSync('openssl', ['pkcs12', '-in', '-', '-passin', 'pass:test', '-nokeys'], { input: p12 }).toString()).toMatch(/BEGIN CERTIFICATE/);
    expect(Buffer.from(privateKeyFile(pki.user.key, 'rsa-pem')).toString()).toMatch(/BEGIN RSA PRIVATE KEY/);
    const ec = await genKey('p256');
    expect(Buffer.from(privateKeyFile(ec, 'ec-pem')).toString()).toMatch(/BEGIN EC PRIVATE KEY/);
    expect(Buffer.from(privateKeyFile(ec, 'pkcs8-encrypted-pem')).toString()).toMatch(/BEGIN ENCRYPTED PRIVATE KEY/);
    expect(Buffer.from(csr(ec)).toString()).toMatch(/BEGIN CERTIFICATE REQUEST/);
  });
});
