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

function issues(issuer: Cert, subject: Cert) {
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

/** The end-entity certificates (not a CA, issuer of none of the others) and the one most likely the user's. */
export function selectUser(certs: CertEntry[], upn?: string): UserSelection {
  const candidates = certs.filter((e) => !isCaCert(e.cert) && !certs.some((o) => issues(e.cert, o.cert)));
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
