// Path building after RFC 4158: from the user certificate up to a self-signed root over every certificate we
// have (uploaded, plus those fetched from AIA caIssuers URLs). Issuers are matched by key identifier
// (AKI = SKI) and by name. Every candidate path is built (bounded depth and count, loops cut), each one is
// validated, and a valid one is chosen; when none is valid the one with the fewest problems is reported.
// The pool is put in a canonical order first, so the verdict never depends on the order files were given.
import type { Cert } from '../cert';
import type { CertEntry } from '../types';
import { certSignedBy, isSelfSigned } from './signature';
import type { ChainResult, IssuerLink, PathCandidate, PathValidation } from './types';
import { validatePath } from './validate';

export interface BuildInput {
  user: CertEntry;
  certs: CertEntry[];
  aiaCerts?: CertEntry[];
  now: Date;
  /** SHA-256 of a root to prefer (a CRL signer's path must end at the same root as the user's). */
  anchor?: string;
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

/** At most this many CA certificates above the user certificate (RFC 4158 leaves the bound to the builder). */
export const MAX_CAS = 10;
/** At most this many candidate paths are built and validated. */
export const MAX_CANDIDATES = 300;
/** Bound on the search itself (issuer look-ups), so a mesh of cross-certificates cannot run away. */
const MAX_EXPANSIONS = 20_000;

// Validity at one-second resolution: certificate times carry whole seconds (RFC 5280 4.1.2.5).
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

function validAt(c: Cert, now: Date) {
  const t = sec(now);
  return sec(c.notBefore) <= t && t <= sec(c.notAfter);
}

/** Certificates that may have issued `child`, best first, in an order that does not depend on the input order. */
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
    // Among equals, the one valid longest is the likelier current CA certificate; then a fixed order.
    return b.e.cert.notAfter.getTime() - a.e.cert.notAfter.getTime() || cmp(a.e.cert.sha256, b.e.cert.sha256);
  });
}

function cmp(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0;
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

interface Built {
  path: CertEntry[];
  complete: boolean;
  /** The top verifies its own signature (a real self-signed root), not just a self-issued end of the road. */
  anchored: boolean;
  validation: PathValidation;
  /** Links matched by name only (no key identifiers to compare), key id mismatches, expired certificates:
   *  the tie-breakers of RFC 4158 section 3.5. */
  nameOnlyLinks: number;
  keyIdMismatches: number;
  expired: number;
}

function describe(path: CertEntry[], complete: boolean, now: Date, anchor?: string): Built {
  let nameOnlyLinks = 0;
  let keyIdMismatches = 0;
  for (let i = 0; i + 1 < path.length; i++) {
    const child = path[i].cert;
    const issuer = path[i + 1].cert;
    if (child.aki?.keyId && issuer.ski) {
      if (child.aki.keyId !== issuer.ski) keyIdMismatches++;
    } else nameOnlyLinks++;
  }
  const validation = validatePath(path, { now, complete });
  if (complete && anchor && path[path.length - 1].cert.sha256 !== anchor) {
    // Not an RFC 5280 error: it only ranks paths to another root below those to the wanted one.
    keyIdMismatches += 1000;
  }
  const anchored = complete && isSelfSigned(path[path.length - 1].cert);
  return { path, complete, anchored, validation, nameOnlyLinks, keyIdMismatches, expired: path.filter((e) => !validAt(e.cert, now)).length };
}

/** Negative when `a` is the better path. */
function better(a: Built, b: Built): number {
  const va = a.complete && a.validation.valid;
  const vb = b.complete && b.validation.valid;
  if (va !== vb) return va ? -1 : 1;
  if (a.complete !== b.complete) return a.complete ? -1 : 1;
  if (a.anchored !== b.anchored) return a.anchored ? -1 : 1;
  return (
    a.keyIdMismatches - b.keyIdMismatches ||
    a.validation.errors.length - b.validation.errors.length ||
    a.expired - b.expired ||
    a.nameOnlyLinks - b.nameOnlyLinks ||
    // An uploaded root over one fetched from AIA; a longer partial path says more about what is missing.
    Number(a.path[a.path.length - 1].source === 'aia') - Number(b.path[b.path.length - 1].source === 'aia') ||
    (a.complete ? a.path.length - b.path.length : b.path.length - a.path.length) ||
    cmp(a.path.map((e) => e.cert.sha256).join(), b.path.map((e) => e.cert.sha256).join())
  );
}

/** Loop cut (RFC 4158 5.2): the same certificate, or the same subject with the same key, twice on one path. */
function loopKey(c: Cert) {
  return `${c.subject.key}\u0000${Buffer.from(c.publicKey.spki).toString('base64')}`;
}

export function buildChain(input: BuildInput): ChainResult {
  // Canonical order: uploads before AIA, then by thumbprint, so file order cannot change the outcome.
  const pool = certificatePool(input.certs, input.aiaCerts).sort(
    (a, b) => Number(a.source === 'aia') - Number(b.source === 'aia') || cmp(a.cert.sha256, b.cert.sha256),
  );
  const { now } = input;
  const built: Built[] = [];
  let expansions = 0;
  let truncated = false;
  let stop = false;
  let partial: CertEntry[] = [input.user];
  const record = (path: CertEntry[], complete: boolean) => {
    built.push(describe(path, complete, now, input.anchor));
    if (built.length >= MAX_CANDIDATES) stop = truncated = true;
  };

  // Iterative deepening: all paths of length 2, then 3, ... so the bounds cut the longest paths, never a short
  // one (RFC 4158 prefers shorter paths). A path is recorded in the round where it ends.
  for (let limit = 2; limit <= MAX_CAS + 1 && !stop; limit++) {
    let deeper = false;
    const walk = (path: CertEntry[], keys: Set<string>): void => {
      if (stop) return;
      if (++expansions > MAX_EXPANSIONS) {
        stop = truncated = true;
        return;
      }
      const top = path[path.length - 1].cert;
      if (path.length > 1 && isSelfSigned(top)) {
        if (path.length === limit) record(path, true);
        return;
      }
      if (path.length > partial.length) partial = path;
      if (path.length === limit) {
        deeper = true;
        return;
      }
      let extended = false;
      const onPath = new Set(path.map((e) => e.cert.sha256));
      for (const cand of issuerCandidates(top, pool, now, onPath)) {
        const k = loopKey(cand.e.cert);
        if (keys.has(k)) continue;
        extended = true;
        keys.add(k);
        walk([...path, cand.e], keys);
        keys.delete(k);
        if (stop) return;
      }
      if (path.length !== limit - 1) return; // its end was recorded in an earlier round
      // A self-issued top (a root whose own signature fails, or a self-signed user certificate) ends a path
      // of its own; validation says what is wrong with it.
      if (top.selfIssued && (path.length > 1 || !extended)) record(path, true);
      else if (!extended) record(path, false);
    };
    walk([input.user], new Set([loopKey(input.user.cert)]));
    if (!deeper) break;
    // A valid path of this length exists: longer ones would only rank below it, so the search ends here.
    if (built.some((b) => b.complete && b.validation.valid)) break;
    if (limit === MAX_CAS + 1) truncated = true;
  }

  built.sort(better);
  const best = built[0] ?? describe(partial, false, now, input.anchor);
  const path = best.path;
  const result: ChainResult = { path, complete: best.complete, links: links(path, pool, now), validation: best.validation };
  result.candidates = built.slice(0, 20).map((b) => candidateOf(b, b === best));
  result.tried = built.length;
  if (truncated) result.truncated = true;
  if (best.complete) result.rootSource = path[path.length - 1].source;
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

function candidateOf(b: Built, chosen: boolean): PathCandidate {
  return {
    refs: b.path.map((e) => e.ref),
    complete: b.complete,
    valid: b.complete && b.validation.valid,
    chosen,
    problems: b.validation.errors.map((e) => ({ ref: e.ref, rule: e.rule, section: e.section })),
  };
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
