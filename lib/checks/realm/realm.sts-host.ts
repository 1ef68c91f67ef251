import { psArg } from '@/lib/commands/powershell';
import type { CheckDef, Outcome } from '../types';
import { realmEvidence } from './realm.namespace';

/** Graph PowerShell showing a domain's federation settings. */
export function federationSettingsCommand(domain: string | undefined): string {
  return `Get-MgDomainFederationConfiguration -DomainId ${domain ? psArg(domain) : "'<domain>'"} | Format-List IssuerUri, PassiveSignInUri, ActiveSignInUri, MetadataExchangeUri`;
}

export const realmStsHost: CheckDef = {
  id: 'realm.sts-host',
  category: 'realm',
  title: 'Entra ID sends users to this federation host',
  description:
    "For a federated domain, Entra ID redirects sign-in to the AuthURL of the federation settings. Its host must be the AD FS host being diagnosed; otherwise users sign in somewhere else than where certificate authentication was set up. When no host was typed, this one is used.",
  citation: 'CHECKS.md realm.sts-host',
  reference: 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue',
  needs: ['realm'],
  applies(a) {
    if (a.ctx.offline) return 'Offline: realm discovery was not run.';
    if (!a.realm) return "Realm discovery needs the user's address or domain.";
    if (!a.realm.fetch.ok || a.realm.parseError) return 'Realm discovery gave no usable answer (see realm.namespace).';
    if (a.realm.namespace !== 'Federated') return 'The domain is not federated, so there is no federation host to compare.';
    return true;
  },
  run(a): Outcome {
    const r = a.realm!;
    const evidence = { ...realmEvidence(r, a), authUrlHost: r.authUrlHost ?? null, typedHost: r.typedHost ?? null, filledHost: r.filledHost ?? null };
    if (!r.authUrlHost) return { status: 'error', summary: 'Realm discovery says the domain is federated but gives no usable AuthURL.', evidence };
    if (!r.typedHost) return { status: 'pass', summary: `No federation host was typed; using ${r.authUrlHost} from the AuthURL realm discovery returned.`, evidence };
    if (r.typedHost === r.authUrlHost) return { status: 'pass', summary: `Entra ID sends users of ${r.info?.domainName ?? 'this domain'} to ${r.authUrlHost}, the host typed.`, evidence };
    const domain = r.info?.domainName ?? r.login.split('@').pop();
    return {
      status: 'warn',
      summary: `Entra ID sends users of ${domain} to ${r.authUrlHost}, but the host typed is ${r.typedHost}. The probes tested ${r.typedHost}; users sign in at ${r.authUrlHost}.`,
      evidence,
      remediation: [
        { text: `Diagnose ${r.authUrlHost} instead (run again with it as the federation host), or, if ${r.typedHost} is the right service, correct the domain's federation settings in Entra ID. Show them with:`, command: federationSettingsCommand(domain) },
      ],
    };
  },
};
