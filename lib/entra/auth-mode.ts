// Which authentication mode (single- or multifactor) and which required affinity apply to a certificate,
// from the method's authenticationModeConfiguration (Graph x509CertificateRule; Entra CBA technical deep
// dive, "authentication binding policy"): rules naming both the issuer and a policy OID come first, then
// policy OID rules, then issuer rules, then the tenant default; among rules of the same kind that match,
// multifactor wins, and high affinity wins over low.
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificatePolicies } from '@peculiar/asn1-x509';
import type { Cert } from '@/lib/pki/cert';
import type { Affinity, AuthMode, AuthModeRule, X509MethodConfig } from './types';

/** The certificate's policy OIDs (certificatePolicies, 2.5.29.32); [] when it has none or the extension is unreadable. */
export function policyOids(cert: Cert): string[] {
  const ext = cert.extensions.find((e) => e.oid === '2.5.29.32');
  if (!ext) return [];
  try {
    return AsnConvert.parse(ext.value, CertificatePolicies).map((p) => p.policyIdentifier);
  } catch {
    return [];
  }
}

const DOTTED = /^\d+(\.\d+)+$/;
export const isDottedOid = (s: string) => DOTTED.test(s.trim());

/** RDNs of a DN as lower-cased "type=value" strings, spaces around separators dropped. */
function rdns(dn: string): string[] {
  return dn
    .split(/,(?=\s*[A-Za-z][\w.]*\s*=)/)
    .map((r) => r.trim().replace(/\s*=\s*/, '=').replace(/"/g, '').toLowerCase())
    .filter(Boolean);
}

/** Issuer names as people write them: in either RDN order, case and spaces ignored. */
export function sameIssuer(written: string, dn: string): boolean {
  const a = rdns(written);
  const b = rdns(dn);
  if (!a.length || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]) || a.every((x, i) => x === b[b.length - 1 - i]);
}

export interface RuleMatch {
  rule: AuthModeRule;
  matches: boolean;
  /** Why a rule can never match (a policy OID that is not dotted...). */
  broken?: string;
}

export interface AuthModeResult {
  mode: AuthMode;
  modeFrom: 'rule' | 'default' | 'built-in default';
  requiredAffinity: Affinity;
  affinityFrom: 'rule' | 'default' | 'built-in default';
  /** The rules that decided (all matching rules of the winning kind). */
  decidedBy: AuthModeRule[];
  rules: RuleMatch[];
  issuer: string;
  policyOids: string[];
}

function evaluateRule(r: AuthModeRule, issuer: string, oids: string[]): RuleMatch {
  const t = r.type.toLowerCase();
  const oidOf = (v: string | null) => (v ?? '').trim();
  if (t === 'issuersubject') {
    const id = r.issuerSubject ?? r.identifier ?? '';
    return { rule: r, matches: !!id && sameIssuer(id, issuer) };
  }
  if (t === 'policyoid') {
    const id = oidOf(r.policyOid ?? r.identifier);
    if (!isDottedOid(id)) return { rule: r, matches: false, broken: `the policy OID "${id}" is not in dotted form (like 1.3.6.1.4.1.311.21.8.1), so it never matches a certificate` };
    return { rule: r, matches: oids.includes(id) };
  }
  if (t === 'issuersubjectandpolicyoid') {
    const id = oidOf(r.policyOid);
    const iss = r.issuerSubject ?? '';
    if (!isDottedOid(id)) return { rule: r, matches: false, broken: `the policy OID "${id}" is not in dotted form, so the rule never matches` };
    return { rule: r, matches: !!iss && sameIssuer(iss, issuer) && oids.includes(id) };
  }
  return { rule: r, matches: false, broken: `the rule type "${r.type}" is not one CBA Doctor knows` };
}

const TIERS = ['issuersubjectandpolicyoid', 'policyoid', 'issuersubject'];

export function authMode(cert: Cert, m: X509MethodConfig): AuthModeResult {
  const issuer = cert.issuer.display;
  const oids = policyOids(cert);
  const rules = m.rules.map((r) => evaluateRule(r, issuer, oids));
  let decidedBy: AuthModeRule[] = [];
  for (const tier of TIERS) {
    const hit = rules.filter((x) => x.matches && x.rule.type.toLowerCase() === tier).map((x) => x.rule);
    if (hit.length) {
      decidedBy = hit;
      break;
    }
  }
  const ruleMode = decidedBy.length ? (decidedBy.some((r) => r.mode === 'multiFactor') ? 'multiFactor' : decidedBy.some((r) => r.mode === 'singleFactor') ? 'singleFactor' : null) : null;
  const ruleAffinity = decidedBy.some((r) => r.requiredAffinity === 'high') ? 'high' : decidedBy.some((r) => r.requiredAffinity === 'low') ? 'low' : null;
  return {
    // Entra's documented defaults: single-factor, low affinity.
    mode: ruleMode ?? m.defaultMode ?? 'singleFactor',
    modeFrom: ruleMode ? 'rule' : m.defaultMode ? 'default' : 'built-in default',
    requiredAffinity: ruleAffinity ?? m.defaultRequiredAffinity ?? 'low',
    affinityFrom: ruleAffinity ? 'rule' : m.defaultRequiredAffinity ? 'default' : 'built-in default',
    decidedBy,
    rules,
    issuer,
    policyOids: oids,
  };
}
