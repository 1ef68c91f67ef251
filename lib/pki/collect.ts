// Collectors for the local PKI inputs: uploaded files → certificates → the user certificate.
import type { Collector } from '@/lib/report/collector';
import { isCaCert, type Cert } from './cert';
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

/** Whether `issuer` issued `subject`: key ids where both have one, names otherwise (the definition issuerOfAnother counts). */
export function issues(issuer: Cert, subject: Cert) {
  if (issuer === subject) return false;
  if (subject.aki?.keyId && issuer.ski) return subject.aki.keyId === issuer.ski;
  return subject.issuer.key === issuer.subject.key;
}

function matchesAddress(c: Cert, upn?: string) {
  if (!upn) return false;
  const u = upn.toLowerCase();
  return (c.san ?? []).some((g) => (g.type === 'upn' || g.type === 'rfc822') && g.value.toLowerCase() === u);
}

const CLIENT_EKUS = ['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.20.2.2', '2.5.29.37.0'];

/** Why a candidate ranks where it does (most important first); selectUser picks the highest score. */
export function selectionReasons(c: Cert, upn?: string): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let score = 0;
  if (matchesAddress(c, upn)) {
    score += 4;
    reasons.push('its SAN holds the address typed');
  }
  if (!c.eku || c.eku.some((o) => CLIENT_EKUS.includes(o))) {
    score += 2;
    reasons.push('it can be used for client authentication');
  }
  if (c.san?.length) {
    score += 1;
    reasons.push('it has a subject alternative name');
  }
  return { score, reasons };
}

/**
 * issues(c, o) for some other o of the list, answered from counts instead of a scan of every pair: an upload of
 * 5,000 certificates made the pairwise scan 25 million comparisons, seconds in which the portal answered nothing.
 */
function issuerOfAnother(certs: CertEntry[]): (c: Cert) => boolean {
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const akiIds = new Map<string, number>(); // subject AKI key ids
  const issuerNames = new Map<string, number>(); // issuer names of every certificate
  const issuerNamesNoAki = new Map<string, number>(); // issuer names of certificates without an AKI key id
  for (const { cert: o } of certs) {
    count(issuerNames, o.issuer.key);
    if (o.aki?.keyId) count(akiIds, o.aki.keyId);
    else count(issuerNamesNoAki, o.issuer.key);
  }
  return (c) => {
    // Key ids decide where both sides have one (as in issues()); names decide otherwise.
    const matches = c.ski ? (akiIds.get(c.ski) ?? 0) + (issuerNamesNoAki.get(c.subject.key) ?? 0) : (issuerNames.get(c.subject.key) ?? 0);
    const self = c.ski && c.aki?.keyId ? c.aki.keyId === c.ski : c.issuer.key === c.subject.key;
    return matches - (self ? 1 : 0) > 0;
  };
}

/** The end-entity certificates (not a CA, issuer of none of the others) and the one most likely the user's. */
export function selectUser(certs: CertEntry[], upn?: string): UserSelection {
  const issuesAnother = issuerOfAnother(certs);
  const candidates = certs.filter((e) => !isCaCert(e.cert) && !issuesAnother(e.cert));
  // Stable sort: on a tie the certificate uploaded first wins.
  const ranked = [...candidates].sort((x, y) => selectionReasons(y.cert, upn).score - selectionReasons(x.cert, upn).score);
  return { user: ranked[0], candidates };
}

export const userCollector: Collector = {
  name: 'user certificate',
  needs: ['certs'],
  provides: ['user'],
  async run(a) {
    if (!a.certs?.length) return {};
    return { user: selectUser(a.certs, a.input.upn) };
  },
};
