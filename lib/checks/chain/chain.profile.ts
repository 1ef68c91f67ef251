import type { Remediation, Status } from '@/lib/report/schema';
import { lintPath, type Lint, type LintRule } from '@/lib/pki/chain/profile';
import { worst, type CheckDef } from '../types';
import { appliesToChain, certId } from './common';

const ENTRA_CRL_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificate-revocation-list';

/**
 * Entra ID builds chains by SKI/AKI and needs both in the PKI when CRLs are used (AADSTS500176 otherwise):
 * Entra CBA certificate revocation list page and the how-to (DOMAIN.md "Key identifiers", E-CRL, E-HOW).
 */
function statusOf(l: Lint, target: string): Status {
  if (target === 'entra' && l.rule === 'aki-missing' && l.role === 'user') return 'fail';
  if (target === 'entra' && l.rule === 'ski-missing' && l.role !== 'user') return 'fail';
  return 'warn';
}

const FIX: Partial<Record<LintRule, string>> = {
  'aki-missing': 'Re-issue the certificate from a CA whose template adds the authority key identifier (AD CS adds it by default; for OpenSSL set authorityKeyIdentifier=keyid,issuer).',
  'ski-missing': 'Re-issue the CA certificate with a subject key identifier (OpenSSL: subjectKeyIdentifier=hash); renew the CA certificate on AD CS.',
  'rsa-key-too-small': 'Renew the certificate with a new RSA key of at least 2048 bits (or an ECDSA P-256 key).',
  'sha1-signature': 'Re-issue the certificate signed with SHA-256 (AD CS: certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256, restart the CA service, then renew).',
};

export const chainProfile: CheckDef = {
  id: 'chain.profile',
  category: 'chain',
  title: 'Certificates of the path follow the certificate profile',
  description:
    'Lints every certificate of the built path against the RFC 5280 profile and current key and hash strength rules, in the manner of zlint: key identifiers, critical flags, serial numbers, duplicate or undecodable extensions, key sizes and curves, SHA-1. One finding per rule and certificate, with its section. Findings warn; for Entra ID a user certificate without AKI or a CA without SKI fails, because Entra matches issuers and CRLs by key identifier.',
  citation: 'RFC 5280 sections 4.1 and 4.2; Entra CBA certificate revocation list page (SKI and AKI needed when CRLs are used, AADSTS500176); RFC 5480 2.1.1; NIST SP 800-131A Rev. 2; CA/Browser Forum Baseline Requirements 6.1.5; zlint',
  reference: ENTRA_CRL_URL,
  needs: ['user', 'chain', 'realm'],
  applies: appliesToChain,
  run(a) {
    const chain = a.chain!;
    const lints = lintPath(chain.path, chain.complete);
    const findings = lints.map((l) => ({ ...l, status: statusOf(l, a.target) }));
    const certificates = chain.path.map((e) => {
      const mine = findings.filter((f) => f.ref === e.ref);
      return { ...certId(e), status: mine.length ? worst(mine.map((f) => f.status)) : 'pass', findings: mine.map(({ rule, section, message, status }) => ({ rule, section, message, status })) };
    });
    const evidence = { target: a.target, certificates, findings };
    if (!findings.length) return { status: 'pass', summary: `The ${chain.path.length} certificate(s) of the path follow the certificate profile.`, evidence };
    const status = worst(findings.map((f) => f.status));
    const shown = findings.slice(0, 3).map((f) => `"${f.subject}" (${f.role}): ${f.message} [${f.section}]`);
    const remediation: Remediation[] = [...new Set(findings.map((f) => FIX[f.rule]).filter((t): t is string => !!t))].map((text) => ({ text }));
    if (!remediation.length) remediation.push({ text: 'Re-issue the certificates named here from a CA whose templates follow RFC 5280; see each finding for the rule broken.' });
    if (findings.some((f) => f.fatal)) remediation.unshift({ text: 'The root itself breaks a rule that path validation cannot ignore (see chain.path): replace the root certificate with a proper CA certificate.' });
    return {
      status,
      summary: `${findings.length} profile finding(s) on the path. ${shown.join(' ')}${findings.length > 3 ? ` And ${findings.length - 3} more.` : ''}`,
      evidence,
      remediation,
    };
  },
};
