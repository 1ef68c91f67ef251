// Shared pieces of the entra.* checks: the tenant model, the sentences that say what to paste, and the user
// certificate's issuing CA.
import type { Artifacts } from '@/lib/report/artifacts';
import type { EntraTenant, TenantCa } from '@/lib/entra/types';
import { psQuote } from '../cert/common';

export const GRAPH = 'https://graph.microsoft.com';
export const E_HOW = 'https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-certificate-based-authentication';
export const E_DD = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive';
export const E_CRL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificate-revocation-list';
export const G_X509 = 'https://learn.microsoft.com/en-us/graph/api/resources/x509certificateauthenticationmethodconfiguration';

export function tenantOf(a: Artifacts): EntraTenant | undefined {
  return a.entra;
}

const upnOf = (a: Artifacts) => a.input.upn?.trim() || '<user UPN>';

/** What to paste to give each tenant input, as a sentence with the exact Graph request and PowerShell command. */
export const PASTE = {
  method: () =>
    `Paste the certificate method configuration: GET ${GRAPH}/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate (Graph Explorer), or Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'X509Certificate' | ConvertTo-Json -Depth 10.`,
  user: (a: Artifacts) =>
    `Paste the user: GET ${GRAPH}/v1.0/users/${encodeURIComponent(upnOf(a))}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo, or Get-MgUser -UserId ${psQuote(upnOf(a))} -Property Id,UserPrincipalName,OnPremisesUserPrincipalName,Mail,AuthorizationInfo | ConvertTo-Json -Depth 10.`,
  groups: (a: Artifacts) =>
    `Paste the user's groups: GET ${GRAPH}/v1.0/users/${encodeURIComponent(upnOf(a))}/transitiveMemberOf?$select=id, or Get-MgUserTransitiveMemberOf -UserId ${psQuote(upnOf(a))} -All | ConvertTo-Json -Depth 10.`,
  store: () =>
    `Paste the trust store: GET ${GRAPH}/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/{id}/certificateAuthorities (PKI-based store), or GET ${GRAPH}/v1.0/organization/{tenant id}/certificateBasedAuthConfiguration (classic store); in PowerShell, Get-MgOrganizationCertificateBasedAuthConfiguration -OrganizationId (Get-MgOrganization).Id | ConvertTo-Json -Depth 10.`,
  signIn: () =>
    `Paste the "More details" block of the error page (Request Id, Correlation Id, Timestamp, AADSTS message), or the sign-in log: GET ${GRAPH}/v1.0/auditLogs/signIns?$filter=correlationId eq '{correlation id}', or Get-MgAuditLogSignIn -Filter ('correlationId eq ''{0}''' -f '<correlation id>') | ConvertTo-Json -Depth 10.`,
};

/** Every CA of both stores. */
export function storeCas(t: EntraTenant): TenantCa[] {
  return [...(t.pkiStore ?? []), ...(t.classicStore ?? [])];
}

/** The entries of a store that stand for a CA certificate (by SKI, thumbprint, then subject). */
export function findCa(cas: TenantCa[], ca: { ski: string | null; sha1: string; subject: string }): TenantCa[] {
  const bySki = ca.ski ? cas.filter((c) => c.ski === ca.ski) : [];
  if (bySki.length) return bySki;
  const bySha = cas.filter((c) => c.sha1 === ca.sha1);
  if (bySha.length) return bySha;
  const n = (s: string) => s.toLowerCase().replace(/\s*([,=])\s*/g, '$1');
  return cas.filter((c) => c.subject && n(c.subject) === n(ca.subject));
}

type Part = 'method' | 'user' | 'groups' | 'pkiStore' | 'classicStore' | 'signIns';
const CALL: Record<Part, string> = { method: 'method', user: 'user', groups: 'groups', pkiStore: 'pki store', classicStore: 'classic store', signIns: 'sign-in log' };

/** Why a live Graph lookup that was asked for did not give this part, as a sentence ('' when none was asked for). */
export function liveMiss(a: Artifacts, part: Part): string {
  const live = a.entra?.live;
  if (!a.input.graph || !live) return '';
  if (live.notRead) return `No live Graph lookup was made: ${live.notRead}. `;
  if (live.tokenError) return `The live Graph lookup failed: ${live.tokenError}. `;
  const call = live.calls.find((c) => c.what === CALL[part] && c.problem);
  return call ? `The live Graph lookup of ${CALL[part]} failed: ${call.problem}. ` : '';
}

/** " (read live from Microsoft Graph at T)" for a part that came from a live read. */
export function liveNote(a: Artifacts, part: Part): string {
  const t = a.entra;
  return t?.sources?.[part] === 'graph' && t.live ? ` (read live from Microsoft Graph at ${t.live.at})` : '';
}
