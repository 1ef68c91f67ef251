import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genKey, makeCert, makeCrl, makePki, type CrlOptions, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { diagnose, resultOf } from '../chain/testing';
import { crlSignature } from './crl.signature';

const P256 = { key: 'p256' } as const;
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: P256 });
});
async function run(caCrl: Partial<CrlOptions>) {
  const crls = [
    { der: (await makeCrl({ issuer: pki.ca, ...caCrl })).der, name: 'issuing.crl' },
    { der: (await makeCrl({ issuer: pki.root })).der, name: 'root.crl' },
  ];
  const certs = [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der }));
  return resultOf(await diagnose([crlSignature], { certs, crls }), 'crl.signature');
}
type Row = { crl: string; status: string; problem: string | null; akiMatch: string };

describe('crl.signature', () => {
  it('passes CRLs signed by their CA with matching AKI', async () => {
    const c = await run({});
    expect(c.status).toBe('pass');
    expect((c.evidence.crls as Row[]).map((r) => [r.crl, r.status, r.akiMatch])).toEqual([
      ['issuing.crl', 'pass', 'match'],
      ['root.crl', 'pass', 'match'],
    ]);
  });

  it('fails a CRL signed by another key', async () => {
    const c = await run({ signingKey: await genKey('p256') });
    expect(c.status).toBe('fail');
    expect((c.evidence.crls as Row[])[0]).toMatchObject({ status: 'fail', problem: 'key' });
    expect(c.remediation[0].command).toContain('openssl crl -inform DER -in issuing.crl -CAfile ca.pem -noout');
  });

  it('fails the CRL of another CA (wrong CRL)', async () => {
    const other = await makeCert({ subject: 'CN=Fabrikam CA', ...P256, basicConstraints: { ca: true } });
    const c = await run({ issuer: other });
    expect(c.status).toBe('fail');
    expect((c.evidence.crls as Row[])[0]).toMatchObject({ problem: 'wrong-crl' });
    expect(c.summary).toContain('CN=Fabrikam CA');
  });

  it('fails an AKI that differs from the CA SKI, and warns when the AKI is missing', async () => {
    const mismatch = await run({ aki: '0102030405' });
    expect(mismatch.status).toBe('fail');
    expect((mismatch.evidence.crls as Row[])[0]).toMatchObject({ problem: 'aki', akiMatch: 'mismatch' });
    const missing = await run({ aki: false });
    expect(missing.status).toBe('warn');
    expect((missing.evidence.crls as Row[])[0]).toMatchObject({ problem: 'no-aki', akiMatch: 'absent' });
    expect(missing.remediation[0].command).toContain('authorityKeyIdentifier=keyid:always');
  });

  it('skips when no CRL was given offline', async () => {
    const c = resultOf(await diagnose([crlSignature], { certs: [{ der: pki.user.der }, { der: pki.ca.der }, { der: pki.root.der }] }), 'crl.signature');
    expect(c.status).toBe('skip');
    expect(c.summary).toContain('offline');
  });

  describe('online', () => {
    const routes: Record<string, Handler> = {};
    let srv: Loopback;
    let online: Pki;
    beforeAll(async () => {
      srv = await startLoopback(routes);
      online = await makePki({ root: P256, ca: P256, user: P256, baseUrl: `http://127.0.0.1:${srv.port}` });
      // The issuing CA's CRL URL serves the root's CRL: valid, but the wrong CRL for that CA.
      routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: online.root, crlNumber: 7 })).der);
      routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: online.root, crlNumber: 8 })).der);
    });
    afterAll(() => srv.close());

    it('fails a CRL URL that serves another CA\'s CRL', async () => {
      const r = await diagnose([crlSignature], { certs: [online.user, online.ca, online.root].map((g) => ({ der: g.der })), offline: false, allowPrivate: true });
      const c = resultOf(r, 'crl.signature');
      expect(c.status).toBe('fail');
      const rows = c.evidence.crls as (Row & { url: string })[];
      expect(rows.find((x) => x.url === srv.url('/crl/contoso-issuing.crl'))).toMatchObject({ status: 'fail', problem: 'wrong-crl' });
      expect(rows.find((x) => x.url === srv.url('/crl/contoso-root.crl'))).toMatchObject({ status: 'pass' });
    });
  });

  it('for entra, fails a user certificate without AKI and a CA certificate without SKI (Entra matches by key identifiers)', async () => {
    const p = await makePki({ root: P256, ca: { ...P256, ski: false }, user: { ...P256, aki: false } });
    const crls = [
      { der: (await makeCrl({ issuer: p.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: p.root })).der, name: 'root.crl' },
    ];
    const certs = [p.user, p.ca, p.root].map((g) => ({ der: g.der }));
    const entra = resultOf(await diagnose([crlSignature], { certs, crls, target: 'entra' }), 'crl.signature');
    expect(entra.status).toBe('fail');
    expect(entra.evidence.keyIdentifiers).toMatchObject([
      { certificate: p.user.cert.subject.display, role: 'user', missing: 'AKI', status: 'fail' },
      { certificate: p.ca.cert.subject.display, role: 'CA', missing: 'SKI', status: 'fail' },
    ]);
    expect(entra.summary).toContain('AADSTS500176');
    expect(entra.remediation.map((r) => r.text).join(' ')).toMatch(/Renew each CA certificate that lacks a subject key identifier[\s\S]*Re-enroll the user certificate/);
    // For AD FS the key identifiers are not a rule: no key-identifier finding.
    const adfs = resultOf(await diagnose([crlSignature], { certs, crls, target: 'adfs' }), 'crl.signature');
    expect(adfs.evidence.keyIdentifiers).toBeNull();
    expect(adfs.summary).not.toContain('AADSTS500176');
  });

  it('for entra, passes a path with every key identifier', async () => {
    const certs = [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der }));
    const crls = [
      { der: (await makeCrl({ issuer: pki.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: pki.root })).der, name: 'root.crl' },
    ];
    const c = resultOf(await diagnose([crlSignature], { certs, crls, target: 'entra' }), 'crl.signature');
    expect(c.status).toBe('pass');
    expect(c.evidence.keyIdentifiers).toMatch(/every certificate of the path has the key identifiers/);
  });
});
