// Builds the path from the user certificate up to a self-signed root over every certificate we have
// (uploaded, plus those fetched from AIA caIssuers URLs). Issuers are matched by key identifier (AKI = SKI)
// and by name; when several fit (cross-signed CAs, renewed CA keys, a CRL-signing key with the CA's name),
// the one whose key verifies the signature and that is valid now is tried first, and the search backtracks.
import type { Cert } from '../cert';
import type { CertEntry } from '../types';
import { certSignedBy, isSelfSigned } from './signature';
import type { ChainResult, IssuerLink } from './types';

export interface BuildInput {
  user: CertEntry;
  certs: CertEntry[];
  aiaCerts?: CertEntry[];
  now: Date;
}

interface Candidate {
  e: CertEntry;
  sigOk: boolean;
  /** 2: AKI = SKI, 1: cannot tell (one side has no key id), 0: key ids differ. */
  keyId: 0 | 1 | 2;
  name: boolean;
  validNow: boolean;
  ca: boolean;
}

const MAX_DEPTH = 12;
const MAX_EXPANSIONS = 2000;

function validAt(c: Cert, now: Date) {
  const t = now.getTime();
  return c.notBefore.getTime() <= t && t <= c.notAfter.getTime();
}

/** Certificates that may have issued `child`, best first. */
export function issuerCandidates(child: Cert, pool: CertEntry[], now: Date, exclude: Set<string> = new Set()): Candidate[] {
  const out: Candidate[] = [];
  for (const e of pool) {
    const c = e.cert;
    if (c.sha256 === child.sha256 || exclude.has(c.sha256)) continue;
    const name = c.subject.key === child.issuer.key;
    const keyId: 0 | 1 | 2 = child.aki?.keyId && c.ski ? (child.aki.keyId === c.ski ? 2 : 0) : 1;
    if (!name && keyId !== 2) continue;
    out.push({
      e,
      name,
      keyId,
      sigOk: certSignedBy(child, c).ok,
      validNow: validAt(c, now),
      ca: c.basicConstraints?.ca === true,
    });
  }
  const rank = (x: Candidate) => [x.sigOk ? 1 : 0, x.keyId, x.name ? 1 : 0, x.validNow ? 1 : 0, x.ca ? 1 : 0, x.e.source === 'upload' ? 1 : 0];
  return out.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    // Among equals, the one valid longest is the likelier current CA certificate.
    return b.e.cert.notAfter.getTime() - a.e.cert.notAfter.getTime();
  });
}

/** Every distinct certificate: uploads first, so an uploaded copy wins over the same certificate from AIA. */
export function certificatePool(certs: CertEntry[], aiaCerts: CertEntry[] = []): CertEntry[] {
  const seen = new Set<string>();
  const out: CertEntry[] = [];
  for (const e of [...certs, ...aiaCerts]) {
    if (seen.has(e.cert.sha256)) continue;
    seen.add(e.cert.sha256);
    out.push(e);
  }
  return out;
}

export function buildChain(input: BuildInput): ChainResult {
  const pool = certificatePool(input.certs, input.aiaCerts);
  const { now } = input;
  let good: CertEntry[] | undefined; // complete, every signature verifies
  let fallback: CertEntry[] | undefined; // complete, but a signature (or the root's own) does not verify
  let partial: CertEntry[] = [input.user];
  let expansions = 0;

  const linksOk = (path: CertEntry[]) => path.every((e, i) => i === path.length - 1 || certSignedBy(e.cert, path[i + 1].cert).ok);

  const walk = (path: CertEntry[]): void => {
    if (good || expansions++ > MAX_EXPANSIONS) return;
    const top = path[path.length - 1].cert;
    if (isSelfSigned(top)) {
      if (linksOk(path)) good = path;
      else if (!fallback) fallback = path;
      return;
    }
    if (path.length > partial.length) partial = path;
    if (path.length < MAX_DEPTH) {
      const onPath = new Set(path.map((e) => e.cert.sha256));
      for (const cand of issuerCandidates(top, pool, now, onPath)) {
        walk([...path, cand.e]);
        if (good) return;
      }
    }
    // A self-issued top with nothing above it is the root even if its own signature fails; validation says so.
    if (top.selfIssued && !fallback) fallback = path;
  };
  walk([input.user]);

  const path = good ?? fallback ?? partial;
  const complete = path === good || path === fallback;
  const result: ChainResult = { path, complete, links: links(path, pool, now) };
  if (complete) result.rootSource = path[path.length - 1].source;
  else {
    const top = path[path.length - 1].cert;
    result.missing = { issuer: top.issuer.display, keyId: top.aki?.keyId, aiaUrls: top.aia?.caIssuers ?? [] };
    const near = pool.filter((e) => e.cert.subject.key === top.issuer.key && e.cert.sha256 !== top.sha256);
    if (near.length) {
      result.notes = near.map((e) => `${e.ref} has the issuer's name but could not be used (its key does not verify the signature, or it would form a loop).`);
    }
  }
  return result;
}

function links(path: CertEntry[], pool: CertEntry[], now: Date): IssuerLink[] {
  const out: IssuerLink[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const child = path[i].cert;
    const issuer = path[i + 1];
    const cands = issuerCandidates(child, pool, now);
    const chosen = cands.find((c) => c.e === issuer);
    const name = chosen?.name ?? child.issuer.key === issuer.cert.subject.key;
    const key = chosen?.keyId === 2;
    out.push({
      ref: path[i].ref,
      issuerRef: issuer.ref,
      matchedBy: key && name ? 'key-id+name' : key ? 'key-id' : 'name',
      signatureVerified: certSignedBy(child, issuer.cert).ok,
      alternatives: cands.filter((c) => c.e !== issuer && c.sigOk).map((c) => c.e.ref),
    });
  }
  return out;
}
