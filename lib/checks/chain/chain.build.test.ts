import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { days, makeCert, makePki, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { chainBuild } from './chain.build';
import { chainPath } from './chain.path';
import { diagnose, resultOf } from '@/test/checks/chain';

const P256 = { key: 'p256' } as const;
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: P256 });
});

describe('chain.build', () => {
  it('passes when the uploaded certificates reach a self-signed root', async () => {
    const c = resultOf(await diagnose([chainBuild], { certs: [{ der: pki.root.der }, { der: pki.user.der }, { der: pki.ca.der }] }), 'chain.build');
    expect(c.status).toBe('pass');
    const path = c.evidence.path as { subject: string; role: string; status: string }[];
    expect(path.map((p) => [p.role, p.subject])).toEqual([
      ['user', pki.user.cert.subject.display],
      ['intermediate', pki.ca.cert.subject.display],
      ['root', pki.root.cert.subject.display],
    ]);
  });

  it('lists the candidate paths it built and validated, with the same verdict in both file orders', async () => {
    // A second copy of the issuing CA (same name and key) that is expired: a worse candidate path.
    const stale = await makeCert({ subject: pki.ca.subject, key: pki.ca.key, issuer: pki.root, basicConstraints: { ca: true }, notBefore: days(-900), notAfter: days(-30) });
    const files = [pki.user, stale, pki.ca, pki.root].map((g) => ({ der: g.der }));
    const summaries = new Set<string>();
    for (const certs of [files, [...files].reverse()]) {
      const report = await diagnose([chainBuild, chainPath], { certs });
      const c = resultOf(report, 'chain.build');
      expect(c.status).toBe('pass');
      expect(c.summary).toMatch(/1 other candidate path\(s\) were built and validated\.$/);
      const alts = c.evidence.alternatives as { path: string[]; valid: boolean; chosen: boolean; problems: { rule: string; section: string }[] }[];
      expect(c.evidence.pathsTried).toBe(2);
      expect(alts.map((x) => [x.chosen, x.valid, x.problems.map((p) => `${p.rule} ${p.section}`)])).toEqual([
        [true, true, []],
        [false, false, ['validity RFC 5280 6.1.3 (a)(2)']],
      ]);
      expect(resultOf(report, 'chain.path').status).toBe('pass');
      summaries.add((c.evidence.path as { thumbprint: string }[]).map((p) => p.thumbprint).join());
    }
    expect(summaries.size).toBe(1);
    // Without the current copy, no path is valid: chain.path says the others were tried.
    const only = await diagnose([chainBuild, chainPath], { certs: [pki.user, stale, pki.root].map((g) => ({ der: g.der })) });
    expect(resultOf(only, 'chain.path').status).toBe('fail');
    expect(resultOf(only, 'chain.path').summary).not.toMatch(/other candidate path/);
  });

  it('fails on a missing intermediate, naming its DN, key id and AIA location', async () => {
    const c = resultOf(await diagnose([chainBuild], { certs: [{ der: pki.user.der }, { der: pki.root.der }] }), 'chain.build');
    expect(c.status).toBe('fail');
    expect(c.summary).toContain(pki.ca.cert.subject.display);
    expect(c.summary).toContain(pki.ca.ski);
    expect(c.evidence.missing).toMatchObject({ issuer: pki.ca.cert.subject.display, keyId: pki.ca.ski, aiaUrls: ['http://pki.contoso.com/aia/contoso-issuing.crt'], status: 'fail' });
    expect(c.remediation.some((r) => r.command === "Invoke-WebRequest -Uri 'http://pki.contoso.com/aia/contoso-issuing.crt' -OutFile issuer.cer")).toBe(true);
  });

  it('skips without a user certificate', async () => {
    const c = resultOf(await diagnose([chainBuild], { certs: [{ der: pki.root.der }] }), 'chain.build');
    expect(c.status).toBe('skip');
  });

  describe('online', () => {
    const routes: Record<string, Handler> = {};
    let srv: Loopback;
    let online: Pki;
    beforeAll(async () => {
      srv = await startLoopback(routes);
      online = await makePki({ root: P256, ca: P256, user: P256, baseUrl: `http://127.0.0.1:${srv.port}` });
      routes['/aia/contoso-root.crt'] = serve(online.root.der);
    });
    afterAll(() => srv.close());

    it('warns when the root came only from AIA', async () => {
      const r = await diagnose([chainBuild], { certs: [{ der: online.user.der }, { der: online.ca.der }], offline: false, allowPrivate: true });
      const c = resultOf(r, 'chain.build');
      expect(c.status).toBe('warn');
      expect(c.summary).toContain(srv.url('/aia/contoso-root.crt'));
      expect(c.evidence.rootSource).toBe('aia');
      expect(srv.hits).toContain('/aia/contoso-root.crt');
    });
  });
});
