// AIA chasing: when an issuer of the user certificate was not uploaded, download it from the caIssuers
// URL of the certificate it issued (DER certificate or PKCS#7 bundle), and keep climbing until the chain
// reaches a self-issued root or a certificate we already have.
import type { Collector } from '@/lib/report/collector';
import type { Cert } from '@/lib/pki/cert';
import { parseCertificateFile } from '@/lib/pki/input';
import type { CertEntry } from '@/lib/pki/types';
import { guardedFetch, type GuardedFetchOptions } from './http';
import type { FetchRecord } from './types';

export const AIA_MAX_DEPTH = 5;
/** CA certificates and .p7c bundles are a few KB; anything near this is not what we want. */
export const AIA_MAX_BYTES = 1024 * 1024;

/** Whether `ca` issued `c`: names must match, and key ids when both sides have them. */
export function issuedBy(c: Cert, ca: Cert): boolean {
  if (c.issuer.key !== ca.subject.key) return false;
  if (c.aki?.keyId && ca.ski) return c.aki.keyId === ca.ski;
  return true;
}

function isHttp(u: string) {
  return /^https?:\/\//i.test(u);
}

function fileNameOf(url: string): string {
  try {
    const p = new URL(url).pathname;
    return decodeURIComponent(p.slice(p.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

export interface AiaOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Test hook: passed to every fetch (e.g. extra CAs). */
  fetch?: Partial<GuardedFetchOptions>;
}

export async function chaseAia(
  start: Cert,
  known: CertEntry[],
  net: { allowPrivate: boolean; resolve?: Record<string, string>; timeoutMs: number },
  opts: AiaOptions = {},
): Promise<{ aiaCerts: CertEntry[]; aiaFetches: FetchRecord[] }> {
  const aiaCerts: CertEntry[] = [];
  const aiaFetches: FetchRecord[] = [];
  const all = () => [...known, ...aiaCerts];
  const seen = new Set(known.map((e) => e.cert.sha256));
  const tried = new Set<string>();
  let cur = start;
  const climbed = new Set<string>();
  for (let depth = 0; ; ) {
    // Cross-certified CAs can issue each other: stop at the first repeat.
    if (cur.selfIssued || climbed.has(cur.sha256)) break;
    climbed.add(cur.sha256);
    const have = all().find((e) => e.cert !== cur && issuedBy(cur, e.cert));
    if (have) {
      cur = have.cert;
      continue;
    }
    if (depth >= AIA_MAX_DEPTH) break;
    depth++;
    const urls = [...new Set((cur.aia?.caIssuers ?? []).filter((u) => isHttp(u) && !tried.has(u)))];
    if (!urls.length) break;
    urls.forEach((u) => tried.add(u));
    // Every caIssuers URL of this certificate at once; the first that gives the issuer wins.
    const results = await Promise.all(
      urls.map((u) =>
        guardedFetch(u, {
          allowPrivate: net.allowPrivate,
          resolve: net.resolve,
          timeoutMs: opts.timeoutMs ?? net.timeoutMs,
          maxBytes: opts.maxBytes ?? AIA_MAX_BYTES,
          ...opts.fetch,
        }),
      ),
    );
    let issuer: CertEntry | undefined;
    const subject = cur;
    for (const { record, body } of results) {
      aiaFetches.push(record);
      if (!record.ok || !body) continue;
      const { result, certs } = parseCertificateFile(fileNameOf(record.url), body, opts.maxBytes ?? AIA_MAX_BYTES);
      if (!certs.length) {
        record.problem = `the answer is not a certificate: ${result.problem?.message ?? 'no certificate found'}`;
        continue;
      }
      let found = false;
      for (const c of certs) {
        if (seen.has(c.sha256)) {
          if (issuedBy(subject, c)) found = true;
          continue;
        }
        // A bundle may carry the rest of the chain; keep only what belongs to it (issuer of this one or above).
        const useful = issuedBy(subject, c) || certs.some((o) => o !== c && issuedBy(o, c));
        if (!useful) continue;
        seen.add(c.sha256);
        const entry: CertEntry = { ref: `c${known.length + aiaCerts.length + 1}`, fileName: fileNameOf(record.url), source: 'aia', url: record.url, cert: c };
        aiaCerts.push(entry);
        if (issuedBy(subject, c)) {
          found = true;
          issuer ??= entry;
        }
      }
      if (!found) record.problem = `the certificate(s) at this URL did not issue ${subject.subject.display}`;
    }
    const next = issuer?.cert ?? all().find((e) => e.cert !== subject && issuedBy(subject, e.cert))?.cert;
    if (!next) break;
    cur = next;
  }
  return { aiaCerts, aiaFetches };
}

export function makeAiaCollector(opts: AiaOptions = {}): Collector {
  return {
    name: 'AIA CA certificates',
    needs: ['certs', 'user'],
    provides: ['aiaCerts', 'aiaFetches'],
    async run(a) {
      if (a.ctx.offline) return {};
      const user = a.user?.user;
      if (!user) return {};
      return chaseAia(user.cert, a.certs ?? [], { allowPrivate: a.ctx.allowPrivate, resolve: a.input.resolve, timeoutMs: a.ctx.timeoutMs }, opts);
    },
  };
}

export const aiaCollector = makeAiaCollector();
