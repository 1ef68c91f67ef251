// Collectors for the local PKI inputs: uploaded files → certificates → the user certificate.
import type { Collector } from '@/lib/report/collector';
import { isCaCert, type Cert } from './cert';
import { certSignedBy, isSelfSigned } from './chain/signature';
import { parseCertFile } from './offload';
import type { CertEntry, InputFileResult, UserSelection } from './types';

export const filesCollector: Collector = {
  name: 'certificate files',
  needs: [],
  provides: ['files', 'certs'],
  async run(a) {
    if (!a.input.files.length) return {};
    const files: InputFileResult[] = [];
    const certs: CertEntry[] = [];
    const bySha = new Map<string, CertEntry>();
    // Parsed in parallel off the main thread (lib/pki/offload.ts); numbered in upload order below.
    const all = await Promise.all(a.input.files.map((f) => parseCertFile(f.name, f.bytes)));
    for (const [i, f] of a.input.files.entries()) {
      const { result, certs: parsed } = all[i];
      const refs: string[] = [];
      for (const c of parsed) {
        let e = bySha.get(c.sha256);
        if (!e) {
          e = { ref: `c${certs.length + 1}`, fileName: f.name, source: 'upload', cert: c };
          bySha.set(c.sha256, e);
          certs.push(e);
        }
        refs.push(e.ref);
      }
      files.push({ ...result, refs });
    }
    return { files, certs };
  },
};

/** Whether `issuer` issued `subject`: key identifier or name match, confirmed by the signature when it can be checked. */
export function issues(issuer: Cert, subject: Cert) {
  if (issuer === subject || issuer.sha256 === subject.sha256) return false;
  const byKeyId = subject.aki?.keyId && issuer.ski ? subject.aki.keyId === issuer.ski : undefined;
  if (byKeyId === false) return false;
  if (!byKeyId && subject.issuer.key !== issuer.subject.key) return false;
  const sig = certSignedBy(subject, issuer);
  return sig.ok || !!sig.unsupported;
}

function matchesAddress(c: Cert, upn?: string) {
  if (!upn) return false;
  const u = upn.toLowerCase();
  return (c.san ?? []).some((g) => (g.type === 'upn' || g.type === 'rfc822') && g.value.toLowerCase() === u);
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const CLIENT_EKUS = [CLIENT_AUTH, '1.3.6.1.4.1.311.20.2.2', '2.5.29.37.0'];

/** A certificate made to sign CRLs or OCSP responses, not to sign in (RFC 5280 4.2.1.3, RFC 6960 4.2.2.2). */
export function isStatusSigner(c: Cert): boolean {
  const ku = c.keyUsage?.names;
  const crlOnly = !!ku && ku.includes('cRLSign') && !ku.includes('digitalSignature') && !isCaCert(c);
  return crlOnly || !!c.eku?.includes(OCSP_SIGNING);
}

/**
 * Why a candidate ranks where it does, most important first. The score compares lexicographically:
 * not a CA, not a CRL/OCSP signer, SAN equal to the typed address, Client Authentication EKU, an EKU that
 * allows client authentication (or none), a SAN at all.
 */
export function selectionReasons(c: Cert, upn?: string): { score: number[]; reasons: string[] } {
  const reasons: string[] = [];
  const notCa = !isCaCert(c);
  const notSigner = !isStatusSigner(c);
  const address = matchesAddress(c, upn);
  const clientAuth = !!c.eku?.includes(CLIENT_AUTH);
  const usable = !c.eku || c.eku.some((o) => CLIENT_EKUS.includes(o));
  const san = !!c.san?.length;
  if (notCa) reasons.push('it is not a CA certificate');
  else reasons.push('it is a CA certificate (basic constraints cA=TRUE), which cannot be a sign-in certificate');
  if (!notSigner) reasons.push('it is made to sign CRLs or OCSP responses, not to sign in');
  if (address) reasons.push('its SAN holds the address typed');
  if (clientAuth) reasons.push('it has the Client Authentication EKU');
  else if (usable) reasons.push(c.eku ? 'its EKU allows client authentication' : 'it has no EKU, so any use is allowed');
  if (san) reasons.push('it has a subject alternative name');
  return { score: [notCa, notSigner, address, clientAuth, usable, san].map(Number), reasons };
}

function compareScores(a: number[], b: number[]) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}

/**
 * A predicate "c issued some other certificate of the list", answered from an index instead of a scan of every pair: an
 * upload of 5,000 certificates made the pairwise scan 25 million comparisons, seconds in which the portal answered
 * nothing. Only certificates whose AKI equals c's SKI or whose issuer name equals c's subject can have been issued by
 * c (the two ways `issues` links them), so only those are tested, with the same `issues` predicate.
 */
export function issuerOfAnother(certs: CertEntry[], issued: (issuer: Cert, subject: Cert) => boolean = issues): (c: Cert) => boolean {
  const byAki = new Map<string, Cert[]>();
  const byIssuerName = new Map<string, Cert[]>();
  const add = (m: Map<string, Cert[]>, k: string, c: Cert) => (m.get(k) ?? m.set(k, []).get(k)!).push(c);
  for (const { cert: o } of certs) {
    if (o.aki?.keyId) add(byAki, o.aki.keyId, o);
    add(byIssuerName, o.issuer.key, o);
  }
  return (c) => {
    const byKey = c.ski ? byAki.get(c.ski) : undefined;
    if (byKey) for (const o of byKey) if (issued(c, o)) return true;
    const byName = byIssuerName.get(c.subject.key);
    if (byName) for (const o of byName) if (!byKey?.includes(o) && issued(c, o)) return true;
    return false;
  };
}

/** What the request asked for: a 0-based index into the uploaded certificates, or a SHA-256 thumbprint. */
export function findRequestedUser(certs: CertEntry[], requested: string): CertEntry | undefined {
  const v = requested.trim().toLowerCase().replace(/[\s:]/g, '');
  if (/^\d{1,4}$/.test(v)) return certs[Number(v)];
  return certs.find((e) => e.cert.sha256 === v);
}

/**
 * The end-entity candidates (certificates that issued none of the others) and the one most likely the
 * user's. When every candidate is a CA, the leaf is still taken, so its path is validated; cert.user fails.
 * The order of the files never changes the choice: ties go to the newest certificate, then the thumbprint.
 */
export function selectUser(certs: CertEntry[], upn?: string, requested?: string): UserSelection {
  const issuesAnother = issuerOfAnother(certs);
  const leaves = certs.filter((e) => !issuesAnother(e.cert));
  // Sort keys computed once per certificate: for a whole store uploaded by mistake the comparator runs ~60,000 times.
  const keyed = leaves.map((e) => ({ e, score: selectionReasons(e.cert, upn).score, time: e.cert.notBefore.getTime(), sha: e.cert.sha256 }));
  keyed.sort((x, y) => compareScores(x.score, y.score) || y.time - x.time || (x.sha < y.sha ? -1 : 1));
  const ranked = keyed.map((k) => k.e);
  // CA leaves only when no other leaf is left; a self-signed CA is a trust anchor, never in the user's place.
  const nonCa = ranked.filter((e) => !isCaCert(e.cert));
  const candidates = nonCa.length ? nonCa : ranked.filter((e) => !(e.cert.selfIssued && isSelfSigned(e.cert)));
  const out: UserSelection = { user: candidates[0], candidates };
  if (requested !== undefined) {
    const chosen = findRequestedUser(certs, requested);
    out.requested = { value: requested, found: !!chosen };
    if (chosen) {
      out.user = chosen;
      if (!candidates.includes(chosen)) out.candidates = [chosen, ...candidates];
    }
  }
  return out;
}

export const userCollector: Collector = {
  name: 'user certificate',
  needs: ['certs'],
  provides: ['user'],
  async run(a) {
    if (!a.certs?.length) return {};
    return { user: selectUser(a.certs, a.input.upn, a.input.userCertificate) };
  },
};
