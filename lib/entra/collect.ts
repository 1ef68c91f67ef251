// Collector: the tenant model from what was pasted (a live Graph read, issue 12, fills the same model), and
// the CRLs at the URLs configured on the tenant's CAs (Entra downloads those, not the certificates' CDPs),
// fetched through the guarded network layer. Sets the report target to `entra` when tenant data is present
// and realm discovery did not say the domain is federated.
import type { Collector } from '@/lib/report/collector';
import type { Artifacts } from '@/lib/report/artifacts';
import { guardedFetch, type GuardedFetchOptions } from '@/lib/net/http';
import { crlLimitsFromEnv, readCrlBody } from '@/lib/net/collect-crl';
import { urlScheme } from '@/lib/net/crl-targets';
import type { PasteBlockOf } from '@/lib/paste/types';
import { tenantCa } from './trust-store';
import { mergeTenant } from './merge';
import type { LiveReadRecord } from './types';
import type { EntraTenant, SignInEntry, TenantCa, TenantCrlFetch } from './types';

/** Configured CRL URLs fetched at most (a store holds up to 250 CAs; a diagnosis needs the chain's). */
const MAX_CRL_URLS = 20;

function blocks<K extends 'entra-method' | 'entra-user' | 'entra-groups' | 'signin-log' | 'signin-error-page' | 'trusted-ca'>(a: Artifacts, kind: K): PasteBlockOf<K>[] {
  return (a.paste?.blocks ?? []).filter((b): b is PasteBlockOf<K> => b.kind === kind);
}

const label = (b: { source?: string; pasteIndex: number }) => b.source ?? `paste ${b.pasteIndex + 1}`;

/** The tenant model from the pasted blocks; null when nothing of the tenant was pasted. */
export function tenantFromPaste(a: Artifacts): EntraTenant | null {
  const method = blocks(a, 'entra-method').at(-1)?.data ?? null;
  const user = blocks(a, 'entra-user').at(-1)?.data ?? null;
  const groups = blocks(a, 'entra-groups').at(-1)?.data ?? null;
  const cas = blocks(a, 'trusted-ca').flatMap((b) => b.data.authorities.map((r) => tenantCa(r, `${label(b)} line ${r.line}`)));
  const pki = cas.filter((c) => c.store === 'pki');
  const classic = cas.filter((c) => c.store === 'classic');
  const signIns: SignInEntry[] = [...blocks(a, 'signin-error-page'), ...blocks(a, 'signin-log')].flatMap((b) => b.data.entries.map((e) => ({ ...e, where: `${label(b)} ${e.where}` })));
  if (!method && !user && !groups && !cas.length && !signIns.length) return null;
  return { source: 'paste', method, user, groups, pkiStore: pki.length ? pki : null, classicStore: classic.length ? classic : null, signIns, crlFetches: [] };
}

/** The CAs whose CRLs matter: those of the chain when there is one, else every CA of the stores. */
function relevant(a: Artifacts, cas: TenantCa[]): TenantCa[] {
  const path = a.chain?.path;
  if (!path || path.length < 2) return cas;
  const chain = path.slice(1).map((e) => e.cert);
  return cas.filter((c) => chain.some((x) => (c.ski && x.ski === c.ski) || (c.sha1 && x.sha1.toLowerCase() === c.sha1) || (c.subject && x.subject.display === c.subject)));
}

export async function fetchTenantCrls(a: Artifacts, cas: TenantCa[], extra: Partial<GuardedFetchOptions> = {}): Promise<TenantCrlFetch[]> {
  const env = crlLimitsFromEnv();
  const jobs: TenantCrlFetch[] = [];
  for (const c of relevant(a, cas))
    for (const [kind, url] of [['base', c.crlUrl], ['delta', c.deltaCrlUrl]] as const)
      if (url) jobs.push({ caSubject: c.subject, caSki: c.ski, store: c.store, kind, url });
  const seen = new Map<string, Promise<Omit<TenantCrlFetch, 'caSubject' | 'caSki' | 'store' | 'kind' | 'url'>>>();
  const fetchOne = (url: string) => {
    let p = seen.get(url);
    if (p) return p;
    const scheme = urlScheme(url);
    if (a.ctx.offline) p = Promise.resolve({ notFetched: 'offline: no network check was made' });
    else if (scheme !== 'http' && scheme !== 'https') p = Promise.resolve({ notFetched: `a ${scheme.toUpperCase()} URL, which Entra ID does not fetch` });
    else if (seen.size >= MAX_CRL_URLS) p = Promise.resolve({ notFetched: `more than ${MAX_CRL_URLS} CRL URLs; this one was not fetched` });
    else
      p = guardedFetch(url, { allowPrivate: a.ctx.allowPrivate, resolve: a.input.resolve, timeoutMs: env.timeoutMs, maxBytes: env.maxBytes, ...extra }).then((r) => {
        if (!r.record.ok || !r.body) return { fetch: r.record };
        const { parsed, parseError } = readCrlBody(r.body, url);
        if (!parsed) return { fetch: r.record, parseError };
        return {
          fetch: r.record,
          crl: {
            issuer: parsed.issuer.display,
            issuerKey: parsed.issuer.key,
            akiKeyId: parsed.aki?.keyId?.toLowerCase() ?? null,
            thisUpdate: parsed.thisUpdate,
            nextUpdate: parsed.nextUpdate,
            crlNumber: parsed.crlNumber,
            deltaCrlIndicator: parsed.deltaCrlIndicator,
          },
        };
      });
    seen.set(url, p);
    return p;
  };
  return Promise.all(jobs.map(async (j) => ({ ...j, ...(await fetchOne(j.url)) })));
}

/** A live read of the tenant (lib/graph plugs in here; lib/entra does not depend on it). */
export type LiveReader = (a: Artifacts) => Promise<{ tenant: EntraTenant | null; record: LiveReadRecord } | null>;

export function makeEntraCollector(extra: Partial<GuardedFetchOptions> = {}, live?: LiveReader): Collector {
  return {
    name: 'Entra tenant',
    needs: ['paste', 'chain', 'realm'],
    provides: ['entra'],
    async run(a) {
      const read = a.input.graph && live ? await live(a) : null;
      const tenant = mergeTenant(tenantFromPaste(a), read?.tenant ?? null, read?.record);
      if (!tenant) return {};
      const cas = [...(tenant.pkiStore ?? []), ...(tenant.classicStore ?? [])];
      tenant.crlFetches = await fetchTenantCrls(a, cas, extra);
      const out: Partial<Artifacts> = { entra: tenant };
      // Realm discovery decides when it answered (Federated → adfs, Managed → entra); otherwise tenant data says
      // entra. The classic store alone does not: its AzureAD listing is also pasted for federated CBA.
      const entraOnly = tenant.method || tenant.user || tenant.groups || tenant.pkiStore || tenant.signIns.length;
      if (entraOnly && a.target === 'unknown' && a.ctx.requestedTarget !== 'adfs') out.target = 'entra';
      return out;
    },
  };
}

