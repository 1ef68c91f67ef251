import { psLiteral } from '@/lib/commands/powershell';
import type { CheckDef, Outcome } from '../types';
import type { Remediation } from '@/lib/report/schema';
import type { ClaimRule, ClaimRuleSet, ClaimTrust, PasteBlockOf } from '@/lib/paste/types';
import { blocksOf, lineAt, origin, pasted, sourceOf } from './common';

/**
 * The command appending rules to a trust. The trust name comes from a paste: it enters as a literal, and so do the
 * rules (a single-quoted literal may span lines; a here-string would end at any pasted line starting with '@).
 */
export function addRulesCommand(t: { get: string; set: string; property: string }, name: string | undefined, rules: string): string {
  const n = psLiteral(name ?? '<trust name>');
  return `$rules = ${psLiteral(rules)}\n$trust = ${t.get} -Name ${n}\n${t.set} -TargetName ${n} -${t.property} ($trust.${t.property} + "\`n" + $rules)`;
}

export const SERIAL_CLAIM = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber';
export const ISSUER_CLAIM = 'http://schemas.microsoft.com/2012/12/certificatecontext/field/issuer';
const CLAIMS = [
  { key: 'serialnumber', type: SERIAL_CLAIM, ruleName: 'Pass through certificate serial number' },
  { key: 'issuer', type: ISSUER_CLAIM, ruleName: 'Pass through certificate issuer' },
] as const;
const TRUSTS = [
  { trust: 'claims-provider', label: 'Active Directory claims provider trust', defaultName: 'Active Directory', property: 'AcceptanceTransformRules', get: 'Get-AdfsClaimsProviderTrust', set: 'Set-AdfsClaimsProviderTrust' },
  { trust: 'relying-party', label: 'Office 365 relying party trust', defaultName: 'Microsoft Office 365 Identity Platform', property: 'IssuanceTransformRules', get: 'Get-AdfsRelyingPartyTrust', set: 'Set-AdfsRelyingPartyTrust' },
] as const;

type Found = { set: ClaimRuleSet; block: PasteBlockOf<'claim-rules'>; rule?: ClaimRule };

function passes(set: ClaimRuleSet, type: string): ClaimRule | undefined {
  return set.rules.find((r) => r.passThrough?.toLowerCase() === type.toLowerCase());
}

function rulesText(claims: readonly (typeof CLAIMS)[number][]): string {
  return claims.map((c) => `@RuleTemplate = "PassThroughClaims"\n@RuleName = "${c.ruleName}"\nc:[Type == "${c.type}"]\n => issue(claim = c);`).join('\n\n');
}

export const configClaimRules: CheckDef = {
  id: 'config.claim-rules',
  category: 'config',
  title: 'Certificate claims pass through AD FS',
  description:
    'With the certificate\'s serial number and issuer in the AD FS token, Entra ID records them with the refresh token, so that revoking the certificate also revokes refresh tokens issued from it. Sign-in itself does not depend on these claims. AD FS only sends them if both are passed through twice: accepted from the Active Directory claims provider trust and issued by the Office 365 relying party trust.',
  citation: 'KB 4032987 (Determine if the ADFS and Web Application Proxy configurations are configured correctly, step 4); Microsoft Entra CBA with federation on iOS (the claims let Entra ID check revocation when a refresh token is used); CHECKS.md config.claim-rules',
  sources: [
    { key: 'KB', url: 'https://learn.microsoft.com/troubleshoot/azure/active-directory/certificate-based-authenticate-issue', says: 'pass through serialnumber and issuer on both trusts' },
    { key: 'E-IOS', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/certificate-based-authentication-federation-ios', says: 'Entra ID adds these claims to the refresh token and uses them to check revocation' },
  ],
  reference: 'https://learn.microsoft.com/troubleshoot/azure/active-directory/certificate-based-authenticate-issue',
  needs: ['paste'],
  applies: pasted('claim-rules'),
  run(a): Outcome {
    const all: Found[] = blocksOf(a, 'claim-rules').flatMap((block) => block.data.sets.map((set) => ({ set, block })));
    const items = TRUSTS.flatMap((t) => {
      const sets = all.filter((f) => f.set.trust === t.trust);
      return CLAIMS.map((c) => {
        const hit = sets.map((f) => ({ ...f, rule: passes(f.set, c.type) })).find((f) => f.rule);
        return { t, c, pasted: sets.length > 0, hit, trustName: sets.find((s) => s.set.trustName)?.set.trustName ?? t.defaultName };
      });
    });
    const missing = items.filter((i) => i.pasted && !i.hit);
    const notPasted = TRUSTS.filter((t) => !all.some((f) => f.set.trust === t.trust));
    const unknownSets = all.filter((f) => f.set.trust === 'unknown');
    const evidence = {
      ruleSets: all.map((f) => ({
        ...origin(f.block),
        trust: f.set.trust,
        trustName: f.set.trustName,
        trustFrom: f.set.trustFrom,
        rules: f.set.rules.length,
        passThrough: CLAIMS.map((c) => {
          const r = passes(f.set, c.type);
          return { claim: c.type, line: r?.line ?? null, rule: r?.name ?? null };
        }),
      })),
      required: items.map((i) => ({
        trust: i.t.trust as ClaimTrust,
        claim: i.c.type,
        status: !i.pasted ? 'not pasted' : i.hit ? 'pass' : 'fail',
        source: i.hit ? sourceOf(i.hit.block) : null,
        line: i.hit?.rule?.line ?? null,
        rule: i.hit?.rule?.text ?? null,
      })),
    };
    const seen = items.filter((i) => i.hit).map((i) => `${i.c.key} on the ${i.t.label} (${lineAt(i.hit!.rule!.line, i.hit!.block)})`);
    if (missing.length) {
      const byTrust = TRUSTS.map((t) => ({ t, claims: missing.filter((m) => m.t.trust === t.trust) })).filter((x) => x.claims.length);
      const remediation: Remediation[] = byTrust.map(({ t, claims }) => {
        const name = claims[0].trustName;
        return {
          text: `Add pass-through rules for ${claims.map((m) => m.c.key).join(' and ')} to the ${t.label} "${name}" (on the primary AD FS server; the command keeps the existing rules):`,
          command: addRulesCommand(t, name, rulesText(claims.map((m) => m.c))),
        };
      });
      // A warning: sign-in works without these claims; what is lost is revoking refresh tokens with the certificate.
      return {
        status: 'warn',
        summary: `Missing pass-through ${missing.length === 1 ? 'rule' : 'rules'}: ${missing.map((m) => `${m.c.key} (${m.c.type}) on the ${m.t.label}`).join('; ')}. Sign-in still works, but Entra ID cannot revoke the refresh tokens of a certificate that is revoked later.${seen.length ? ` Present: ${seen.join('; ')}.` : ''}`,
        evidence,
        remediation,
      };
    }
    if (notPasted.length) {
      const unk = unknownSets.length ? ` ${unknownSets.length} pasted rule set(s) could not be tied to a trust (paste them with the command lines so CBA Doctor can tell which trust they belong to).` : '';
      return {
        status: 'info',
        summary: `${seen.length ? `Passed through: ${seen.join('; ')}. ` : ''}The rules of the ${notPasted.map((t) => t.label).join(' and ')} were not pasted, so they could not be checked.${unk}`,
        evidence,
      };
    }
    return { status: 'pass', summary: `Serial number and issuer are passed through on both trusts: ${seen.join('; ')}.`, evidence };
  },
};
