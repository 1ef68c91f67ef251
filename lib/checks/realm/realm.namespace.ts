import type { RealmDiscovery } from '@/lib/adfs/types';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CheckDef, Outcome } from '../types';

const REFERENCE = 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue';

export function realmEvidence(r: RealmDiscovery, a: Artifacts): Record<string, unknown> {
  return {
    login: r.login,
    endpoint: r.endpoint,
    httpStatus: r.fetch.httpStatus ?? null,
    totalMs: r.fetch.totalMs,
    error: r.fetch.error ?? null,
    parseError: r.parseError ?? null,
    format: r.info?.format ?? null,
    nameSpaceType: r.info?.nameSpaceType ?? null,
    domainName: r.info?.domainName ?? null,
    federationBrandName: r.info?.federationBrandName ?? null,
    authUrl: r.info?.authUrl ?? null,
    stsAuthUrl: r.info?.stsAuthUrl ?? null,
    cloudInstanceName: r.info?.cloudInstanceName ?? null,
    target: a.target,
    targetForcedBy: a.ctx.requestedTarget === 'adfs' || a.ctx.requestedTarget === 'entra' ? '--target' : null,
  };
}

export const realmNamespace: CheckDef = {
  id: 'realm.namespace',
  category: 'realm',
  title: 'The domain is federated',
  description:
    'Asks Entra ID how the user\'s domain signs in (realm discovery). A federated domain sends users to AD FS, which performs the certificate authentication; a managed domain uses Entra native CBA; an unknown domain is not registered in any tenant, so no sign-in can work.',
  citation: 'KB 4032987 (CBA through AD FS needs a federated domain); CHECKS.md realm.namespace',
  reference: REFERENCE,
  needs: ['realm'],
  applies(a) {
    if (a.ctx.offline) return 'Offline: realm discovery was not run.';
    if (!a.realm) return "Realm discovery needs the user's address or domain.";
    return true;
  },
  run(a): Outcome {
    const r = a.realm!;
    const evidence = realmEvidence(r, a);
    const forced = evidence.targetForcedBy ? ` (the target was set with --target ${a.target})` : '';
    if (r.fetch.error || !r.fetch.ok) {
      return {
        status: 'error',
        summary: `Realm discovery could not be reached at ${r.endpoint}: ${r.fetch.error?.message ?? 'no answer'}.`,
        evidence,
        remediation: [{ text: 'This tool needs outbound HTTPS to the realm discovery endpoint (login.microsoftonline.com, or CBA_DOCTOR_REALM_URL). Check the proxy and firewall of the machine running it, or pass --target adfs|entra to go on without it.' }],
      };
    }
    if (r.parseError || !r.namespace) {
      return { status: 'error', summary: `Realm discovery answered something this tool cannot read: ${r.parseError ?? 'no NameSpaceType'}.`, evidence };
    }
    const domain = r.info?.domainName ?? r.login.split('@').pop();
    if (r.namespace === 'Federated') {
      const brandName = r.info?.federationBrandName;
      const brand = brandName && brandName.toLowerCase() !== domain?.toLowerCase() ? ` (${brandName})` : '';
      return { status: 'pass', summary: `${domain}${brand} is federated: sign-in goes to ${r.authUrlHost ?? 'the federation service'}, so AD FS performs the certificate authentication${forced}.`, evidence };
    }
    if (r.namespace === 'Managed') {
      return {
        status: 'info',
        summary: `${domain} is managed: Entra ID checks the certificate itself (Entra native CBA). The AD FS checks do not apply; the Entra limits apply${forced}.`,
        evidence,
      };
    }
    if (r.namespace === 'Unknown') {
      return {
        status: 'fail',
        summary: `Entra ID does not know the domain of ${r.login}: it is not a verified domain of any tenant, so this address cannot sign in.`,
        evidence,
        remediation: [
          { text: 'Check the address for typos. If it is right, add and verify the domain in the tenant (Entra admin center > Settings > Domain names), then list the tenant\'s domains to confirm:', command: 'Get-MgDomain | Format-Table Id, AuthenticationType, IsVerified' },
        ],
      };
    }
    return { status: 'error', summary: `Realm discovery answered an unexpected NameSpaceType "${r.namespace}".`, evidence };
  },
};
