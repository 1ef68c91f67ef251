import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CheckDef } from '../types';
import { worst } from '../types';
import { psQuote, userEntry } from '../cert/common';
import { chainCas } from '../config/common';
import { G_X509, PASTE, liveMiss, liveNote, tenantOf } from './common';

const ALL_USERS = 'all_users';

/** The user's group ids: from a pasted group list, else from groups expanded on the user object. */
function groupsOf(a: Artifacts): string[] | null {
  const t = tenantOf(a)!;
  return t.groups?.groupIds ?? t.user?.groupIds ?? null;
}

export const entraMethod: CheckDef = {
  id: 'entra.method',
  category: 'entra',
  title: 'Certificate-based authentication is enabled for this user',
  description:
    'Entra ID accepts a certificate only when the x509Certificate authentication method is enabled, targets the user (all users, or a group the user is in) without excluding them, and, when CA scopes are set, allows the user\'s issuing CA for a group the user is in. Otherwise sign-in stops with AADSTS130501.',
  citation: 'Graph x509CertificateAuthenticationMethodConfiguration (state, includeTargets, excludeTargets, certificateAuthorityScopes); Entra CBA how-to',
  reference: G_X509,
  needs: ['entra', 'chain', 'user'],
  applies: (a) => (tenantOf(a)?.method ? true : `${liveMiss(a, 'method')}${PASTE.method()}`),
  run(a) {
    const m = tenantOf(a)!.method!;
    const groups = groupsOf(a);
    const problems: { status: Status; text: string }[] = [];
    const remediation: Remediation[] = [];
    const inGroup = (id: string) => (groups ? groups.some((g) => g.toLowerCase() === id.toLowerCase()) : null);
    if (m.state !== 'enabled') {
      problems.push({ status: 'fail', text: `The x509Certificate method is ${m.state ?? `in an unknown state (${m.stateRaw ?? 'not given'})`}, so no user can sign in with a certificate (AADSTS130501).` });
      remediation.push({
        text: 'Enable the certificate method (Entra admin center > Protection > Authentication methods > Certificate-based authentication), or with Microsoft Graph PowerShell:',
        command: "Connect-MgGraph -Scopes 'Policy.ReadWrite.AuthenticationMethod'\nUpdate-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'X509Certificate' -BodyParameter @{ '@odata.type' = '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration'; state = 'enabled' }",
      });
    }
    const included = m.includeTargets.some((t) => t.id.toLowerCase() === ALL_USERS) ? true : m.includeTargets.length ? (groups ? m.includeTargets.some((t) => inGroup(t.id)) : null) : false;
    if (included === false)
      problems.push({
        status: 'fail',
        text: m.includeTargets.length
          ? `The method targets only the groups ${m.includeTargets.map((t) => t.id).join(', ')}, and the user is in none of them (AADSTS130501).`
          : 'The method targets nobody (includeTargets is empty) (AADSTS130501).',
      });
    else if (included === null) problems.push({ status: 'warn', text: `The method targets the groups ${m.includeTargets.map((t) => t.id).join(', ')}; whether the user is in one could not be told. ${PASTE.groups(a)}` });
    const excluded = m.excludeTargets.filter((t) => inGroup(t.id) === true || t.id.toLowerCase() === ALL_USERS);
    if (excluded.length) problems.push({ status: 'fail', text: `The user is in the excluded group ${excluded.map((t) => t.id).join(', ')} (AADSTS130501).` });
    else if (m.excludeTargets.length && !groups) problems.push({ status: 'warn', text: `The method excludes the groups ${m.excludeTargets.map((t) => t.id).join(', ')}; whether the user is in one could not be told. ${PASTE.groups(a)}` });
    if ((included === false || excluded.length) && groups) {
      const group = excluded[0]?.id ?? m.includeTargets.find((t) => t.id.toLowerCase() !== ALL_USERS)?.id;
      const upn = a.input.upn?.trim() || tenantOf(a)!.user?.userPrincipalName || '<user UPN>';
      if (group)
        remediation.push({
          text: excluded.length ? 'Take the user out of the excluded group (or remove the group from the method\'s exclusions):' : 'Add the user to a targeted group:',
          command: excluded.length
            ? `$user = Get-MgUser -UserId ${psQuote(upn)}\nRemove-MgGroupMemberByRef -GroupId ${psQuote(group)} -DirectoryObjectId $user.Id`
            : `$user = Get-MgUser -UserId ${psQuote(upn)}\nNew-MgGroupMember -GroupId ${psQuote(group)} -DirectoryObjectId $user.Id`,
        });
    }
    // CA scopes: a scope on the issuing CA's SKI lets only its groups use certificates from that CA.
    const issuing = chainCas(a)?.[0] ?? null;
    const issuerSki = issuing?.ski ?? userEntry(a)?.cert.aki?.keyId?.toLowerCase() ?? null;
    const scopes = issuerSki ? m.caScopes.filter((s) => s.ski === issuerSki) : [];
    let scope: { ski: string; groups: string[]; allowed: boolean | null } | null = null;
    if (scopes.length) {
      const ids = scopes.flatMap((s) => s.includeTargets.map((t) => t.id));
      const allowed = ids.some((id) => id.toLowerCase() === ALL_USERS) ? true : groups ? ids.some((id) => inGroup(id)) : null;
      scope = { ski: issuerSki!, groups: ids, allowed };
      if (allowed === false) {
        problems.push({ status: 'fail', text: `A CA scope limits certificates from the issuing CA (SKI ${issuerSki}) to the groups ${ids.join(', ')}, and the user is in none of them (AADSTS130501).` });
        const upn = a.input.upn?.trim() || tenantOf(a)!.user?.userPrincipalName || '<user UPN>';
        if (ids[0]) remediation.push({ text: 'Add the user to a group of the CA scope, or widen the scope in the method configuration:', command: `$user = Get-MgUser -UserId ${psQuote(upn)}\nNew-MgGroupMember -GroupId ${psQuote(ids[0])} -DirectoryObjectId $user.Id` });
      } else if (allowed === null) problems.push({ status: 'warn', text: `A CA scope limits the issuing CA (SKI ${issuerSki}) to the groups ${ids.join(', ')}; whether the user is in one could not be told. ${PASTE.groups(a)}` });
    }
    const status = worst(problems.map((p) => p.status), 'pass');
    const evidence = {
      source: m.source,
      ...(tenantOf(a)!.live ? { liveRead: { at: tenantOf(a)!.live!.at, calls: tenantOf(a)!.live!.calls } } : {}),
      shape: m.shape,
      state: m.state ?? m.stateRaw,
      includeTargets: m.includeTargets,
      excludeTargets: m.excludeTargets,
      userGroupsKnown: groups !== null,
      caScope: scope,
      caScopesConfigured: m.caScopes.length,
      problems,
    };
    if (status === 'pass')
      return {
        status,
        summary: `The certificate method${liveNote(a, 'method')} is enabled and applies to this user (${included === true && m.includeTargets.some((t) => t.id.toLowerCase() === ALL_USERS) ? 'all users' : 'through a targeted group'}${scope ? `; the CA scope of the issuing CA includes a group of the user` : ''}).`,
        evidence,
      };
    return { status, summary: problems.map((p) => p.text).join(' '), evidence, remediation };
  },
};
