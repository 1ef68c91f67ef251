import type { Remediation } from '@/lib/report/schema';
import type { PathError, PathRule } from '@/lib/pki/chain/types';
import type { CheckDef } from '../types';
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

function fixFor(rule: PathRule, errors: PathError[]): Remediation {
  const who = [...new Set(errors.map((e) => `"${e.subject}"`))].join(', ');
  switch (rule) {
    case 'signature':
      return { text: `The signature of ${who} does not verify with its issuer's key: the certificate was altered, or the CA certificate given is not the one that signed it (for example an older CA certificate with another key). Upload the genuine issuing CA certificate, or re-issue the certificate.` };
    case 'algorithm-mismatch':
      return { text: `${who} is malformed (two different signature algorithms); re-issue it from the CA.` };
    case 'validity':
      return {
        text: `${who} is outside its validity period. Renew the CA certificate on that CA (keeping or replacing its key), publish the new CA certificate to AD FS/WAP servers and Entra ID, and renew the user certificate if it is the one that expired. To renew a CA certificate on AD CS:`,
        command: 'certutil -renewCert ReuseKeys',
      };
    case 'name-chaining':
      return { text: `The issuer name in ${who} differs from the subject of the CA certificate that signed it. Upload the CA certificate whose subject is exactly that issuer name.` };
    case 'basic-constraints':
      return { text: `${who} signed another certificate but is not a CA certificate (no basic constraints with cA=TRUE). Check that the right CA certificate was uploaded; a certificate issued by a non-CA certificate is never trusted and must be re-issued from a real CA.` };
    case 'path-length':
      return { text: `The hierarchy is deeper than a CA allows (pathLenConstraint). Issue the certificates from a CA higher up, or re-issue the constraining CA certificate with a larger path length.` };
    case 'key-usage':
      return { text: `${who} has a key usage extension without keyCertSign, so it may not sign certificates. Re-issue that CA certificate with keyCertSign and cRLSign.` };
    case 'name-constraints':
      return { text: `A name in ${who} is outside what a CA above it allows (name constraints). Issue the certificate with names inside the permitted namespaces, or change the constraints on the CA certificate.` };
    case 'critical-extension':
      return { text: `${who} carries a critical extension that validators do not know, so they must reject it. Re-issue it without that extension, or mark it non-critical.` };
    case 'trust-anchor':
      return { text: 'The path does not reach a self-signed root (see chain.build): upload the missing CA certificates.' };
  }
}

export const chainPath: CheckDef = {
  id: 'chain.path',
  category: 'chain',
  title: 'Certificate path is valid (RFC 5280)',
  description:
    'The built path is validated the way Windows and Entra ID do at sign-in: every signature, the validity period of every certificate, issuer and subject names that chain, CA certificates that are CAs (basic constraints, path length, keyCertSign), name constraints, and no unknown critical extension. Certificate policies are not evaluated.',
  citation: 'RFC 5280 section 6.1 (basic path validation); conformance tested with NIST PKITS',
  reference: RFC5280_URL,
  needs: ['user', 'chain'],
  applies: appliesToChain,
  run(a) {
    const chain = a.chain!;
    const v = chain.validation ?? { valid: false, errors: [] };
    const certificates = chain.path.map((e) => {
      const errs = v.errors.filter((x) => x.ref === e.ref);
      return { ...certId(e), status: errs.length ? 'fail' : 'pass', errors: errs.map((x) => ({ rule: x.rule, message: x.message })) };
    });
    const evidence = { evaluatedAt: a.ctx.now.toISOString(), complete: chain.complete, certificates, errors: v.errors };
    if (v.valid && chain.complete) {
      return { status: 'pass', summary: `The path of ${chain.path.length} certificate(s) is valid at ${a.ctx.now.toISOString()}: signatures, validity periods, CA constraints and names all check out.`, evidence };
    }
    const byRule = new Map<PathRule, PathError[]>();
    for (const e of v.errors) byRule.set(e.rule, [...(byRule.get(e.rule) ?? []), e]);
    const remediation: Remediation[] = [...byRule.entries()].map(([rule, errs]) => fixFor(rule, errs));
    remediation.push({ text: 'Check the same path on a Windows machine (shows every chain error Windows sees):', command: `certutil -verify -urlfetch ${fileOf(chain.path[0])}` });
    const shown = v.errors.slice(0, 3).map((e) => `"${e.subject}" breaks the ${RULE_TEXT[e.rule]} rule: ${e.message}`);
    return {
      status: 'fail',
      summary: `The path is not valid (${v.errors.length} problem${v.errors.length === 1 ? '' : 's'}). ${shown.join(' ')}${v.errors.length > 3 ? ` And ${v.errors.length - 3} more.` : ''}${(chain.tried ?? 1) > 1 ? ` ${chain.tried! - 1} other candidate path(s) were tried and none is valid; this one has the fewest problems.` : ''}`,
      evidence,
      remediation,
    };
  },
};
