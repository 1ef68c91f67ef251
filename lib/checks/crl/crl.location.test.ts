import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makePki, type GenCert, type Pki } from '@/test/pki/gen';
import { baseArtifacts, chainOf } from '@/test/net/crl-world';
import type { Target } from '@/lib/report/schema';
import { crlLocation } from './crl.location';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const userWith = (cdp: string[][] | null) => makeCert({ subject: 'CN=Alice', issuer: pki.ca, key: 'p256', cdp });
async function run(user: GenCert, target: Target = 'unknown', ca: GenCert = pki.ca) {
  const a = baseArtifacts({ chain: chainOf(user, ca, pki.root), target });
  const applies = crlLocation.applies!(a);
  expect(applies).toBe(true);
  return crlLocation.run(a);
}
const rows = (o: Awaited<ReturnType<typeof run>>) => (o.evidence as { certificates: { certificate: string; status: string; urls: { scheme: string }[] }[] }).certificates;

describe('crl.location', () => {
  it('passes when every certificate below the root names an HTTP CRL URL', async () => {
    const o = await run(await userWith([['http://pki.contoso.com/crl/issuing.crl']]));
    expect(o.status).toBe('pass');
    expect(rows(o).map((r) => [r.certificate, r.status])).toEqual([
      ['CN=Alice', 'pass'],
      [pki.ca.cert.subject.display, 'pass'],
    ]);
    expect(o.remediation ?? []).toEqual([]);
  });

  it('notes LDAP listed before the HTTP URL', async () => {
    const o = await run(await userWith([['ldap:///CN=Contoso%20Issuing%20CA%201,CN=CDP,CN=Public%20Key%20Services?certificateRevocationList', 'http://pki.contoso.com/crl/issuing.crl']]));
    expect(o.status).toBe('info');
    expect(rows(o)[0].urls.map((u) => u.scheme)).toEqual(['ldap', 'http']);
  });

  it('passes HTTP first with LDAP after it', async () => {
    const o = await run(await userWith([['http://pki.contoso.com/crl/issuing.crl'], ['ldap:///CN=x?certificateRevocationList']]));
    expect(o.status).toBe('pass');
  });

  it.each([
    ['https only', [['https://pki.contoso.com/crl/issuing.crl']], 'warn', 'fail'],
    ['LDAP only', [['ldap:///CN=Contoso,CN=CDP?certificateRevocationList']], 'warn', 'fail'],
    ['file only', [['file://\\\\ca01\\CertEnroll\\issuing.crl']], 'warn', 'fail'],
    ['no CDP', null, 'fail', 'fail'],
  ] as const)('%s: %s for AD FS, %s for Entra', async (_name, cdp, adfs, entra) => {
    const user = await userWith(cdp as string[][] | null);
    const forAdfs = await run(user, 'adfs');
    expect(forAdfs.status).toBe(adfs);
    expect(rows(forAdfs)[0].status).toBe(adfs);
    expect(forAdfs.remediation?.length).toBeGreaterThan(0);
    expect(forAdfs.remediation?.some((r) => r.command?.includes('CRLPublicationURLs'))).toBe(true);
    expect((await run(user, 'entra')).status).toBe(entra);
    expect((await run(user, 'unknown')).status).toBe(adfs);
  });

  it('judges the intermediate CA certificate too, and the worst status wins', async () => {
    const ca = await makeCert({ subject: 'CN=LDAP Issuing CA', issuer: pki.root, basicConstraints: { ca: true }, key: 'p256', cdp: [['ldap:///CN=Root,CN=CDP?certificateRevocationList']] });
    const user = await makeCert({ subject: 'CN=Bob', issuer: ca, key: 'p256', cdp: [['http://pki.contoso.com/crl/ldapca.crl']] });
    const o = await run(user, 'entra', ca);
    expect(o.status).toBe('fail');
    expect(rows(o).map((r) => [r.certificate, r.status])).toEqual([
      ['CN=Bob', 'pass'],
      ['CN=LDAP Issuing CA', 'fail'],
    ]);
    expect(o.summary).toMatch(/LDAP Issuing CA/);
  });

  it('skips without a chain', () => {
    expect(crlLocation.applies!(baseArtifacts())).toMatch(/No certificate chain/);
  });
});
