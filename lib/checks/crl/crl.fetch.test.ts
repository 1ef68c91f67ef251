import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl } from '@/test/pki/gen';
import { closedPort, redirect, serve } from '@/test/net/loopback';
import { baseArtifacts, crlWorld, type CrlWorld } from '@/test/net/crl-world';
import { parseCrl } from '@/lib/pki/crl/parse';
import { crlFetch } from './crl.fetch';

let w: CrlWorld;
beforeAll(async () => {
  w = await crlWorld();
  w.routes['/crl/forbidden.crl'] = serve('<h1>Access denied</h1>', 'text/html', 403);
  w.routes['/crl/empty.crl'] = serve(new Uint8Array(0));
  w.routes['/crl/moved.crl'] = redirect('/crl/contoso-issuing.crl');
  w.routes['/crl/to-metadata.crl'] = redirect('http://169.254.169.254/latest/meta-data/');
  w.routes['/crl/hang.crl'] = () => {};
});
afterAll(() => w.close());

type Row = { url: string; status: string; httpStatus: number | null; error: { kind: string } | null; ttfbMs: number | null; totalMs: number; kind: string };
const rows = (o: { evidence?: Record<string, unknown> }) => (o.evidence as { downloads: Row[] }).downloads;

async function judge(paths: string[], o: Parameters<CrlWorld['artifacts']>[1] = {}) {
  const user = await w.user({ cdpPaths: [paths] });
  const a = await w.artifacts(user, o);
  const applies = crlFetch.applies!(a);
  if (applies !== true) return { status: 'skip', summary: applies, evidence: {} as Record<string, unknown>, remediation: [] };
  return crlFetch.run(a);
}

describe('crl.fetch', () => {
  it('passes when every CRL answers 200 with a body, with timing per URL', async () => {
    const o = await judge(['/crl/contoso-issuing.crl']);
    expect(o.status).toBe('pass');
    const r = rows(o);
    expect(r.map((x) => [x.url, x.status, x.httpStatus])).toEqual([
      [w.srv.url('/crl/contoso-issuing.crl'), 'pass', 200],
      [w.srv.url('/crl/contoso-root.crl'), 'pass', 200],
    ]);
    expect(r[0].ttfbMs).not.toBeNull();
  });

  it('follows a redirect to the CRL', async () => {
    const o = await judge(['/crl/moved.crl']);
    expect(rows(o)[0].status).toBe('pass');
  });

  it('fails a 404 and a 403, per URL, and says 403 is usually a firewall', async () => {
    const o = await judge(['/crl/missing.crl', '/crl/forbidden.crl']);
    expect(o.status).toBe('fail');
    expect(rows(o).map((x) => [x.status, x.httpStatus])).toEqual([
      ['fail', 404],
      ['fail', 403],
      ['pass', 200],
    ]);
    expect(o.summary).toMatch(/HTTP 404/);
    expect(o.summary).toMatch(/HTTP 403/);
    expect(o.remediation?.some((r) => /firewall/.test(r.text))).toBe(true);
    expect(o.remediation?.some((r) => r.command?.includes('Invoke-WebRequest'))).toBe(true);
  });

  it('fails an empty 200 answer', async () => {
    const o = await judge(['/crl/empty.crl']);
    expect(rows(o)[0]).toMatchObject({ status: 'fail', httpStatus: 200 });
  });

  it('fails a server that never answers (time limit shortened for the test)', async () => {
    const o = await judge(['/crl/hang.crl'], { fetch: { timeoutMs: 300 } });
    expect(rows(o)[0]).toMatchObject({ status: 'fail', error: { kind: 'timeout' } });
  });

  it('fails a refused connection and a name that does not resolve', async () => {
    const port = await closedPort();
    // The host comes from the certificate: a crafted one must not turn the ready-to-run command into code.
    const o = await judge([`http://127.0.0.1:${port}/x.crl`, 'http://crl.does-not-exist.invalid/x.crl', "http://crl.o'$(calc).invalid/x.crl"]);
    expect(rows(o).slice(0, 3).map((x) => [x.status, x.error?.kind])).toEqual([
      ['fail', 'refused'],
      ['fail', 'dns'],
      ['fail', 'dns'],
    ]);
    const commands = o.remediation?.map((r) => r.command);
    expect(commands).toContain("Resolve-DnsName 'crl.does-not-exist.invalid'");
    expect(commands).toContain("Resolve-DnsName 'crl.o''$(calc).invalid'");
  });

  it('suggests allowing double escaping for a delta CRL 404 with "+" in its name', async () => {
    const o = await judge(['/crl/contoso-issuing+.crl']);
    expect(o.remediation?.some((r) => r.command?.includes('allowDoubleEscaping:true'))).toBe(true);
  });

  it('refuses loopback without --allow-private: a warning for AD FS, a failure for Entra', async () => {
    const hits = w.srv.hits.length;
    const adfs = await judge(['/crl/contoso-issuing.crl'], { allowPrivate: false, target: 'adfs' });
    expect(adfs.status).toBe('warn');
    expect(rows(adfs).every((x) => x.error?.kind === 'blocked')).toBe(true);
    const entra = await judge(['/crl/contoso-issuing.crl'], { allowPrivate: false, target: 'entra' });
    expect(entra.status).toBe('fail');
    expect(w.srv.hits.length).toBe(hits);
  });

  it('refuses a redirect to the cloud metadata address even with --allow-private', async () => {
    const o = await judge(['/crl/to-metadata.crl'], { target: 'adfs' });
    // Nobody can fetch a CRL there, AD FS included: a failure for every target, without the --allow-private hint.
    expect(rows(o)[0]).toMatchObject({ status: 'fail', error: { kind: 'blocked', privateOnly: false } });
    expect(o.remediation?.map((r) => r.text).join(' ')).not.toMatch(/--allow-private/);
  });

  it('lists the CAs whose CRL was given as a file, and skips when nothing is left to fetch', async () => {
    const caCrl = parseCrl((await makeCrl({ issuer: w.pki.ca })).der, { kind: 'file', name: 'issuing.crl' });
    const rootCrl = parseCrl((await makeCrl({ issuer: w.pki.root })).der, { kind: 'file', name: 'root.crl' });
    const o = await judge(['/crl/missing.crl'], { crlFiles: { items: [caCrl], problems: [] } });
    expect(o.status).toBe('pass');
    expect((o.evidence as { givenAsFiles: { note: string }[] }).givenAsFiles[0].note).toMatch(/issuing\.crl/);
    const none = await judge(['/crl/missing.crl'], { crlFiles: { items: [caCrl, rootCrl], problems: [] } });
    expect(none.status).toBe('skip');
    expect(none.summary).toMatch(/given as a file/);
  });

  it('skips offline and without downloads', () => {
    expect(crlFetch.applies!(baseArtifacts({ ctx: { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 1000 } }))).toMatch(/offline/);
    expect(crlFetch.applies!(baseArtifacts())).toMatch(/chain/);
  });

  it('fetches nothing for an LDAP-only CDP', async () => {
    const o = await judge(['ldap:///CN=Contoso,CN=CDP?certificateRevocationList']);
    // The issuing CA's own CDP (the root's CRL) is still fetched.
    expect(rows(o).map((x) => x.url)).toEqual([w.srv.url('/crl/contoso-root.crl')]);
  });
});
