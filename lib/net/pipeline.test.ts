// The whole online path through the runner: uploaded user certificate → AIA completes the chain →
// CRLs downloaded from a loopback server → the five CRL download checks. The chain and --crl collectors
// belong to other subsystems; minimal stand-ins here build the path from the user certificate upward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl, makePki, pkcs7, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { runDiagnosis } from '@/lib/report/runner';
import type { Collector } from '@/lib/report/collector';
import type { DiagnosisContext } from '@/lib/report/artifacts';
import { filesCollector, userCollector } from '@/lib/pki/collect';
import { crlLocation } from '@/lib/checks/crl/crl.location';
import { crlFetch } from '@/lib/checks/crl/crl.fetch';
import { crlDownloadTime } from '@/lib/checks/crl/crl.download-time';
import { crlSize } from '@/lib/checks/crl/crl.size';
import { crlFormat } from '@/lib/checks/crl/crl.format';
import { aiaCollector, issuedBy } from './collect-aia';
import { crlDownloadsCollector } from './collect-crl';

const chainStandIn: Collector = {
  name: 'chain (test stand-in)',
  needs: ['certs', 'user', 'aiaCerts'],
  provides: ['chain'],
  async run(a) {
    const user = a.user?.user;
    if (!user) return {};
    const all = [...(a.certs ?? []), ...(a.aiaCerts ?? [])];
    const path = [user];
    for (let cur = user; !cur.cert.selfIssued && path.length < 10; ) {
      const next = all.find((e) => e !== cur && issuedBy(cur.cert, e.cert));
      if (!next) break;
      path.push(next);
      cur = next;
    }
    return { chain: { path, complete: path[path.length - 1].cert.selfIssued } };
  },
};
const crlFilesStandIn: Collector = { name: 'crl files (test stand-in)', needs: [], provides: ['crlFiles'], run: async () => ({ crlFiles: { items: [], problems: [] } }) };
// The target is forced to entra here; the checks still wait for realm discovery, which has nothing to add.
const realmStandIn: Collector = { name: 'realm (test stand-in)', needs: [], provides: ['realm'], run: async () => ({}) };

const CHECKS = [crlLocation, crlFetch, crlDownloadTime, crlSize, crlFormat];
const COLLECTORS = [filesCollector, userCollector, aiaCollector, chainStandIn, crlFilesStandIn, realmStandIn, crlDownloadsCollector];

const routes: Record<string, Handler> = {};
let srv: Loopback;
let pki: Pki;
beforeAll(async () => {
  srv = await startLoopback(routes);
  pki = await makePki({ baseUrl: `http://127.0.0.1:${srv.port}` });
  routes['/aia/contoso-issuing.crt'] = serve(pki.ca.der);
  routes['/aia/contoso-root.crt'] = serve(pkcs7([pki.root]));
  routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: pki.ca })).der);
  routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: pki.root })).pem);
});
afterAll(() => srv.close());

const ctx = (o: Partial<DiagnosisContext> = {}): DiagnosisContext => ({ now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000, requestedTarget: 'entra', ...o });
const input = () => ({ files: [{ name: 'user.cer', bytes: pki.user.der }], crlFiles: [], pasted: [] });
const statuses = (r: Awaited<ReturnType<typeof runDiagnosis>>) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('CRL download pipeline', () => {
  it('completes the chain through AIA and judges every CRL it downloads', async () => {
    const r = await runDiagnosis(input(), ctx(), { checks: CHECKS, collectors: COLLECTORS });
    expect(statuses(r)).toEqual({ 'crl.location': 'pass', 'crl.fetch': 'pass', 'crl.download-time': 'pass', 'crl.size': 'pass', 'crl.format': 'fail' });
    const format = r.checks.find((c) => c.id === 'crl.format')!;
    // The root's CRL is served as PEM: Entra accepts only DER.
    expect(format.summary).toContain(srv.url('/crl/contoso-root.crl'));
    expect(srv.hits).toContain('/aia/contoso-root.crt');
  });

  it('reaches nothing on loopback without --allow-private', async () => {
    const before = srv.hits.length;
    const r = await runDiagnosis(input(), ctx({ allowPrivate: false }), { checks: CHECKS, collectors: COLLECTORS });
    expect(srv.hits.length).toBe(before);
    // AIA was refused too, so only the user certificate's own CDP is known.
    const fetch = r.checks.find((c) => c.id === 'crl.fetch')!;
    expect(fetch.status).toBe('fail');
    expect((fetch.evidence.downloads as { error: { kind: string } }[]).map((d) => d.error.kind)).toEqual(['blocked']);
  });

  it('downloads nothing offline', async () => {
    const before = srv.hits.length;
    const r = await runDiagnosis(input(), ctx({ offline: true }), { checks: CHECKS, collectors: COLLECTORS });
    expect(srv.hits.length).toBe(before);
    expect(statuses(r)).toEqual({ 'crl.location': 'pass', 'crl.fetch': 'skip', 'crl.download-time': 'skip', 'crl.size': 'skip', 'crl.format': 'skip' });
  });
});
