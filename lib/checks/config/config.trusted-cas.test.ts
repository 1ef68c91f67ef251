import { beforeAll, describe, expect, it } from 'vitest';
import { sample, unwrapFormatList, wrapFormatList } from '@/test/paste/variants';
import { days, type Pki } from '@/test/pki/gen';
import { ISSUING_CRL, contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';

const ID = 'config.trusted-cas';
type Ev = { basis: string; cas: { ca: string; status: string; problems: string[]; registeredAt: { line: number } | null }[] };
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const judge = async (pastes: string[], o: { withChain?: boolean; at?: Date; p?: Pki } = {}) => {
  const p = o.p ?? pki;
  const report = await diagnosePastes({ pastes, certs: o.withChain === false ? [] : [p.user, p.ca, p.root], at: o.at });
  return resultOf(report, ID);
};

describe('config.trusted-cas with the uploaded chain', () => {
  it('passes the healthy list: both CAs registered with the right type and their CDP', async () => {
    const r = await judge([sample('trusted-ca.healthy.txt')]);
    expect(r.status).toBe('pass');
    const ev = r.evidence as Ev;
    expect(ev.basis).toBe('chain');
    expect(ev.cas.map((c) => [c.ca, c.status, c.registeredAt?.line])).toEqual([
      ['CN=Contoso Issuing CA, DC=contoso, DC=com', 'pass', 12],
      ['CN=Contoso Root CA, O=Contoso, C=US', 'pass', 5],
    ]);
    expect(r.summary).toContain('CN=Contoso Issuing CA, DC=contoso, DC=com is registered as IntermediateAuthority with CRL http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl (line 12)');
  });

  it('fails the broken list: the issuing CA is a RootAuthority with an LDAP CRL URL', async () => {
    const r = await judge([sample('trusted-ca.broken.txt')]);
    expect(r.status).toBe('fail');
    const issuing = (r.evidence as Ev).cas[0];
    expect(issuing.status).toBe('fail');
    expect(issuing.problems.join(' ')).toMatch(/registered as RootAuthority but is an intermediate/);
    expect(issuing.problems.join(' ')).toMatch(/CRL URL is LDAP/);
    expect(r.summary).toContain('CN=Contoso Issuing CA, DC=contoso, DC=com (line 14)');
    const cmd = r.remediation.map((x) => x.command ?? '').join('\n');
    expect(cmd).toContain("$_.TrustedIssuerSki -eq 'A83D2B0A43ECE2FD1D6AE0C906EEF82EA619C7E0'");
    expect(cmd).toContain('Remove-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca');
    expect(cmd).toContain("$ca.AuthorityType = 'IntermediateAuthority'");
    expect(cmd).toContain(`$ca.CrlDistributionPoint = '${ISSUING_CRL}'`);
  });

  it('fails when a CA of the chain is not registered', async () => {
    const onlyRoot = sample('trusted-ca.healthy.txt').split('\n\n')[0];
    const r = await judge([onlyRoot]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('CN=Contoso Issuing CA, DC=contoso, DC=com: it is not registered in Entra ID');
    expect(r.remediation[0].command).toContain('New-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca');
    expect(r.remediation[0].command).toContain("'C:\\certs\\Contoso-Issuing-CA.cer'");
  });

  it('warns when the registered CRL URL is not the CDP of the certificates the CA issued', async () => {
    const other = await contosoPki({ issuingCrl: 'http://pki2.contoso.com/crl/issuing.crl' });
    const r = await judge([sample('trusted-ca.healthy.txt')], { p: other });
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('not the CDP in the certificates it issued (http://pki2.contoso.com/crl/issuing.crl)');
  });

  it('fails an expired CA', async () => {
    const expired = await contosoPki({ caNotAfter: days(-1) });
    const r = await judge([sample('trusted-ca.healthy.txt')], { p: expired });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('its certificate expired on');
  });

  it('matches CAs by name when the SKIs differ', async () => {
    const noSki = await contosoPki({ ski: false });
    const r = await judge([sample('trusted-ca.healthy.txt')], { p: noSki });
    expect(r.status).toBe('pass');
  });

  it('reads the Graph JSON of the registered CAs, certificates included', async () => {
    const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
    const json = (rootIsRoot: boolean) =>
      JSON.stringify({
        value: [
          {
            certificateAuthorities: [
              { isRootAuthority: rootIsRoot, certificate: b64(pki.root.der), certificateRevocationListUrl: 'http://crl.contoso.com/pki/Contoso%20Root%20CA.crl' },
              { isRootAuthority: false, certificate: b64(pki.ca.der), certificateRevocationListUrl: ISSUING_CRL },
            ],
          },
        ],
      });
    expect((await judge([json(true)])).status).toBe('pass');
    // Without the chain the certificates in the JSON still show which one is the root.
    const r = await judge([json(false)], { withChain: false });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('CN=Contoso Root CA, O=Contoso, C=US (line 1): it is registered as IntermediateAuthority but is a root (self-signed)');
  });
});

describe('config.trusted-cas without a chain', () => {
  it('judges the pasted list on its own', async () => {
    const ok = await judge([sample('trusted-ca.healthy.txt')], { withChain: false });
    expect(ok.status).toBe('pass');
    expect(ok.summary).toContain('No certificate chain was uploaded');
    const bad = await judge([sample('trusted-ca.broken.txt')], { withChain: false });
    expect(bad.status).toBe('fail');
    expect(bad.summary).toContain('its CRL URL is LDAP');
    expect(bad.summary).not.toContain('registered as RootAuthority but');
  });

  it('uses what certutil printed about the chain to check the types', async () => {
    const r = await judge([sample('trusted-ca.broken.txt'), sample('certutil-urlfetch.healthy.txt')], { withChain: false });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('registered as RootAuthority but is an intermediate (issued by another CA)');
    expect((r.evidence as { basis: string }).basis).toBe('paste and other pasted outputs');
  });

  it('fails an empty CRL URL and warns an HTTPS one', async () => {
    const recs = unwrapFormatList(sample('trusted-ca.healthy.txt'));
    const set = (i: number, v: string) => wrapFormatList(recs.map((r, j) => (j === i ? r.map((p) => (p.name === 'CrlDistributionPoint' ? { ...p, value: v } : p)) : r)), 120);
    expect((await judge([set(1, '')], { withChain: false })).status).toBe('fail');
    expect((await judge([set(1, 'https://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl')], { withChain: false })).status).toBe('warn');
  });

  it('skips when no list was pasted', async () => {
    expect((await judge([sample('msol-federation.healthy.txt')], { withChain: false })).status).toBe('skip');
  });

  it('names the paste of every line it quotes when several were pasted', async () => {
    const r = await judge([sample('msol-federation.healthy.txt'), sample('trusted-ca.broken.txt')]);
    expect(r.summary).toContain('CN=Contoso Issuing CA, DC=contoso, DC=com (paste 2 line 14)');
    expect(r.summary).not.toMatch(/\(line \d/);
    const ok = await judge([sample('msol-federation.healthy.txt'), sample('trusted-ca.healthy.txt')]);
    expect(ok.summary).toContain('with CRL http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl (paste 2 line 12)');
    expect((ok.evidence as { cas: { registeredAt: unknown }[] }).cas[0].registeredAt).toMatchObject({ source: 'paste 2', line: 12 });
  });
});
