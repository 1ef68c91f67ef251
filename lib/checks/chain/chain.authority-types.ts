import type { Remediation } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CertEntry } from '@/lib/pki/types';
import { worst, type CheckDef } from '../types';
import { psLiteral } from '@/lib/commands/powershell';
import { appliesToChain, certId, ENTRA_CA_URL } from './common';

// Sources for the commands: the AzureAD module's New-AzureADTrustedCertificateAuthority with a
// CertificateAuthorityInformation object (AuthorityType 0 = root, 1 = intermediate), and Microsoft Graph's
// PKI-based trust store: POST /directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/{id}/
// certificateAuthorities with a certificateAuthorityDetail (certificateAuthorityType root|intermediate;
// certificate, thumbprint and expirationDateTime required), cmdlet
// New-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfigurationCertificateAuthority
// (learn.microsoft.com/graph/api/certificatebasedauthpki-post-certificateauthorities,
//  learn.microsoft.com/graph/api/resources/certificateauthoritydetail).

const ps = psLiteral;

function scheme(url: string): string {
  return (/^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? '').toLowerCase();
}

function commonName(e: CertEntry): string {
  const cn = e.cert.subject.rdns.flat().find((x) => x.type === '2.5.4.3')?.value;
  return cn ?? e.cert.subject.display;
}

/** The file holding this CA certificate in DER, or a name to save it under. */
function derFile(a: Artifacts, e: CertEntry): { file: string; note?: string } {
  const f = a.files?.find((x) => x.refs.includes(e.ref));
  if (e.source === 'upload' && f && f.kind === 'der' && f.refs.length === 1) return { file: f.fileName };
  const file = `${commonName(e).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || e.ref}.cer`;
  const note =
    e.source === 'aia'
      ? `Save it from ${e.url} as ${file} (DER).`
      : `Save this CA certificate alone as a DER-encoded .cer file named ${file} (Certificates console: Export > "DER encoded binary X.509 (.CER)"; or: certutil -decode ${f?.fileName ?? 'ca.pem'} ${file} for a single PEM certificate).`;
  return { file, note };
}

interface CaRow {
  entry: CertEntry;
  authorityType: 0 | 1;
  crlUrl?: string;
  deltaCrlUrl?: string;
  signedRef: string;
  otherUrls: string[];
  file: string;
  fileNote?: string;
}

/** The values a CA registration command is made of (every one quoted as a literal). */
export interface CaCommandValues {
  authorityType: 0 | 1;
  file: string;
  crlUrl?: string;
  deltaCrlUrl?: string;
  displayName: string;
  thumbprint: string;
  expiration: string;
  ski?: string;
}

function values(r: CaRow): CaCommandValues {
  const c = r.entry.cert;
  return { authorityType: r.authorityType, file: r.file, crlUrl: r.crlUrl, deltaCrlUrl: r.deltaCrlUrl, displayName: commonName(r.entry), thumbprint: c.sha1, expiration: c.notAfter.toISOString(), ski: c.ski?.toUpperCase() };
}

export function legacyCaCommand(r: CaCommandValues): string {
  return [
    `$ca = New-Object -TypeName Microsoft.Open.AzureAD.Model.CertificateAuthorityInformation`,
    `$ca.AuthorityType = ${r.authorityType}`,
    `$ca.TrustedCertificate = [System.IO.File]::ReadAllBytes((Resolve-Path ${ps(r.file)}).Path)`,
    ...(r.crlUrl ? [`$ca.crlDistributionPoint = ${ps(r.crlUrl)}`] : []),
    ...(r.deltaCrlUrl ? [`$ca.DeltaCrlDistributionPoint = ${ps(r.deltaCrlUrl)}`] : []),
    `New-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca`,
  ].join('\n');
}

export function graphCaCommand(r: CaCommandValues): string {
  const fields = [
    `  certificateAuthorityType = ${ps(r.authorityType === 0 ? 'root' : 'intermediate')}`,
    `  certificate = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes((Resolve-Path ${ps(r.file)}).Path))`,
    `  displayName = ${ps(r.displayName)}`,
    `  thumbprint = ${ps(r.thumbprint)}`,
    `  expirationDateTime = ${ps(r.expiration)}`,
    ...(r.ski ? [`  issuerSubjectKeyIdentifier = ${ps(r.ski)}`] : []),
    ...(r.crlUrl ? [`  certificateRevocationListUrl = ${ps(r.crlUrl)}`] : []),
    ...(r.deltaCrlUrl ? [`  deltacertificateRevocationListUrl = ${ps(r.deltaCrlUrl)}`] : []),
  ];
  return [`$params = @{`, ...fields, `}`, `New-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfigurationCertificateAuthority -CertificateBasedAuthPkiId $pki.Id -BodyParameter $params`].join('\n');
}

export const chainAuthorityTypes: CheckDef = {
  id: 'chain.authority-types',
  category: 'chain',
  title: 'CAs to register in Entra ID',
  description:
    'Entra ID (and AD FS federated CBA through Entra) must know every CA of the path: the root as AuthorityType 0 and each intermediate as AuthorityType 1, each with the HTTP URL of the CRL it publishes, taken from the CRL Distribution Points of the certificates it signed. The commands register them with the legacy AzureAD module or with the Microsoft Graph PKI-based trust store.',
  citation: 'KB 4032987 (New-AzureADTrustedCertificateAuthority, AuthorityType, crlDistributionPoint); Microsoft Graph certificateAuthorityDetail (certificateBasedAuthPki)',
  reference: ENTRA_CA_URL,
  needs: ['user', 'chain', 'files'],
  applies(a) {
    const base = appliesToChain(a);
    if (base !== true) return base;
    return a.chain!.path.length > 1 ? true : 'The path holds no CA certificate (only the user certificate).';
  },
  run(a) {
    const chain = a.chain!;
    const rows: CaRow[] = [];
    for (let i = 1; i < chain.path.length; i++) {
      const e = chain.path[i];
      const signed = chain.path[i - 1];
      const urls = (signed.cert.cdp ?? []).flatMap((dp) => dp.urls);
      const deltas = (signed.cert.freshestCrl ?? []).flatMap((dp) => dp.urls);
      const pick = (list: string[]) => list.find((u) => scheme(u) === 'http') ?? list.find((u) => scheme(u) === 'https');
      const { file, note } = derFile(a, e);
      rows.push({
        entry: e,
        authorityType: chain.complete && i === chain.path.length - 1 ? 0 : 1,
        crlUrl: pick(urls),
        deltaCrlUrl: pick(deltas),
        signedRef: signed.ref,
        otherUrls: urls.filter((u) => u !== pick(urls)),
        file,
        fileNote: note,
      });
    }
    const cas = rows.map((r) => ({
      ...certId(r.entry),
      authorityType: r.authorityType,
      role: r.authorityType === 0 ? 'root' : 'intermediate',
      crlUrl: r.crlUrl ?? null,
      deltaCrlUrl: r.deltaCrlUrl ?? null,
      crlUrlFrom: r.signedRef,
      otherCdpUrls: r.otherUrls,
      certificateFile: r.file,
      status: r.crlUrl ? 'info' : 'warn',
      note: r.crlUrl
        ? `CRL URL taken from the CRL Distribution Points of ${r.signedRef}.`
        : `${r.signedRef} names no HTTP CRL location${r.otherUrls.length ? ` (only ${r.otherUrls.join(', ')})` : ''}, so the CRL URL of this CA is unknown.`,
      commands: { legacy: legacyCaCommand(values(r)), graph: graphCaCommand(values(r)) },
    }));
    const status = worst(cas.map((c) => c.status as 'info' | 'warn'), 'info');
    const evidence = { complete: chain.complete, missingAbove: chain.missing?.issuer ?? null, certificateAuthorities: cas };
    const rootCn = rows.find((r) => r.authorityType === 0) ?? rows[rows.length - 1];
    const notes = rows.filter((r) => r.fileNote).map((r) => ({ text: r.fileNote! }));
    const remediation: Remediation[] = [
      ...notes,
      {
        text: 'Register the CAs with Microsoft Graph PowerShell in the PKI-based trust store (current way; needs the Privileged Authentication Administrator role). The first lines reuse your PKI container, or create one:',
        command: [
          `Connect-MgGraph -Scopes 'PublicKeyInfrastructure.ReadWrite.All'`,
          `$pki = Get-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfiguration | Select-Object -First 1`,
          `if (-not $pki) { $pki = New-MgDirectoryPublicKeyInfrastructureCertificateBasedAuthConfiguration -DisplayName ${ps(`${commonName(rootCn.entry)} PKI`)} }`,
          ...rows.map((r) => graphCaCommand(values(r))),
        ].join('\n'),
      },
      {
        text: 'Or with the legacy AzureAD PowerShell module (Windows PowerShell 5.1; the module is retired, prefer Graph where you can):',
        command: ['Connect-AzureAD', ...rows.map((r) => legacyCaCommand(values(r)))].join('\n'),
      },
    ];
    const unknown = rows.filter((r) => !r.crlUrl);
    if (unknown.length) {
      remediation.unshift({
        text: `No HTTP CRL URL is known for ${unknown.map((r) => `"${r.entry.cert.subject.display}"`).join(', ')}: without one Entra ID cannot check revocation for the certificates it issues. Publish the CA's CRL over http:// and add that URL to the CDP of the certificates it issues (then re-issue them), and fill crlDistributionPoint / certificateRevocationListUrl in the commands below.`,
      });
    }
    const list = rows.map((r) => `"${r.entry.cert.subject.display}" (AuthorityType ${r.authorityType}, CRL ${r.crlUrl ?? 'unknown'})`).join('; ');
    return {
      status,
      summary: unknown.length
        ? `${unknown.length} of ${rows.length} CA(s) have no known HTTP CRL URL. CAs to register: ${list}.`
        : `CAs to register in Entra ID: ${list}.`,
      evidence,
      remediation,
    };
  },
};
