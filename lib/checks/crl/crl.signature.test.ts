import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genKey, makeCert, makeCrl, makePki, type CrlOptions, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { diagnose, resultOf } from '@/test/checks/chain';
import { chainProfile } from '../chain/chain.profile';
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

  it('leaves missing key identifiers on the certificates to chain.profile (one cause, one failure)', async () => {
    const p = await makePki({ root: P256, ca: { ...P256, ski: false }, user: { ...P256, aki: false } });
    const crls = [
      { der: (await makeCrl({ issuer: p.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: p.root })).der, name: 'root.crl' },
    ];
    const certs = [p.user, p.ca, p.root].map((g) => ({ der: g.der }));
    const r = await diagnose([crlSignature, chainProfile], { certs, crls, target: 'entra' });
    const profile = resultOf(r, 'chain.profile');
    expect(profile.status).toBe('fail');
    const rules = (profile.evidence.findings as { rule: string; role: string; status: string }[]).filter((f) => f.status === 'fail').map((f) => [f.rule, f.role]);
    expect(rules).toEqual(expect.arrayContaining([['aki-missing', 'user'], ['ski-missing', 'intermediate']]));
    const sig = resultOf(r, 'crl.signature');
    expect(sig.status).not.toBe('fail');
    expect(sig.summary).not.toContain('AADSTS500176');
  });

  it('for entra, passes a path with every key identifier', async () => {
    const certs = [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der }));
    const crls = [
      { der: (await makeCrl({ issuer: pki.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: pki.root })).der, name: 'root.crl' },
    ];
    const c = resultOf(await diagnose([crlSignature], { certs, crls, target: 'entra' }), 'crl.signature');
    expect(c.status).toBe('pass');
  });
});
