import { describe, expect, it } from 'vitest';
import { makePki, PKI_URLS, toPem } from '@/test/pki/gen';
import { chainAuthorityTypes } from './chain.authority-types';
import { diagnose, resultOf } from '@/test/checks/chain';

const P256 = { key: 'p256' } as const;
const U = PKI_URLS();
type Ca = { subject: string; authorityType: number; crlUrl: string | null; deltaCrlUrl: string | null; certificateFile: string; status: string; commands: { legacy: string; graph: string } };

describe('chain.authority-types', () => {
  it('lists each CA with its AuthorityType and the CRL URL from the certificates it signed, with both commands', async () => {
    const pki = await makePki({ root: P256, ca: P256, user: { ...P256, freshestCrl: [[U.caDeltaCrl]] } });
    const c = resultOf(
      await diagnose([chainAuthorityTypes], {
        certs: [
          { der: pki.user.der, name: 'user.cer' },
          { der: pki.ca.der, name: 'issuing.cer' },
          { der: new Uint8Array(Buffer.from(toPem(pki.root.der))), name: 'root.pem' },
        ],
      }),
      'chain.authority-types',
    );
    expect(c.status).toBe('info');
    const cas = c.evidence.certificateAuthorities as Ca[];
    expect(cas.map((x) => [x.subject, x.authorityType, x.crlUrl, x.deltaCrlUrl, x.certificateFile])).toEqual([
      [pki.ca.cert.subject.display, 1, U.caCrl, U.caDeltaCrl, 'issuing.cer'],
      [pki.root.cert.subject.display, 0, U.rootCrl, null, 'Contoso-Root-CA.cer'],
    ]);
    const legacy = cas[0].commands.legacy;
    expect(legacy).toContain('New-Object -TypeName Microsoft.Open.AzureAD.Model.CertificateAuthorityInformation');
    expect(legacy).toContain('$ca.AuthorityType = 1');
    expect(legacy).toContain("$ca.TrustedCertificate = [System.IO.File]::ReadAllBytes((Resolve-Path 'issuing.cer').Path)");
    expect(legacy).toContain(`$ca.crlDistributionPoint = '${U.caCrl}'`);
    expect(legacy).toContain('New-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca');
    const graph = cas[1].commands.graph;
    expect(graph).toContain("certificateAuthorityType = 'root'");
    expect(graph).toContain(`thumbprint = '${pki.root.cert.sha1}'`);
    expect(graph).toContain(`certificateRevocationListUrl = '${U.rootCrl}'`);
    expect(graph).toContain('New-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfigurationCertificateAuthority -CertificateBasedAuthPkiId $pki.Id -BodyParameter $params');
    // The PEM root must be saved as DER first, and the scripts register both CAs.
    const texts = c.remediation.map((r) => r.text).join('\n');
    expect(texts).toContain('Contoso-Root-CA.cer');
    const scripts = c.remediation.filter((r) => r.command).map((r) => r.command!);
    expect(scripts[0]).toMatch(/^Connect-MgGraph -Scopes 'PublicKeyInfrastructure.ReadWrite.All'/);
    expect(scripts[0].match(/New-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfigurationCertificateAuthority/g)).toHaveLength(2);
    expect(scripts[1]).toMatch(/^Connect-AzureAD\n/);
  });

  it('warns for a CA whose CRL URL is unknown', async () => {
    const pki = await makePki({ root: P256, ca: P256, user: { ...P256, cdp: null } });
    const c = resultOf(await diagnose([chainAuthorityTypes], { certs: [{ der: pki.user.der }, { der: pki.ca.der }, { der: pki.root.der }] }), 'chain.authority-types');
    expect(c.status).toBe('warn');
    const cas = c.evidence.certificateAuthorities as Ca[];
    expect(cas.map((x) => x.status)).toEqual(['warn', 'info']);
    expect(cas[0].commands.legacy).not.toContain('crlDistributionPoint');
    expect(c.remediation[0].text).toContain('No HTTP CRL URL is known');
  });
});
