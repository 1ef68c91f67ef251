// The AIA and CRL download collectors against real loopback servers serving generated certificates and CRLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makeCrl, makePki, pkcs7, type GenCert, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import type { Artifacts } from '@/lib/report/artifacts';
import type { CertEntry } from '@/lib/pki/types';
import type { ChainResult } from '@/lib/pki/chain/types';
import { parseCrl } from '@/lib/pki/crl/parse';
import { chaseAia, makeAiaCollector, AIA_MAX_DEPTH } from './collect-aia';
import { crlEncoding, crlLimitsFromEnv, downloadCrls, makeCrlDownloadsCollector } from './collect-crl';

const routes: Record<string, Handler> = {};
let srv: Loopback;
let pki: Pki;
const net = { allowPrivate: true, timeoutMs: 5000 };

const entry = (ref: string, g: GenCert, source: CertEntry['source'] = 'upload'): CertEntry => ({ ref, fileName: `${ref}.cer`, source, cert: g.cert });
const chainOf = (...gs: GenCert[]): ChainResult => ({ path: gs.map((g, i) => entry(`c${i + 1}`, g)), complete: gs[gs.length - 1].cert.selfIssued });

function artifacts(over: Partial<Artifacts> = {}): Artifacts {
  return {
    ctx: { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000 },
    input: { files: [], crlFiles: [], pasted: [] },
    target: 'unknown',
    ...over,
  };
}

beforeAll(async () => {
  srv = await startLoopback(routes);
  pki = await makePki({ baseUrl: `http://127.0.0.1:${srv.port}` });
  routes['/aia/contoso-issuing.crt'] = serve(pki.ca.der, 'application/pkix-cert');
  routes['/aia/contoso-root.crt'] = serve(pkcs7([pki.root]), 'application/pkcs7-mime');
  routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: pki.ca })).der);
  routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: pki.root })).der);
});
afterAll(() => srv.close());

describe('AIA chasing', () => {
  it('completes a chain from the user certificate alone (DER, then PKCS#7)', async () => {
    const { aiaCerts, aiaFetches } = await chaseAia(pki.user.cert, [entry('c1', pki.user)], net);
    expect(aiaCerts.map((e) => e.cert.sha256)).toEqual([pki.ca.cert.sha256, pki.root.cert.sha256]);
    expect(aiaCerts.map((e) => e.ref)).toEqual(['c2', 'c3']);
    expect(aiaCerts.every((e) => e.source === 'aia')).toBe(true);
    expect(aiaCerts[0].url).toBe(srv.url('/aia/contoso-issuing.crt'));
    expect(aiaCerts[1].fileName).toBe('contoso-root.crt');
    expect(aiaFetches.map((f) => [f.url, f.ok, f.problem])).toEqual([
      [srv.url('/aia/contoso-issuing.crt'), true, undefined],
      [srv.url('/aia/contoso-root.crt'), true, undefined],
    ]);
  });

  it('only fetches what is missing', async () => {
    const { aiaCerts, aiaFetches } = await chaseAia(pki.user.cert, [entry('c1', pki.user), entry('c2', pki.ca)], net);
    expect(aiaCerts.map((e) => e.cert.subject.display)).toEqual([pki.root.cert.subject.display]);
    expect(aiaFetches).toHaveLength(1);
    const none = await chaseAia(pki.user.cert, [entry('c1', pki.user), entry('c2', pki.ca), entry('c3', pki.root)], net);
    expect(none).toEqual({ aiaCerts: [], aiaFetches: [] });
  });

  it('records failures and answers that are not the issuer', async () => {
    const other = await makeCert({ subject: 'CN=Other CA', basicConstraints: { ca: true } });
    routes['/aia/wrong.crt'] = serve(other.der);
    routes['/aia/junk.crt'] = serve('<html>login</html>', 'text/html');
    const mk = (url: string) => makeCert({ subject: 'CN=Bob', issuer: pki.ca, aia: { caIssuers: [url] } });
    for (const [path, expectError, problem] of [
      ['/aia/missing.crt', 'http', undefined],
      ['/aia/wrong.crt', undefined, /did not issue/],
      ['/aia/junk.crt', undefined, /not a certificate/],
    ] as const) {
      const u = await mk(srv.url(path));
      const r = await chaseAia(u.cert, [entry('c1', u)], net);
      expect(r.aiaCerts).toEqual([]);
      expect(r.aiaFetches).toHaveLength(1);
      expect(r.aiaFetches[0].error?.kind).toBe(expectError);
      if (problem) expect(r.aiaFetches[0].problem).toMatch(problem);
    }
  });

  it('is refused on loopback unless private addresses are allowed', async () => {
    const r = await chaseAia(pki.user.cert, [entry('c1', pki.user)], { ...net, allowPrivate: false });
    expect(r.aiaCerts).toEqual([]);
    expect(r.aiaFetches[0].error?.kind).toBe('blocked');
  });

  it(`climbs at most ${AIA_MAX_DEPTH} levels`, async () => {
    // root ← ca1 ← ... ← ca7 ← user, each CA certificate only reachable through AIA.
    const root = await makeCert({ subject: 'CN=Deep Root', basicConstraints: { ca: true }, key: 'p256' });
    let parent = root;
    routes['/deep/0.crt'] = serve(root.der);
    for (let i = 1; i <= 7; i++) {
      parent = await makeCert({ subject: `CN=Deep CA ${i}`, issuer: parent, key: 'p256', basicConstraints: { ca: true }, aia: { caIssuers: [srv.url(`/deep/${i - 1}.crt`)] } });
      routes[`/deep/${i}.crt`] = serve(parent.der);
    }
    const user = await makeCert({ subject: 'CN=Deep User', issuer: parent, key: 'p256', aia: { caIssuers: [srv.url('/deep/7.crt')] } });
    const r = await chaseAia(user.cert, [entry('c1', user)], net);
    expect(r.aiaFetches).toHaveLength(AIA_MAX_DEPTH);
    expect(r.aiaCerts.map((e) => e.cert.subject.display)).toEqual(['CN=Deep CA 7', 'CN=Deep CA 6', 'CN=Deep CA 5', 'CN=Deep CA 4', 'CN=Deep CA 3']);
  });

  it('as a collector: needs the user certificate, does nothing offline', async () => {
    const col = makeAiaCollector();
    const a = artifacts({ certs: [entry('c1', pki.user)], user: { user: entry('c1', pki.user), candidates: [] } });
    const out = await col.run(a);
    expect(out.aiaCerts).toHaveLength(2);
    expect(await col.run({ ...a, ctx: { ...a.ctx, offline: true } })).toEqual({});
    expect(await col.run({ ...a, user: { candidates: [] } })).toEqual({});
  });
});

describe('CRL downloads', () => {
  it('downloads the CRL of every CA in the path except for the root', async () => {
    const d = await downloadCrls(chainOf(pki.user, pki.ca, pki.root), undefined, net);
    expect(d.map((x) => [x.kind, x.forRef, x.caRef, x.fetch.url, x.encoding])).toEqual([
      ['base', 'c1', 'c2', srv.url('/crl/contoso-issuing.crl'), 'der'],
      ['base', 'c2', 'c3', srv.url('/crl/contoso-root.crl'), 'der'],
    ]);
    expect(d[0].parsed?.issuer.key).toBe(pki.ca.cert.subject.key);
    expect(d[0].parsed?.source).toEqual({ kind: 'download', name: srv.url('/crl/contoso-issuing.crl'), url: srv.url('/crl/contoso-issuing.crl') });
    expect(d[1].body?.length).toBe(d[1].fetch.bytes);
  });

  it('fetches only HTTP(S) URLs and skips CAs whose CRL was given as a file', async () => {
    const user = await makeCert({ subject: 'CN=Carol', issuer: pki.ca, cdp: [['ldap:///CN=Contoso,CN=CDP?certificateRevocationList', srv.url('/crl/contoso-issuing.crl')], ['file://server/share/ca.crl']] });
    const d = await downloadCrls(chainOf(user, pki.ca, pki.root), undefined, net);
    expect(d.map((x) => x.fetch.url)).toEqual([srv.url('/crl/contoso-issuing.crl'), srv.url('/crl/contoso-root.crl')]);
    const caCrl = parseCrl((await makeCrl({ issuer: pki.ca })).der, { kind: 'file', name: 'issuing.crl' });
    const withFile = await downloadCrls(chainOf(user, pki.ca, pki.root), { items: [caCrl], problems: [] }, net);
    expect(withFile.map((x) => x.fetch.url)).toEqual([srv.url('/crl/contoso-root.crl')]);
  });

  it('fetches delta CRLs named by the certificate and by the base CRL', async () => {
    const ca = pki.ca;
    routes['/crl/base-with-delta.crl'] = serve((await makeCrl({ issuer: ca, crlNumber: 5, freshestCrl: [[srv.url('/crl/from-base+.crl')]] })).der);
    routes['/crl/from-base+.crl'] = serve((await makeCrl({ issuer: ca, crlNumber: 6, deltaIndicator: 5 })).der);
    routes['/crl/from-cert+.crl'] = serve((await makeCrl({ issuer: ca, crlNumber: 6, deltaIndicator: 5 })).der);
    const user = await makeCert({ subject: 'CN=Dave', issuer: ca, cdp: [[srv.url('/crl/base-with-delta.crl')]], freshestCrl: [[srv.url('/crl/from-cert+.crl')]] });
    const d = await downloadCrls(chainOf(user, ca, pki.root), undefined, net);
    expect(d.map((x) => [x.kind, x.fetch.url, x.fetch.ok])).toEqual([
      ['base', srv.url('/crl/base-with-delta.crl'), true],
      ['delta', srv.url('/crl/from-cert+.crl'), true],
      ['delta', srv.url('/crl/from-base+.crl'), true],
      ['base', srv.url('/crl/contoso-root.crl'), true],
    ]);
    expect(d[2].parsed?.deltaCrlIndicator).toBe(5n);
  });

  it('reads PEM, bare base64 and non-CRL bodies', async () => {
    const crl = await makeCrl({ issuer: pki.ca });
    routes['/crl/pem.crl'] = serve(crl.pem, 'application/x-pem-file');
    routes['/crl/b64.crl'] = serve(Buffer.from(crl.der).toString('base64'), 'text/plain');
    routes['/crl/html.crl'] = serve('<!doctype html><title>Sign in</title>', 'text/html');
    routes['/crl/cert.crl'] = serve(pki.ca.der);
    const user = await makeCert({ subject: 'CN=Erin', issuer: pki.ca, cdp: [[srv.url('/crl/pem.crl'), srv.url('/crl/b64.crl'), srv.url('/crl/html.crl'), srv.url('/crl/cert.crl')]] });
    const d = await downloadCrls(chainOf(user, pki.ca, pki.root), undefined, net);
    expect(d.filter((x) => x.forRef === 'c1').map((x) => [x.encoding, !!x.parsed])).toEqual([
      ['pem', true],
      ['base64', true],
      ['other', false],
      ['der', false],
    ]);
    expect(d[2].parseError).toMatch(/not a CRL/);
    expect(d[3].parseError).toMatch(/certificate/);
  });

  it('keeps per-URL limits and failures apart', async () => {
    routes['/crl/hang.crl'] = () => {};
    const user = await makeCert({ subject: 'CN=Frank', issuer: pki.ca, cdp: [[srv.url('/crl/hang.crl'), srv.url('/crl/nothing.crl'), srv.url('/crl/contoso-issuing.crl')]] });
    // The chain stops at the issuing CA (no root): its own CDP is fetched too, as the last download.
    const d = await downloadCrls(chainOf(user, pki.ca), undefined, net, { timeoutMs: 300, maxBytes: 100 });
    expect(d.map((x) => [x.forRef, x.fetch.error?.kind])).toEqual([
      ['c1', 'timeout'],
      ['c1', 'http'],
      ['c1', 'too-big'],
      ['c2', 'too-big'],
    ]);
    expect(d.every((x) => x.body === undefined)).toBe(true);
  });

  it('reads its limits from the environment', () => {
    expect(crlLimitsFromEnv({})).toEqual({ timeoutMs: 30_000, maxBytes: 160 * 1024 * 1024 });
    expect(crlLimitsFromEnv({ CBA_DOCTOR_CRL_TIMEOUT_MS: '500', CBA_DOCTOR_CRL_MAX_BYTES: '2048' })).toEqual({ timeoutMs: 500, maxBytes: 2048 });
    expect(crlLimitsFromEnv({ CBA_DOCTOR_CRL_TIMEOUT_MS: 'soon' }).timeoutMs).toBe(30_000);
  });

  it('tells the encodings apart', () => {
    expect(crlEncoding(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])).encoding).toBe('der');
    expect(crlEncoding(new Uint8Array()).encoding).toBe('other');
    expect(crlEncoding(Buffer.from('-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n')).encoding).toBe('pem');
    expect(crlEncoding(Buffer.from('hello world')).encoding).toBe('other');
  });

  it('as a collector: refused on loopback by default, nothing offline', async () => {
    const col = makeCrlDownloadsCollector();
    const chain = chainOf(pki.user, pki.ca, pki.root);
    const blocked = await col.run(artifacts({ chain, ctx: { now: new Date(), offline: false, allowPrivate: false, timeoutMs: 5000 } }));
    expect(blocked.crlDownloads?.map((d) => d.fetch.error?.kind)).toEqual(['blocked', 'blocked']);
    expect(await col.run(artifacts({ chain, ctx: { now: new Date(), offline: true, allowPrivate: true, timeoutMs: 5000 } }))).toEqual({});
    expect((await col.run(artifacts({ chain }))).crlDownloads).toHaveLength(2);
  });
});
