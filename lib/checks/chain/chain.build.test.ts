import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { chainBuild } from './chain.build';
import { diagnose, resultOf } from './testing';

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
