// A small PKI whose CRLs are served by a real loopback server, and a way to turn it into the artifacts
// the CRL checks read (the chain as built by the chain engine, and the real downloads).
import { makeCert, makeCrl, makePki, type CertOptions, type GenCert, type Pki } from '@/test/pki/gen';
import type { Artifacts } from '@/lib/report/artifacts';
import type { Cloud, Target } from '@/lib/report/schema';
import type { CertEntry } from '@/lib/pki/types';
import type { ChainResult } from '@/lib/pki/chain/types';
import type { CrlSet } from '@/lib/pki/crl/types';
import { downloadCrls, type CrlFetchOptions } from '@/lib/net/collect-crl';
import type { CrlDownload, FetchRecord } from '@/lib/net/types';
import { serve, startLoopback, type Handler, type Loopback } from './loopback';

export interface CrlWorld {
  srv: Loopback;
  pki: Pki;
  routes: Record<string, Handler>;
  /** A user certificate from the issuing CA with these CDP/Freshest CRL URLs (paths become loopback URLs). */
  user(o: Partial<CertOptions> & { cdpPaths?: string[][] }): Promise<GenCert>;
  /** Artifacts for a path user → issuing CA → root, with the CRLs downloaded for real. */
  artifacts(user: GenCert, o?: { target?: Target; cloud?: Cloud; crlFiles?: CrlSet; fetch?: CrlFetchOptions; allowPrivate?: boolean }): Promise<Artifacts>;
  close(): Promise<void>;
}

export const entry = (ref: string, g: GenCert): CertEntry => ({ ref, fileName: `${ref}.cer`, source: 'upload', cert: g.cert });

export function chainOf(...gs: GenCert[]): ChainResult {
  return { path: gs.map((g, i) => entry(`c${i + 1}`, g)), complete: gs[gs.length - 1].cert.selfIssued };
}

export function baseArtifacts(over: Partial<Artifacts> = {}): Artifacts {
  return { ctx: { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000 }, input: { files: [], crlFiles: [], pasted: [] }, target: 'unknown', ...over };
}

export async function crlWorld(): Promise<CrlWorld> {
  const routes: Record<string, Handler> = {};
  const srv = await startLoopback(routes);
  const pki = await makePki({ baseUrl: `http://127.0.0.1:${srv.port}` });
  routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: pki.ca })).der);
  routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: pki.root })).der);
  return {
    srv,
    pki,
    routes,
    user: ({ cdpPaths, ...o }) =>
      makeCert({
        subject: 'CN=Alice Smith, O=Contoso',
        issuer: pki.ca,
        san: [{ type: 'upn', value: 'alice@contoso.com' }],
        key: 'p256',
        ...(cdpPaths ? { cdp: cdpPaths.map((dp) => dp.map((p) => (p.startsWith('/') ? srv.url(p) : p))) } : {}),
        ...o,
      }),
    async artifacts(user, o = {}) {
      const chain = chainOf(user, pki.ca, pki.root);
      const allowPrivate = o.allowPrivate ?? true;
      const crlDownloads = await downloadCrls(chain, o.crlFiles, { allowPrivate }, o.fetch);
      return baseArtifacts({ chain, crlFiles: o.crlFiles, crlDownloads, target: o.target ?? 'unknown', ctx: { now: new Date(), offline: false, allowPrivate, timeoutMs: 5000, ...(o.cloud ? { cloud: o.cloud } : {}) } });
    },
    close: () => srv.close(),
  };
}

/** A download as the collector records it, for judging measurements that take too long to produce for real. */
export function measured(url: string, r: Partial<FetchRecord>, kind: CrlDownload['kind'] = 'base'): CrlDownload {
  return { forRef: 'c1', caRef: 'c2', kind, fetch: { url, redirects: [], ok: !r.error, httpStatus: r.error ? undefined : 200, bytes: 0, totalMs: 0, timeoutMs: 30_000, maxBytes: 100 * 1024 * 1024, ...r } };
}
