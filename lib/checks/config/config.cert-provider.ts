import { psArray } from '@/lib/commands/powershell';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { AuthProvider, PasteBlockOf } from '@/lib/paste/types';
import { blocksOf, lineRef, origin, pasted, said } from './common';

const isCertProvider = (p: AuthProvider) =>
  /^certificateauthentication$/i.test(p.name ?? '') || /^certificate\s*authentication$/i.test(p.adminName ?? '');

function judge(b: PasteBlockOf<'adfs-auth-provider'>) {
  const cert = b.data.providers.find(isCertProvider);
  const extranetOthers = b.data.providers.filter((p) => !isCertProvider(p) && p.allowedForPrimaryExtranet?.value === true && p.name).map((p) => p.name!);
  const intranetOthers = b.data.providers.filter((p) => !isCertProvider(p) && p.allowedForPrimaryIntranet?.value === true && p.name).map((p) => p.name!);
  let status: Status;
  let why: string;
  if (!cert) {
    status = 'fail';
    why = `the Certificate Authentication provider is not in the list (${b.data.providers.map((p) => p.name ?? p.adminName).join(', ')})`;
  } else if (cert.allowedForPrimaryExtranet?.value === true) {
    status = 'pass';
    why = `Certificate Authentication is allowed for extranet primary authentication (${said(cert.allowedForPrimaryExtranet, b)})`;
  } else if (cert.allowedForPrimaryExtranet?.value === false) {
    status = 'fail';
    why = `Certificate Authentication is not allowed for extranet primary authentication (${said(cert.allowedForPrimaryExtranet, b)}), so users outside the corporate network are never offered certificate sign-in`;
  } else {
    status = 'fail';
    why = cert.allowedForPrimaryExtranet
      ? `AllowedForPrimaryExtranet of Certificate Authentication has an unexpected value (${said(cert.allowedForPrimaryExtranet, b)})`
      : 'the Certificate Authentication provider is listed without its AllowedForPrimaryExtranet setting';
  }
  const intranet = cert?.allowedForPrimaryIntranet?.value ?? null;
  return { b, cert, status, why, intranet, extranetOthers, intranetOthers };
}

/** The providers to enable, as a PowerShell array of literals (the names come from a paste). */
export function providerList(names: string[]): string {
  return psArray([...new Set([...names, 'CertificateAuthentication'])]);
}

export const configCertProvider: CheckDef = {
  id: 'config.cert-provider',
  category: 'config',
  title: 'AD FS offers certificate authentication on the extranet',
  description:
    'Most certificate sign-ins come from devices outside the corporate network, which AD FS treats as extranet. The Certificate Authentication provider must be enabled for extranet primary authentication; enabling it for the intranet is optional.',
  citation: 'KB 4032987 (Determine if the ADFS and Web Application Proxy configurations are configured correctly, step 5); CHECKS.md config.cert-provider',
  reference: 'https://learn.microsoft.com/powershell/module/adfs/set-adfsglobalauthenticationpolicy',
  needs: ['paste'],
  applies: pasted('adfs-auth-provider'),
  run(a): Outcome {
    const judged = blocksOf(a, 'adfs-auth-provider').map(judge);
    const status = worst(judged.map((j) => j.status));
    const evidence = {
      outputs: judged.map((j) => ({
        ...origin(j.b),
        providers: j.b.data.providers.map((p) => ({
          name: p.name,
          adminName: p.adminName,
          allowedForPrimaryExtranet: p.allowedForPrimaryExtranet?.value ?? null,
          allowedForPrimaryIntranet: p.allowedForPrimaryIntranet?.value ?? null,
          line: p.line,
        })),
        certificateAuthentication: j.cert
          ? { extranet: lineRef(j.cert.allowedForPrimaryExtranet), intranet: lineRef(j.cert.allowedForPrimaryIntranet) }
          : null,
        status: j.status,
      })),
    };
    const intranetNote = (j: (typeof judged)[number]) =>
      j.intranet === true ? 'Intranet certificate sign-in is enabled too.' : j.intranet === false ? 'Intranet certificate sign-in is not enabled (optional: only needed for devices inside the corporate network).' : '';
    const summary = judged.map((j) => `${j.why.charAt(0).toUpperCase()}${j.why.slice(1)}. ${intranetNote(j)}`.trim()).join(' ');
    if (status === 'pass') return { status, summary, evidence };
    const bad = judged.find((j) => j.status !== 'pass')!;
    const list = (xs: string[]) => providerList(xs);
    const remediation: Remediation[] = bad.cert
      ? [
          {
            text: 'On the primary AD FS server, add CertificateAuthentication to the extranet primary authentication methods (the command keeps the providers already enabled there):',
            command: `Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider ${list(bad.extranetOthers)}`,
          },
          ...(bad.intranet === false
            ? [{ text: 'Optional, for devices inside the corporate network:', command: `Set-AdfsGlobalAuthenticationPolicy -PrimaryIntranetAuthenticationProvider ${list(bad.intranetOthers)}` }]
            : []),
          { text: 'Check the result:', command: 'Get-AdfsAuthenticationProvider -Name CertificateAuthentication' },
        ]
      : [
          {
            text: 'Certificate Authentication is built into AD FS 2012 R2 and later. If the pasted list was cut, paste the whole output of Get-AdfsAuthenticationProvider; otherwise check the AD FS version and enable the provider for the extranet:',
            command: `Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider ${list(bad.extranetOthers)}`,
          },
        ];
    return { status, summary, evidence, remediation };
  },
};
