import { psArg } from '@/lib/commands/powershell';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { PasteBlockOf } from '@/lib/paste/types';
import { blocksOf, origin, pasted, said } from './common';

type FedBlock = PasteBlockOf<'msol-federation' | 'mg-federation'>;

const GOOD = /^(disabled|nativesupport)$/i;
const TRANSLATES = /^(translatetofreshpasswordauth|translatetofreshpasswordauthentication|true)$/i;

function domainFor(a: Parameters<CheckDef['run']>[0], b: FedBlock): string {
  if (a.input.domain) return a.input.domain;
  // MSOnline's per-domain issuer is usually http://<domain>/adfs/services/trust/.
  const host = b.data.issuerUri && /^https?:\/\/([^/:]+)/i.exec(b.data.issuerUri)?.[1];
  if (host && host.toLowerCase() !== b.data.federationHost) return host.toLowerCase();
  return '<your-federated-domain>';
}

function judge(b: FedBlock): { status: Status; why: string } {
  const p = b.data.promptLoginBehavior;
  if (!p) return { status: 'fail', why: 'PromptLoginBehavior is not in the output, and when it is not set Entra ID translates prompt=login into a forced password prompt' };
  const v = p.value.trim();
  if (!v) return { status: 'fail', why: `PromptLoginBehavior is empty (${said(p, b)}), so the default applies: prompt=login becomes a forced password prompt` };
  if (GOOD.test(v)) return { status: 'pass', why: `PromptLoginBehavior is ${v} (${said(p, b)})` };
  if (TRANSLATES.test(v)) return { status: 'fail', why: `PromptLoginBehavior is ${v} (${said(p, b)}): apps that send prompt=login get a username/password prompt instead of certificate sign-in` };
  return { status: 'warn', why: `PromptLoginBehavior has a value CBA Doctor does not know (${said(p, b)}); expected Disabled or NativeSupport` };
}

/** Graph PowerShell setting PromptLoginBehavior; the domain and federation id come from input or a paste. */
export function mgPromptLoginCommand(domain: string, id: string | null | undefined): string {
  return id
    ? `Update-MgDomainFederationConfiguration -DomainId ${psArg(domain)} -InternalDomainFederationId ${psArg(id)} -PromptLoginBehavior "disabled"`
    : `$fed = Get-MgDomainFederationConfiguration -DomainId ${psArg(domain)}\nUpdate-MgDomainFederationConfiguration -DomainId ${psArg(domain)} -InternalDomainFederationId $fed.Id -PromptLoginBehavior "disabled"`;
}

/** MSOnline equivalent, repeating the current protocol and MFA setting (which the cmdlet would otherwise reset). */
export function msolPromptLoginCommand(domain: string, protocol: string, mfa: '$true' | '$false' | null): string {
  return `Set-MsolDomainFederationSettings -DomainName ${psArg(domain)} -PreferredAuthenticationProtocol ${psArg(protocol)}${mfa ? ` -SupportsMfa ${mfa}` : ''} -PromptLoginBehavior Disabled`;
}

function remediation(a: Parameters<CheckDef['run']>[0], b: FedBlock): Remediation[] {
  const domain = domainFor(a, b);
  const mg: Remediation = {
    text: `Set PromptLoginBehavior to disabled for ${domain} with Microsoft Graph PowerShell (nativeSupport also works with AD FS 2016 or later, or 2012 R2 with the July 2016 update rollup, and keeps prompt=login semantics):`,
    command: mgPromptLoginCommand(domain, b.kind === 'mg-federation' ? b.data.id : undefined),
  };
  if (b.kind === 'mg-federation') return [mg];
  // Set-MsolDomainFederationSettings resets what is not passed: repeat the current protocol and MFA setting.
  const protocol = b.data.preferredAuthenticationProtocol ?? 'WsFed';
  const mfa = b.data.supportsMfa ? (/^true$/i.test(b.data.supportsMfa) ? '$true' : '$false') : null;
  return [
    {
      text: `With the MSOnline module (retired by Microsoft; prefer the Graph command below where it is available), keep the current protocol${mfa ? ' and MFA setting' : ''} and set PromptLoginBehavior to Disabled:`,
      command: msolPromptLoginCommand(domain, protocol, mfa),
    },
    mg,
  ];
}

export const configPromptLogin: CheckDef = {
  id: 'config.prompt-login',
  category: 'config',
  title: 'Federated domain passes prompt=login without forcing a password',
  description:
    'Some apps ask Entra ID for a fresh sign-in (prompt=login). By default Entra ID turns that into an AD FS request for a username and password, which bypasses certificate sign-in. PromptLoginBehavior must be Disabled or NativeSupport on the federated domain.',
  citation: 'KB 4032987 (Determine if Azure AD is correctly configured, step 4); CHECKS.md config.prompt-login',
  reference: 'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/ad-fs-prompt-login',
  needs: ['paste'],
  applies: pasted('msol-federation', 'mg-federation'),
  run(a): Outcome {
    const blocks = blocksOf(a, 'msol-federation', 'mg-federation');
    const judged = blocks.map((b) => ({ b, ...judge(b) }));
    const status = worst(judged.map((j) => j.status));
    const evidence = {
      outputs: judged.map(({ b, status: s }) => ({
        ...origin(b),
        kind: b.kind,
        format: b.data.format,
        promptLoginBehavior: b.data.promptLoginBehavior ? { value: b.data.promptLoginBehavior.value, line: b.data.promptLoginBehavior.line, text: b.data.promptLoginBehavior.text } : null,
        federationHost: b.data.federationHost,
        status: s,
      })),
      expected: ['Disabled', 'NativeSupport'],
    };
    const summary = judged.map((j) => j.why).join('; ') + '.';
    if (status === 'pass') return { status, summary, evidence };
    const bad = judged.find((j) => j.status !== 'pass')!;
    return { status, summary: summary.charAt(0).toUpperCase() + summary.slice(1), evidence, remediation: remediation(a, bad.b) };
  },
};
