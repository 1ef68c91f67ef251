import type { Remediation } from '@/lib/report/schema';
import type { CheckDef } from '../types';
import { appliesToUser, certRef, psQuote, userEntry } from '../cert/common';
import { authMode } from '@/lib/entra/auth-mode';
import { simulateBinding, type BindingStep } from '@/lib/entra/binding';
import { E_DD, PASTE, liveMiss, liveNote, tenantOf } from './common';

const describe = (s: BindingStep) => `${s.field} → ${s.userProperty} (priority ${s.priority}, ${s.affinity} affinity)`;

/** The certificateUserIds value of a binding that maps a field to certificateUserIds. */
function userIdFix(upn: string, value: string): Remediation {
  return {
    text: `Add the certificate's value to the user's certificateUserIds (existing values are kept; synchronized users get it through Entra Connect instead):`,
    command: [
      "Connect-MgGraph -Scopes 'User.ReadWrite.All'",
      `$user = Get-MgUser -UserId ${psQuote(upn)} -Property Id,AuthorizationInfo`,
      `$ids = @($user.AuthorizationInfo.CertificateUserIds | Where-Object { $_ }) + ${psQuote(value)}`,
      'Update-MgUser -UserId $user.Id -AuthorizationInfo @{ certificateUserIds = $ids }',
    ].join('\n'),
  };
}

export const entraUserBinding: CheckDef = {
  id: 'entra.user-binding',
  category: 'entra',
  title: 'Username binding maps the certificate to this user',
  description:
    'Entra ID finds the account for a certificate through the username bindings of the certificate method, tried in priority order: each renders a certificate field (principal name, RFC822 name, SKI, SHA1 public key, issuer and serial number, issuer and subject, subject) and looks for a user whose property (userPrincipalName, onPremisesUserPrincipalName or certificateUserIds) holds that value; the first binding that finds a user wins. Low-affinity bindings are not used when high affinity is required. This check replays that against the pasted user.',
  citation: 'Entra CBA technical deep dive (username binding, affinity); Graph x509CertificateUserBinding; Entra certificateUserIds formats',
  reference: E_DD,
  needs: ['entra', 'user'],
  applies(a) {
    const u = appliesToUser(a);
    if (u !== true) return u;
    const t = tenantOf(a);
    if (!t?.method && !t?.user && !t?.live?.userNotFound) return `${liveMiss(a, 'method')}${PASTE.method()} ${PASTE.user(a)}`;
    if (!t.method) return `${liveMiss(a, 'method')}${PASTE.method()}`;
    if (!t.user && !t.live?.userNotFound) return `${liveMiss(a, 'user')}${PASTE.user(a)}`;
    return true;
  },
  run(a) {
    const t = tenantOf(a)!;
    const e = userEntry(a)!;
    if (!t.user)
      return {
        status: 'fail',
        summary: `Microsoft Graph has no user ${a.input.upn?.trim() ?? ''} in the tenant (404), so no binding can map the certificate to it (AADSTS50034). Check the address the user signs in with.`,
        evidence: { certificate: certRef(e), userFound: false, liveRead: t.live ? { at: t.live.at } : null },
      };
    const user = t.user;
    // A live read stores only what the verdict needs: the user's other certificateUserIds values are left out.
    const live = t.sources?.user === 'graph';
    const mode = authMode(e.cert, t.method!);
    const sim = simulateBinding(e.cert, user, t.method!.bindings, mode.requiredAffinity);
    const upn = user.userPrincipalName ?? a.input.upn?.trim() ?? '<user UPN>';
    const evidence = {
      certificate: certRef(e),
      user: { userPrincipalName: user.userPrincipalName, onPremisesUserPrincipalName: user.onPremisesUserPrincipalName, certificateUserIdsCount: user.certificateUserIds?.length ?? null, source: user.source },
      bindings: sim.bindings,
      requiredAffinity: sim.requiredAffinity,
      requiredAffinityFrom: mode.affinityFrom,
      steps: live ? sim.steps.map((x) => ({ ...x, userValues: x.outcome === 'match' && x.value ? [x.value] : [] })) : sim.steps,
      matched: sim.matched && live ? { ...sim.matched, userValues: sim.matched.value ? [sim.matched.value] : [] } : sim.matched,
      droppedMatch: sim.droppedMatch && live ? { ...sim.droppedMatch, userValues: [] } : sim.droppedMatch,
      otherAccount: live ? sim.otherAccount.map((x) => ({ ...x, userValues: [] })) : sim.otherAccount,
      userSource: t.sources?.user ?? user.source,
    };
    const notes = sim.steps.filter((s) => s.note && s.outcome === 'no-match').map((s) => `${s.field}: ${s.note}`);
    const defaults = sim.bindings === 'default' ? ' (the policy lists no bindings, so the documented defaults were used)' : '';
    const highValue = sim.steps.find((s) => s.affinity === 'high' && s.userProperty.toLowerCase() === 'certificateuserids' && s.value);
    if (sim.matched) {
      const m = sim.matched;
      const others = sim.otherAccount.map((s) => `${describe(s)} gives ${s.value}, which is not this user's ${s.userProperty} (${s.userValues[0] ?? 'empty'})`);
      const summary = `${describe(m)} matches${m.value ? `: ${m.value}` : ''}${defaults}${liveNote(a, 'user')}.`;
      if (others.length)
        return {
          status: 'warn',
          summary: `${summary} But an earlier binding comes first: ${others.join('; ')}. If another account holds that value, Entra ID signs in as that account instead.`,
          evidence,
        };
      if (m.affinity === 'low')
        return {
          status: 'warn',
          summary: `${summary} Only a low-affinity binding matches: anyone holding another certificate with the same ${m.field} value from a trusted CA maps to this user. Prefer a high-affinity binding (SKI, SHA1 public key, issuer and serial number).`,
          evidence,
          remediation: highValue?.value ? [userIdFix(upn, highValue.value)] : [],
        };
      return { status: 'pass', summary, evidence };
    }
    const remediation: Remediation[] = [];
    if (highValue?.value) remediation.push(userIdFix(upn, highValue.value));
    if (sim.droppedMatch)
      return {
        status: 'fail',
        summary: `High affinity is required (${mode.affinityFrom === 'rule' ? 'by a rule that matches this certificate' : 'by the tenant default'}), and only the low-affinity binding ${describe(sim.droppedMatch)} matches, so Entra ID finds no user (AADSTS1001003).${notes.length ? ` ${notes.join('; ')}.` : ''}`,
        evidence,
        remediation,
      };
    const differs = sim.steps.filter((s) => s.outcome === 'no-match' && s.value && s.userProperty.toLowerCase() !== 'certificateuserids');
    return {
      status: 'fail',
      summary: `No username binding maps this certificate to ${upn}${defaults} (AADSTS50034 / AADSTS1001003).${differs.length ? ` The certificate gives ${differs.map((s) => `${s.field} ${s.value}, not this user's ${s.userProperty} (${s.userValues[0] ?? 'empty'})`).join('; ')}.` : ''}${notes.length ? ` ${notes.join('; ')}.` : ''}`,
      evidence,
      remediation,
    };
  },
};
