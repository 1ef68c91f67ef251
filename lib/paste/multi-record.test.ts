// Issue 10 item 3: outputs whose default shape is several records (Format-List records separated by blank
// lines, netsh bindings) are one output, as Windows prints them; Format-Table output is read when it shows what
// the checks need, else refused with the Format-List command to run.
import { describe, expect, it } from 'vitest';
import { configCertProvider } from '@/lib/checks/config/config.cert-provider';
import { configPaste } from '@/lib/checks/config/config.paste';
import { configTrustedCas } from '@/lib/checks/config/config.trusted-cas';
import { pasteArtifacts, runCheck } from '@/test/checks/config';
import { crlf, rewrap, sample } from '@/test/paste/variants';
import { parsePaste } from './detect';

const provider = (t: string) => runCheck(configCertProvider, pasteArtifacts([t]));
const kinds = (t: string) => parsePaste(t).blocks.map((b) => b.kind);

describe('Get-AdfsAuthenticationProvider as Windows prints it', () => {
  it('reads the six providers of an AD FS 2019 farm (prompt, CRLF) as one output and passes', async () => {
    const t = sample('windows/adfs-auth-provider.2019.healthy.txt');
    expect(t).toContain('\r\n');
    const r = parsePaste(t);
    expect(r.blocks).toHaveLength(1);
    expect(r.unknown).toEqual([]);
    const b = r.blocks[0];
    expect(b.kind === 'adfs-auth-provider' && b.data.providers.map((p) => p.name)).toEqual([
      'FormsAuthentication', 'WindowsAuthentication', 'CertificateAuthentication', 'DeviceAuthentication', 'MicrosoftPassportAuthentication', 'AzureMfaAuthentication',
    ]);
    const o = await provider(t);
    expect(o.status).toBe('pass');
    expect(o.summary).toMatch(/^Certificate Authentication is allowed for extranet primary authentication \(line 34:/);
  });

  it('fails the broken farm on the CertificateAuthentication record, and keeps the other extranet providers', async () => {
    const o = await provider(sample('windows/adfs-auth-provider.2019.broken.txt'));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('line 34: "AllowedForPrimaryExtranet : False"');
    expect(o.remediation![0].command).toBe(
      "Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider @('FormsAuthentication', 'MicrosoftPassportAuthentication', 'CertificateAuthentication')",
    );
  });

  it('reads one record (Get-AdfsAuthenticationProvider -Name CertificateAuthentication)', async () => {
    expect((await provider(sample('windows/adfs-auth-provider.one.healthy.txt'))).status).toBe('pass');
  });

  it.each([60, 80, 200])('reads the samples re-wrapped at %i columns, with CRLF', async (w) => {
    expect((await provider(crlf(rewrap(sample('adfs-auth-provider.healthy.txt'), w)))).status).toBe('pass');
    const o = await provider(crlf(rewrap(sample('adfs-auth-provider.broken.txt'), w)));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('AllowedForPrimaryExtranet : False');
  });

  it('reads Format-Table output that shows the name and the extranet setting', async () => {
    const ok = await provider(sample('windows/adfs-auth-provider.table.healthy.txt'));
    expect(ok.status).toBe('pass');
    expect(ok.summary).toContain('line 7: "CertificateAuthentication True True"');
    const bad = await provider(crlf(sample('windows/adfs-auth-provider.table.broken.txt')));
    expect(bad.status).toBe('fail');
    expect(bad.remediation![0].command).toBe("Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider @('FormsAuthentication', 'MicrosoftPassportAuthentication', 'CertificateAuthentication')");
  });

  it('refuses a Format-Table whose columns are cut, with the exact Format-List command', async () => {
    const a = pasteArtifacts([sample('windows/adfs-auth-provider.table.cut.txt')]);
    expect(a.paste!.blocks).toEqual([]);
    expect((await runCheck(configCertProvider, a)).status).toBe('skip');
    const p = await runCheck(configPaste, a);
    expect(p.status).toBe('info');
    expect(p.summary).toContain('Format-Table output of');
    expect(p.summary).toContain('Run this instead and paste its output: Get-AdfsAuthenticationProvider | Format-List Name, AllowedForPrimaryExtranet, AllowedForPrimaryIntranet');
  });
});

describe('other cmdlets whose default output is several records', () => {
  it('Get-AzureADTrustedCertificateAuthority: both CAs as one output, CRLF and re-wrapped', () => {
    for (const t of [sample('trusted-ca.healthy.txt'), crlf(sample('trusted-ca.healthy.txt')), crlf(rewrap(sample('trusted-ca.broken.txt'), 70))]) {
      const r = parsePaste(t);
      expect(r.blocks).toHaveLength(1);
      const b = r.blocks[0];
      expect(b.kind === 'trusted-ca' && b.data.authorities.map((x) => x.issuer)).toEqual(['CN=Contoso Root CA, O=Contoso, C=US', 'CN=Contoso Issuing CA, DC=contoso, DC=com']);
    }
  });

  it('Get-AzureADTrustedCertificateAuthority as a table: the cut CRL URLs are not judged; the Format-List command is given', async () => {
    const a = pasteArtifacts([sample('windows/trusted-ca.table.txt')]);
    expect(a.paste!.blocks).toEqual([]);
    expect((await runCheck(configTrustedCas, a)).status).toBe('skip');
    expect(a.paste!.unknown[0].reason).toBe(
      'This is Format-Table output of "Get-AzureADTrustedCertificateAuthority | Format-Table", which cuts and leaves out what CBA Doctor needs. Run this instead and paste its output: Get-AzureADTrustedCertificateAuthority | Format-List AuthorityType, TrustedIssuer, TrustedIssuerSki, CrlDistributionPoint, DeltaCrlDistributionPoint',
    );
  });

  it('netsh http show sslcert: every binding of one output, one binding alone, CRLF', () => {
    const all = parsePaste(crlf(sample('netsh-sslcert.healthy.txt')));
    expect(all.blocks).toHaveLength(1);
    const b = all.blocks[0];
    expect(b.kind === 'netsh-sslcert' && b.data.bindings.length).toBeGreaterThan(2);
    const first = sample('netsh-sslcert.healthy.txt').split(/\n\n(?=\s*(?:Hostname|IP):port)/).slice(0, 2).join('\n\n');
    const one = parsePaste(crlf(first));
    expect(one.blocks.map((x) => x.kind === 'netsh-sslcert' && x.data.bindings.length)).toEqual([1]);
  });

  it('Get-AdfsRelyingPartyTrust | Format-List Name, IssuanceTransformRules: every trust of one output', () => {
    const rules = '@RuleName = "Pass through serial number"\r\n                         c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber"]\r\n                          => issue(claim = c);\r\n';
    const t =
      'PS C:\\> Get-AdfsRelyingPartyTrust | Format-List Name, IssuanceTransformRules\r\n\r\n\r\n' +
      'Name                   : Device Registration Service\r\nIssuanceTransformRules : @RuleTemplate = "PassThroughClaims"\r\n                         c:[Type == "http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier"]\r\n                          => issue(claim = c);\r\n\r\n' +
      `Name                   : Microsoft Office 365 Identity Platform\r\nIssuanceTransformRules : ${rules}\r\n\r\n`;
    const r = parsePaste(t);
    expect(kinds(t)).toEqual(['claim-rules']);
    const b = r.blocks[0];
    expect(b.kind === 'claim-rules' && b.data.sets.map((s) => [s.trustName, s.rules.map((x) => x.passThrough)])).toEqual([
      ['Device Registration Service', ['http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier']],
      ['Microsoft Office 365 Identity Platform', ['http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber']],
    ]);
  });

  it('Get-AzureADTrustedCertificateAuthority as a wide table with every needed column whole is read', () => {
    const t = [
      'AuthorityType         CrlDistributionPoint                                  TrustedIssuer                            TrustedIssuerSki',
      '-------------         --------------------                                  -------------                            ----------------',
      'RootAuthority         http://crl.contoso.com/pki/Contoso%20Root%20CA.crl    CN=Contoso Root CA, O=Contoso, C=US      A1ED38949EFE856CB43E76E630AD88460CFF3428',
      'IntermediateAuthority http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl CN=Contoso Issuing CA, DC=contoso, DC=com A83D2B0A43ECE2FD1D6AE0C906EEF82EA619C7E0',
    ].join('\r\n');
    const r = parsePaste(t);
    const b = r.blocks[0];
    expect(b.kind === 'trusted-ca' && b.data.authorities.map((x) => [x.authorityType, x.crlDistributionPoint, x.issuer, x.ski])).toEqual([
      ['RootAuthority', 'http://crl.contoso.com/pki/Contoso%20Root%20CA.crl', 'CN=Contoso Root CA, O=Contoso, C=US', 'a1ed38949efe856cb43e76e630ad88460cff3428'],
      ['IntermediateAuthority', 'http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl', 'CN=Contoso Issuing CA, DC=contoso, DC=com', 'a83d2b0a43ece2fd1d6ae0c906eef82ea619c7e0'],
    ]);
  });

  it('Get-AdfsRelyingPartyTrust as a table: the rules are cut, so the Format-List command is given', () => {
    const t = [
      'PS C:\\> Get-AdfsRelyingPartyTrust | ft Name, IssuanceTransformRules',
      '',
      'Name                                   IssuanceTransformRules',
      '----                                   ----------------------',
      'Device Registration Service            @RuleTemplate = "PassThroughClaims"...',
      'Microsoft Office 365 Identity Platform @RuleName = "Pass through serial numb...',
    ].join('\r\n');
    const r = parsePaste(t);
    expect(r.blocks).toEqual([]);
    expect(r.unknown[0].reason).toContain("Run this instead and paste its output: (Get-AdfsRelyingPartyTrust -Name 'Microsoft Office 365 Identity Platform').IssuanceTransformRules");
  });
});
