import type { CheckDef } from '../types';
import { appliesToUser, certRef, userEntry } from '../cert/common';
import { authMode } from '@/lib/entra/auth-mode';
import { E_HOW, PASTE, tenantOf } from './common';

export const entraAuthStrength: CheckDef = {
  id: 'entra.auth-strength',
  category: 'entra',
  title: 'Authentication mode and affinity for this certificate',
  description:
    'The method\'s authentication binding rules decide, by issuer and policy OID of the user certificate, whether a certificate sign-in counts as single-factor or multifactor and which affinity the username binding must have. A policy OID rule written in any form other than the dotted one never matches.',
  citation: 'Graph x509CertificateAuthenticationModeConfiguration / x509CertificateRule; Entra CBA how-to (authentication binding policy) and technical deep dive (rule precedence)',
  reference: E_HOW,
  needs: ['entra', 'user'],
  applies(a) {
    const u = appliesToUser(a);
    if (u !== true) return u;
    return tenantOf(a)?.method ? true : PASTE.method();
  },
  run(a) {
    const e = userEntry(a)!;
    const r = authMode(e.cert, tenantOf(a)!.method!);
    const broken = r.rules.filter((x) => x.broken);
    const evidence = {
      certificate: certRef(e),
      issuer: r.issuer,
      policyOids: r.policyOids,
      mode: r.mode,
      modeFrom: r.modeFrom,
      requiredAffinity: r.requiredAffinity,
      affinityFrom: r.affinityFrom,
      decidedBy: r.decidedBy,
      rules: r.rules.map((x) => ({ ...x.rule, matches: x.matches, ...(x.broken ? { broken: x.broken } : {}) })),
    };
    const by = r.decidedBy.length ? `the ${r.decidedBy[0].type} rule ${r.decidedBy.map((d) => d.identifier ?? d.policyOid ?? d.issuerSubject).join(', ')}` : r.modeFrom === 'default' ? 'the tenant default' : "Entra's built-in default (no default set)";
    const what = `This certificate signs in as ${r.mode === 'multiFactor' ? 'multifactor' : 'single-factor'} (from ${by}), with ${r.requiredAffinity} affinity required.`;
    const sf = r.mode === 'singleFactor' ? ' A single-factor certificate sign-in does not satisfy a Conditional Access policy that requires MFA: the user is asked for a second factor, and without one registered the sign-in stops.' : '';
    if (broken.length)
      return {
        status: 'warn',
        summary: `${what}${sf} ${broken.map((b) => `Rule ${b.rule.identifier ?? b.rule.policyOid ?? '(no identifier)'}: ${b.broken}.`).join(' ')}`,
        evidence,
        remediation: [{ text: 'Rewrite each policy OID rule with the dotted OID as it appears in the certificate (certutil -dump user.cer shows it under Certificate Policies, "Policy Identifier="), in the Entra admin center > Certificate-based authentication > Configure > Authentication binding.' }],
      };
    return { status: r.mode === 'multiFactor' ? 'pass' : 'info', summary: `${what}${sf}`, evidence };
  },
};
