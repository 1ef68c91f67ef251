import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, makeUser, type DpSpec, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';
import type { Target } from '@/lib/report/schema';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

type Ev = { target: string; distributionPoints: { urls: { url: string; scheme: string }[]; directoryNames: string[] }[]; freshestCrl: string[] };

async function run(cdp: DpSpec[] | null, target?: Target, freshestCrl?: DpSpec[]) {
  const user = await makeUser(pki, { cdp, freshestCrl, key: pki.user.key });
  const r = result(await diagnose({ certs: [user, pki.ca, pki.root], target, ids: ['cert.cdp'] }), 'cert.cdp');
  return { r, ev: r.evidence as Ev };
}

const LDAP = 'ldap:///CN=Contoso%20Issuing%20CA%201,CN=pki01,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint';

describe('cert.cdp', () => {
  it('passes an HTTP CDP, listing every URL with its scheme and the Freshest CRL', async () => {
    const { r, ev } = await run([[LDAP, 'http://pki.contoso.com/crl/issuing.crl']], 'entra', [['http://pki.contoso.com/crl/issuing+.crl']]);
    expect(r.status).toBe('pass');
    expect(ev.distributionPoints[0].urls).toEqual([
      { url: LDAP, scheme: 'ldap' },
      { url: 'http://pki.contoso.com/crl/issuing.crl', scheme: 'http' },
    ]);
    expect(ev.freshestCrl).toEqual(['http://pki.contoso.com/crl/issuing+.crl']);
  });

  it('fails without a CDP extension', async () => {
    const { r } = await run(null);
    expect(r.status).toBe('fail');
    expect(r.remediation[0].command).toMatch(/CRLPublicationURLs/);
  });

  it('warns when only LDAP or file: locations are given', async () => {
    const ldap = await run([[LDAP]]);
    expect(ldap.r.status).toBe('warn');
    expect(ldap.r.summary).toMatch(/only ldap/);
    const file = await run([['file://\\\\pki01\\CertEnroll\\issuing.crl']]);
    expect(file.r.status).toBe('warn');
    expect(file.ev.distributionPoints[0].urls[0].scheme).toBe('file');
  });

  it('warns on a distribution point with a directory name only', async () => {
    const { r, ev } = await run([{ dirNames: ['CN=CRL1, O=Contoso, C=US'] }]);
    expect(r.status).toBe('warn');
    expect(ev.distributionPoints[0].directoryNames).toEqual(['CN=CRL1, O=Contoso, C=US']);
  });

  it('LDAP only fails for Entra, which uses only HTTP CRL locations', async () => {
    const ldap = await run([[LDAP]], 'entra');
    expect(ldap.r.status).toBe('fail');
    expect(ldap.r.summary).toMatch(/Entra ID uses only HTTP/);
    expect((await run([[LDAP]], 'adfs')).r.status).toBe('warn');
  });

  it('HTTPS only: pass for AD FS, fail for Entra, warn for an unknown target', async () => {
    const https = [['https://pki.contoso.com/crl/issuing.crl']];
    expect((await run(https, 'adfs')).r.status).toBe('pass');
    const entra = await run(https, 'entra');
    expect(entra.r.status).toBe('fail');
    expect(entra.r.summary).toMatch(/Entra ID expects http/);
    const unknown = await run(https);
    expect(unknown.r.status).toBe('warn');
    expect(unknown.ev.target).toBe('unknown');
  });
});
