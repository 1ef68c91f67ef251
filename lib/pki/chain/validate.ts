// RFC 5280 section 6.1 path validation, without certificate policy processing (policies play no part in
// whether Entra or AD FS accept a sign-in certificate, and PKITS policy sections are out of scope).
// Every broken rule is reported with the certificate it concerns, not just the first one.
import { isCaCert, OID, type Cert } from '../cert';
import type { CertEntry } from '../types';
import { constraintSyntaxProblem, describeName, nameSyntaxProblem, parseNameConstraints, subjectNames, wildcardMeets, wildcardWithin, within, type ConstraintName } from './names';
import { certSignedBy } from './signature';
import type { PathError, PathRule, PathValidation } from './types';

/** Extensions this engine understands (or deliberately accepts: the policy ones), so they may be critical. */
export const KNOWN_EXTENSIONS = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.nameConstraints,
  OID.san,
  OID.eku,
  OID.aki,
  OID.ski,
  OID.cdp,
  OID.freshestCrl,
  OID.aia,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  '2.5.29.18', // issuerAltName
  '1.3.6.1.5.5.7.1.11', // subjectInfoAccess
]);

/** Known extensions whose parsed field stays undefined when the DER could not be decoded. */
const PARSED_FIELD: Partial<Record<string, (c: Cert) => unknown>> = {
  [OID.basicConstraints]: (c) => c.basicConstraints,
  [OID.keyUsage]: (c) => c.keyUsage,
  [OID.san]: (c) => c.san,
  [OID.eku]: (c) => c.eku,
  [OID.aki]: (c) => c.aki,
  [OID.cdp]: (c) => c.cdp,
};

export interface ValidateOptions {
  now: Date;
  /** True when the last certificate of `path` is a self-signed root (the trust anchor). */
  complete: boolean;
}

/** Where RFC 5280 states each rule, carried in every error so reports can cite it. */
export const RULE_SECTION: Record<PathRule, string> = {
  signature: 'RFC 5280 6.1.3 (a)(1)',
  'algorithm-mismatch': 'RFC 5280 4.1.1.2',
  validity: 'RFC 5280 6.1.3 (a)(2)',
  'name-chaining': 'RFC 5280 6.1.3 (a)(4)',
  'basic-constraints': 'RFC 5280 6.1.4 (k)',
  'path-length': 'RFC 5280 6.1.4 (l)',
  'key-usage': 'RFC 5280 6.1.4 (n)',
  'name-constraints': 'RFC 5280 6.1.3 (b), (c) and 4.2.1.10',
  'critical-extension': 'RFC 5280 6.1.4 (o) and 4.2',
  'trust-anchor': 'RFC 5280 6.1.1 (d)',
};

// Certificate times carry whole seconds (RFC 5280 4.1.2.5): compare at one-second resolution.
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

interface Constraint {
  by: CertEntry;
  names: ConstraintName[];
}

/**
 * At most this many (name × constraint) comparisons per path. Real hierarchies need a few dozen; a crafted
 * certificate with thousands of names under thousands of constraints would otherwise take seconds.
 */
export const NAME_CONSTRAINT_BUDGET = 2 ** 20;

interface Budget {
  used: number;
  exhausted: boolean;
}

/** Validates `path` (end-entity first, root last when complete) at `opts.now`. */
export function validatePath(path: CertEntry[], opts: ValidateOptions): PathValidation {
  const errors: PathError[] = [];
  const fail = (e: CertEntry, rule: PathRule, message: string, section = RULE_SECTION[rule]) =>
    errors.push({ ref: e.ref, subject: e.cert.subject.display, rule, message, section });
  const now = sec(opts.now);

  const checkValidity = (e: CertEntry, what: string) => {
    const c = e.cert;
    if (now < sec(c.notBefore)) fail(e, 'validity', `The ${what} is not valid before ${c.notBefore.toISOString()}.`);
    else if (now > sec(c.notAfter)) fail(e, 'validity', `The ${what} expired on ${c.notAfter.toISOString()}.`);
  };

  if (!path.length) return { valid: false, errors: [] };
  const anchor = opts.complete ? path[path.length - 1] : undefined;
  const certs = anchor ? path.slice(0, -1) : path;

  let workingKey: Cert | undefined;
  let workingIssuer: string | undefined;
  if (anchor) {
    const self = certSignedBy(anchor.cert, anchor.cert);
    if (!self.ok) fail(anchor, 'signature', `The root's own signature does not verify: ${self.reason ?? 'unknown reason'}.`);
    checkValidity(anchor, 'root certificate');
    // A root that is not a CA, or carries a critical extension nobody understands, cannot anchor a path
    // (the same findings appear as chain.profile lints).
    if (path.length > 1) {
      const r = anchor.cert;
      if (r.version >= 3 && r.basicConstraints?.ca !== true)
        fail(anchor, 'basic-constraints', 'It is the root of the path but its basic constraints do not say cA=TRUE, so it may not issue certificates.', 'RFC 5280 4.2.1.9 and 6.1');
      for (const ext of r.extensions)
        if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid))
          fail(anchor, 'critical-extension', `The root has a critical extension this validator does not recognise (${ext.oid}), so it cannot be used as a trust anchor.`);
    }
    workingKey = anchor.cert;
    workingIssuer = anchor.cert.subject.key;
  } else {
    const top = path[path.length - 1];
    fail(top, 'trust-anchor', `The path ends at this certificate: its issuer "${top.cert.issuer.display}" was not found, so the path does not reach a trusted root.`);
  }

  let maxPathLength = certs.length;
  let limitSetBy: CertEntry | undefined;
  const permitted: Constraint[] = [];
  const excluded: Constraint[] = [];
  const budget: Budget = { used: 0, exhausted: false };
  // The root's own path length and name constraints bind the path too, as Windows applies them
  // (RFC 5280 6.1.1 (d) leaves trust anchor constraints to the implementation).
  if (anchor) {
    const pathLen = anchor.cert.basicConstraints?.pathLen;
    if (pathLen !== undefined && pathLen < maxPathLength) {
      maxPathLength = pathLen;
      limitSetBy = anchor;
    }
    addNameConstraints(anchor);
  }

  for (let i = certs.length - 1; i >= 0; i--) {
    const e = certs[i];
    const c = e.cert;
    const isLeaf = i === 0;
    const role = isLeaf ? 'certificate' : 'CA certificate';

    if (workingKey) {
      const sig = certSignedBy(c, workingKey);
      if (!sig.ok) fail(e, 'signature', `The signature does not verify with the key of "${workingKey.subject.display}": ${sig.reason ?? 'unknown reason'}.`);
    }
    if (c.tbsSignatureAlgorithm !== c.signatureAlgorithm) {
      fail(e, 'algorithm-mismatch', `The signed part names signature algorithm ${c.tbsSignatureAlgorithm} but the certificate is signed with ${c.signatureAlgorithm}.`);
    }
    checkValidity(e, role);
    if (workingIssuer !== undefined && c.issuer.key !== workingIssuer) {
      fail(e, 'name-chaining', `Its issuer name "${c.issuer.display}" does not match the subject of the certificate above it ("${certs[i + 1]?.cert.subject.display ?? anchor?.cert.subject.display}").`);
    }

    // Self-issued CA certificates in the middle of a path are exempt from name constraints (RFC 5280 6.1.3 b).
    if (isLeaf || !c.selfIssued) checkNameConstraints(e, permitted, excluded, fail, budget);
    // RFC 5280 4.2.1.10: name constraints belong in CA certificates only.
    if (isLeaf && !isCaCert(c) && c.extensions.some((x) => x.oid === OID.nameConstraints)) {
      fail(e, 'name-constraints', 'It is an end-entity certificate with a name constraints extension, which RFC 5280 allows only in CA certificates.', 'RFC 5280 4.2.1.10');
    }

    for (const ext of c.extensions) {
      if (!ext.critical) continue;
      if (!KNOWN_EXTENSIONS.has(ext.oid)) fail(e, 'critical-extension', `It has a critical extension this validator does not recognise (${ext.oid}), so it must be rejected.`);
      else if (PARSED_FIELD[ext.oid] && PARSED_FIELD[ext.oid]!(c) === undefined) fail(e, 'critical-extension', `Its critical extension ${ext.oid} cannot be decoded.`);
    }

    if (isLeaf) break;

    // Preparation for the certificate below (RFC 5280 6.1.4).
    addNameConstraints(e);
    if (c.version < 3) {
      fail(e, 'basic-constraints', `It is a version ${c.version} certificate, which cannot state that it is a CA, but it issued "${certs[i - 1].cert.subject.display}".`);
    } else if (!c.basicConstraints) {
      fail(e, 'basic-constraints', `It has no basic constraints extension, so it is not a CA, but it issued "${certs[i - 1].cert.subject.display}".`);
    } else if (!c.basicConstraints.ca) {
      fail(e, 'basic-constraints', `Its basic constraints say it is not a CA (cA=false), but it issued "${certs[i - 1].cert.subject.display}".`);
    }
    if (!c.selfIssued) {
      if (maxPathLength <= 0) {
        fail(e, 'path-length', `It is one CA too many below "${limitSetBy?.cert.subject.display ?? 'the root'}", whose path length constraint allows no further CA certificates.`);
      }
      maxPathLength--;
    }
    const pathLen = c.basicConstraints?.pathLen;
    if (pathLen !== undefined && pathLen < maxPathLength) {
      maxPathLength = pathLen;
      limitSetBy = e;
    }
    if (c.keyUsage && !c.keyUsage.names.includes('keyCertSign')) {
      fail(e, 'key-usage', `Its key usage (${c.keyUsage.names.join(', ') || 'none'}) lacks keyCertSign, so it may not sign certificates.`);
    }
    workingKey = c;
    workingIssuer = c.subject.key;
  }
  return { valid: errors.length === 0, errors };

  function addNameConstraints(e: CertEntry) {
    const ncExt = e.cert.extensions.find((x) => x.oid === OID.nameConstraints);
    if (!ncExt) return;
    try {
      const nc = parseNameConstraints(ncExt.value);
      // A malformed constraint cannot be read generously: the path is invalid (RFC 5280 4.2.1.10).
      const bad = [...nc.permitted, ...nc.excluded].map((n) => [n, constraintSyntaxProblem(n)] as const).find(([, p]) => p);
      if (bad) {
        fail(e, 'name-constraints', `Its name constraints hold a malformed ${describeName(bad[0])}: ${bad[1]}.`, 'RFC 5280 4.2.1.10');
        return;
      }
      if (nc.permitted.length) permitted.push({ by: e, names: nc.permitted });
      if (nc.excluded.length) excluded.push({ by: e, names: nc.excluded });
    } catch (err) {
      fail(e, 'name-constraints', `Its name constraints extension cannot be decoded: ${(err as Error).message}.`);
    }
  }
}

function checkNameConstraints(
  e: CertEntry,
  permitted: Constraint[],
  excluded: Constraint[],
  fail: (e: CertEntry, rule: PathRule, message: string, section?: string) => void,
  budget: Budget,
) {
  if (!permitted.length && !excluded.length) return;
  if (budget.exhausted) return;
  let names: ConstraintName[];
  try {
    const s = subjectNames(e.cert);
    names = [...(s.dn ? [{ type: 'dirName' as const, name: s.dn }] : []), ...s.san];
    // RFC 5280 4.2.1.10: without a SAN, rfc822 constraints apply to e-mail addresses in the subject DN.
    if (!s.sanPresent) for (const m of s.emails) names.push({ type: 'rfc822', value: m });
  } catch (err) {
    fail(e, 'name-constraints', `Its subject alternative names cannot be decoded: ${(err as Error).message}.`);
    return;
  }
  const constraintCount = [...permitted, ...excluded].reduce((k, set) => k + set.names.length, 0);
  budget.used += names.length * constraintCount;
  if (budget.used > NAME_CONSTRAINT_BUDGET) {
    budget.exhausted = true;
    fail(
      e,
      'name-constraints',
      `Checking its ${names.length} name(s) against ${constraintCount} name constraint(s) would take more than ${NAME_CONSTRAINT_BUDGET.toLocaleString('en-US')} comparisons on this path, so the path is refused rather than evaluated (a certificate built to exhaust validators).`,
      'RFC 5280 4.2.1.10',
    );
    return;
  }
  const constrainedTypes = new Set([...permitted, ...excluded].flatMap((set) => set.names.map((b) => b.type)));
  for (const n of names) {
    // A name of a constrained form must be well formed before it can be matched (an invalid name is no match).
    const syntax = constrainedTypes.has(n.type) ? nameSyntaxProblem(n) : undefined;
    if (syntax) {
      fail(e, 'name-constraints', `Its ${describeName(n)} is not a valid name (${syntax}), so it cannot be checked against the name constraints.`, 'RFC 5280 4.2.1.6 and 4.2.1.10');
      continue;
    }
    if (n.type === 'dns' && n.value.startsWith('*.')) {
      const suffix = n.value.slice(2);
      for (const set of permitted) {
        const relevant = set.names.filter((b) => b.type === 'dns');
        if (relevant.length && !relevant.some((b) => wildcardWithin(suffix, (b as { value: string }).value)))
          fail(e, 'name-constraints', `Its ${describeName(n)} can match names outside the permitted names set by "${set.by.cert.subject.display}" (${relevant.map(describeName).join(', ')}).`);
      }
      for (const set of excluded) {
        const hit = set.names.find((b) => b.type === 'dns' && wildcardMeets(suffix, b.value));
        if (hit) fail(e, 'name-constraints', `Its ${describeName(n)} can match a name in the excluded names set by "${set.by.cert.subject.display}" (${describeName(hit)}).`);
      }
      continue;
    }
    if (n.type === 'other') {
      const constrained = [...permitted, ...excluded].find((s) => s.names.some((b) => b.type === 'other' && b.tag === n.tag));
      if (constrained) fail(e, 'name-constraints', `It carries a ${describeName(n)} that "${constrained.by.cert.subject.display}" constrains and this validator cannot evaluate.`);
      continue;
    }
    for (const set of permitted) {
      const relevant = set.names.filter((b) => b.type === n.type);
      if (relevant.length && !relevant.some((b) => within(n, b))) {
        fail(e, 'name-constraints', `Its ${describeName(n)} is outside the permitted names set by "${set.by.cert.subject.display}" (${relevant.map(describeName).join(', ')}).`);
      }
    }
    for (const set of excluded) {
      const hit = set.names.find((b) => within(n, b));
      if (hit) fail(e, 'name-constraints', `Its ${describeName(n)} falls in the excluded names set by "${set.by.cert.subject.display}" (${describeName(hit)}).`);
    }
  }
}
