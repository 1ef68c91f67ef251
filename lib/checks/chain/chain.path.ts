import type { Remediation } from '@/lib/report/schema';
import type { ChainResult, PathError, PathRule } from '@/lib/pki/chain/types';
import type { CertEntry } from '@/lib/pki/types';
import type { CheckDef, Prerequisite } from '../types';
import { appliesToChain, certId, fileOf, RFC5280_URL } from './common';

const RULE_TEXT: Record<PathRule, string> = {
  signature: 'signature',
  'algorithm-mismatch': 'signature algorithm consistency',
  validity: 'validity period',
  'name-chaining': 'issuer name chaining',
  'basic-constraints': 'basic constraints (CA flag)',
  'path-length': 'path length constraint',
  'key-usage': 'CA key usage (keyCertSign)',
  'name-constraints': 'name constraints',
  'critical-extension': 'unknown critical extension',
  'trust-anchor': 'trusted root',
};

/**
 * Findings about the user certificate itself that a cert.* check (or crl.* for revocation) already reports:
 * chain.path names them and leaves the verdict to that check, so one cause is one failure. Keyed by rule name as
 * a string, so rules the chain engine may add (EKU, key strength, revocation) can be listed before they exist.
 */
export const LEFT_TO_OTHER_CHECKS: Readonly<Record<string, string>> = {
  validity: 'cert.validity',
  'key-usage': 'cert.key-usage',
  eku: 'cert.eku',
  'key-strength': 'cert.key',
  revocation: 'crl.revocation',
  revoked: 'crl.revocation',
  crl: 'crl.revocation',
};

export type CertRole = 'user' | 'intermediate' | 'root';

export function roleOf(chain: ChainResult, ref: string): CertRole {
  const i = chain.path.findIndex((e) => e.ref === ref);
  if (i === 0) return 'user';
  return i === chain.path.length - 1 && chain.complete ? 'root' : 'intermediate';
}

const ROLE_NAME: Record<CertRole, string> = { user: 'user certificate', intermediate: 'intermediate CA certificate', root: 'root CA certificate' };

/** "the intermediate CA certificate "CN=Contoso Issuing CA"": every fix names the certificate's role and subject. */
export function named(chain: ChainResult, ref: string, subject: string): string {
  return `the ${ROLE_NAME[roleOf(chain, ref)]} "${subject}"`;
}

/** What to do once the certificate itself has been replaced, per role. */
function renewal(chain: ChainResult, e: PathError, why: string, user: CertEntry): Remediation {
  const role = roleOf(chain, e.ref);
  if (role === 'user')
    return {
      text: `${cap(named(chain, e.ref, e.subject))} ${why}: re-enroll it on the user's device from its certificate template (Certificates console: Personal > Certificates > All Tasks > Request New Certificate), then use the new certificate on every device the user signs in from. Check it with:`,
      command: `certutil -verify -urlfetch ${fileOf(user)}`,
    };
  const parent = role === 'root' ? 'the root CA itself (a new self-signed root)' : 'its parent CA';
  return {
    text: `${cap(named(chain, e.ref, e.subject))} ${why}: renew it on that CA (the renewal request goes to ${parent}), then republish the new CA certificate to the stores (${role === 'root' ? 'Trusted Root Certification Authorities' : 'Intermediate Certification Authorities'} and NTAuth on the AD FS/WAP servers and devices) and to the tenant's trusted certificate authorities in Entra ID. On the AD CS CA:`,
    command: 'certutil -renewCert ReuseKeys',
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function fixFor(chain: ChainResult, e: PathError, user: CertEntry): Remediation {
  const it = named(chain, e.ref, e.subject);
  switch (e.rule) {
    case 'signature':
      return roleOf(chain, e.ref) === 'root'
        ? renewal(chain, e, 'has a self-signature that does not verify', user)
        : { text: `The signature of ${it} does not verify with its issuer's key: it was altered, or the issuing CA certificate given is not the one that signed it (for example an older CA certificate with another key). Upload the genuine issuing CA certificate; if it is genuine, the certificate must be issued again (${roleOf(chain, e.ref) === 'user' ? "re-enroll it on the user's device from its template" : 'renew it on its parent CA and republish it to the stores and the tenant'}).` };
    case 'algorithm-mismatch':
      return renewal(chain, e, 'is malformed (two different signature algorithms)', user);
    case 'validity':
      return renewal(chain, e, 'is outside its validity period', user);
    case 'name-chaining':
      return { text: `The issuer name in ${it} differs from the subject of the CA certificate that signed it. Upload the CA certificate whose subject is exactly that issuer name.` };
    case 'basic-constraints':
      return renewal(chain, e, 'signed another certificate but is not a CA certificate (no basic constraints with cA=TRUE); a certificate issued by it is never trusted. Check that the right CA certificate was uploaded. Otherwise, issue it again as a CA certificate and re-issue what it signed', user);
    case 'path-length':
      return { text: `${cap(it)} is one CA too many below a CA whose path length constraint (pathLenConstraint) forbids it. Issue the certificates from a CA higher up, or renew the constraining CA certificate on its parent CA with a larger path length and republish it to the stores and the tenant.` };
    case 'key-usage':
      return renewal(chain, e, 'has a key usage extension without keyCertSign, so it may not sign certificates; it needs keyCertSign and cRLSign', user);
    case 'name-constraints':
      return roleOf(chain, e.ref) === 'user'
        ? { text: `A name in ${it} is outside what a CA above it allows (name constraints). Re-enroll the user certificate on the user's device from a template whose names (UPN, e-mail, DNS) fall inside the permitted namespaces, or renew the constraining CA certificate with wider constraints and republish it to the stores and the tenant.` }
        : renewal(chain, e, 'is outside the names a CA above it allows (name constraints)', user);
    case 'critical-extension':
      return renewal(chain, e, 'carries a critical extension that validators do not know, so they must reject it; issue it without that extension, or with it non-critical', user);
    case 'trust-anchor':
      return { text: 'The path does not reach a self-signed root (see chain.build): upload the missing CA certificates.' };
  }
}

/** A path that does not reach a root is chain.build's finding; chain.path has nothing more to say about it. */
const AFTER_BUILD: Prerequisite = {
  check: 'chain.build',
  explains: ({ a, part }) => {
    const chain = a.chain;
    if (!chain || chain.complete || (part && !part.key.endsWith(':trust-anchor'))) return undefined;
    const top = chain.path[chain.path.length - 1];
    return `the path stops at "${top?.cert.subject.display}", whose issuer "${chain.missing?.issuer ?? top?.cert.issuer.display}" was not found`;
  },
};

export const chainPath: CheckDef = {
  id: 'chain.path',
  category: 'chain',
  title: 'Certificate path is valid (RFC 5280)',
  description:
    'The built path is validated the way Windows and Entra ID do at sign-in: every signature and issuer-to-subject link, the validity period of every CA certificate, CA certificates that are CAs (basic constraints, path length, keyCertSign), name constraints, and no unknown critical extension. Findings about the user certificate alone (its validity, key usage, EKU, key strength, revocation) are named here but judged by the cert.* and crl.* checks, so one cause is one failure. Certificate policies are not evaluated.',
  citation: 'RFC 5280 section 6.1 (basic path validation); conformance tested with NIST PKITS',
  reference: RFC5280_URL,
  needs: ['user', 'chain'],
  applies: appliesToChain,
  prerequisites: [AFTER_BUILD],
  run(a) {
    const chain = a.chain!;
    const v = chain.validation ?? { valid: false, errors: [] };
    const userRef = chain.path[0]?.ref;
    // User-certificate findings another check owns; everything else (CA rules, links) is judged here.
    const leftTo = (e: PathError) => (e.ref === userRef ? LEFT_TO_OTHER_CHECKS[e.rule] : undefined);
    const left = v.errors.filter(leftTo);
    const own = v.errors.filter((e) => !leftTo(e));
    const certificates = chain.path.map((e) => {
      const errs = v.errors.filter((x) => x.ref === e.ref);
      const mine = errs.filter((x) => !leftTo(x));
      return {
        ...certId(e),
        role: roleOf(chain, e.ref),
        status: mine.length ? 'fail' : 'pass',
        errors: mine.map((x) => ({ rule: x.rule, message: x.message })),
        leftToOtherChecks: errs.filter(leftTo).map((x) => ({ rule: x.rule, message: x.message, check: leftTo(x)! })),
      };
    });
    const leftToEvidence = left.map((e) => ({ ref: e.ref, subject: e.subject, rule: e.rule, message: e.message, check: leftTo(e)! }));
    const evidence = { evaluatedAt: a.ctx.now.toISOString(), complete: chain.complete, certificates, errors: own, leftToOtherChecks: leftToEvidence };
    const note = left.length
      ? ` Left to other checks: ${left.map((e) => `${named(chain, e.ref, e.subject)} breaks the ${RULE_TEXT[e.rule as PathRule] ?? e.rule} rule (${leftTo(e)})`).join('; ')}.`
      : '';
    if (!own.length && chain.complete) {
      return {
        status: 'pass',
        summary: `The path of ${chain.path.length} certificate(s) is valid at ${a.ctx.now.toISOString()} as far as the CAs and the links between certificates go: signatures, CA validity periods, CA constraints and names all check out.${note}`,
        evidence,
      };
    }
    const user = chain.path[0];
    const seen = new Set<string>();
    const remediation: Remediation[] = [];
    for (const e of own) {
      const fix = fixFor(chain, e, user);
      if (seen.has(fix.text)) continue;
      seen.add(fix.text);
      remediation.push(fix);
    }
    remediation.push({ text: 'Check the same path on a Windows machine (shows every chain error Windows sees):', command: `certutil -verify -urlfetch ${fileOf(user)}` });
    const shown = own.slice(0, 3).map((e) => `${cap(named(chain, e.ref, e.subject))} breaks the ${RULE_TEXT[e.rule]} rule: ${e.message}`);
    return {
      status: 'fail',
      summary: `The path is not valid (${own.length} problem${own.length === 1 ? '' : 's'}). ${shown.join(' ')}${own.length > 3 ? ` And ${own.length - 3} more.` : ''}${note}${(chain.tried ?? 1) > 1 ? ` ${chain.tried! - 1} other candidate path(s) were tried and none is valid; this one has the fewest problems.` : ''}`,
      evidence,
      remediation,
      parts: own.map((e) => ({ key: `${e.ref}:${e.rule}`, status: 'fail' as const, reason: `${e.subject}: ${RULE_TEXT[e.rule]}` })),
    };
  },
};
