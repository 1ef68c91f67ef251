import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { closedPort, FED_HOST, serverIdentity, startSniOnlyServer, trustRootViaEnv, adfsHandler, type TlsServerOptions } from '@/test/adfs/standins';
import { days } from '@/test/pki/gen';
import { adfsHttps } from './adfs.https';

const tls = tlsStandIns();
let trust: { undo(): void };
const serve = (o: Partial<TlsServerOptions> = {}) => tls.serve({ handler: adfsHandler(), ...o });

beforeAll(() => {
  trust = trustRootViaEnv(tls.id().tlsRoot);
});
afterAll(() => {
  trust.undo();
});

const run = (port: number, o: { nodes?: string[]; allowPrivate?: boolean; at?: Date } = {}) =>
  diagnose(
    { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, nodes: o.nodes },
    { checks: [adfsHttps], only: ['AD FS HTTPS'], ctx: { allowPrivate: o.allowPrivate ?? true, now: o.at ?? new Date(), timeoutMs: 3000 }, federation: { httpsPort: port } },
  ).then((r) => result(r, 'adfs.https'));

describe('adfs.https', () => {
  it('passes for a trusted certificate valid for the host, with the no-SNI handshake as information', async () => {
    const c = await run(await serve());
    expect(c.status).toBe('pass');
    const [t] = targets(c);
    expect(t).toMatchObject({ address: '127.0.0.1', servername: FED_HOST, trusted: true, nameMatch: true, status: 'pass' });
    expect((t.certificate as { dnsNames: string[] }).dnsNames).toContain(FED_HOST);
    expect(t.withoutSni).toMatchObject({ ok: true });
    expect(c.summary).toMatch(/without SNI also works/);
  });

  it('notes that a server needing SNI fails without it, and still passes', async () => {
    const s = tls.track(await startSniOnlyServer(tls.id(), adfsHandler()));
    const c = await run(s.port);
    expect(c.status).toBe('pass');
    expect(targets(c)[0].withoutSni).toMatchObject({ ok: false });
    expect(c.summary).toMatch(/without SNI fails/);
  });

  it('fails for a certificate from an unknown root', async () => {
    const other = await serverIdentity();
    const c = await run(await serve({ id: other }));
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/not trusted/);
    expect(targets(c)[0].trustError).toMatch(/UNABLE_TO/);
  });

  it('fails for a certificate of another name', async () => {
    const wrong = await serverIdentity({ dnsNames: ['www.contoso.test'] });
    trust.undo();
    trust = trustRootViaEnv(wrong.tlsRoot);
    try {
      const c = await run(await serve({ id: wrong }));
      expect(c.status).toBe('fail');
      expect(c.summary).toMatch(/not valid for sts\.contoso\.test/);
      expect(c.remediation.some((r) => r.command?.includes('Set-AdfsSslCertificate'))).toBe(true);
    } finally {
      trust.undo();
      trust = trustRootViaEnv(tls.id().tlsRoot);
    }
  });

  it('warns 30 days before expiry and fails once expired (evaluation time)', async () => {
    const port = await serve();
    const soon = await run(port, { at: days(-20, tls.id().server.notAfter) });
    expect(soon.status).toBe('warn');
    expect(soon.summary).toMatch(/expires in 19 day/);
    const gone = await run(port, { at: days(1, tls.id().server.notAfter) });
    expect(gone.status).toBe('fail');
    expect(gone.summary).toMatch(/expired/);
  });

  it('fails when nothing answers, and reports each node separately', async () => {
    const good = await serve();
    const refused = await run(await closedPort());
    expect(refused.status).toBe('fail');
    expect(refused.summary).toMatch(/refused/);
    // 127.0.0.2 is loopback too, but nothing listens there.
    const c = await run(good, { nodes: ['127.0.0.1', '127.0.0.2'] });
    expect(c.status).toBe('fail');
    const [a, b] = targets(c);
    expect(a).toMatchObject({ target: '127.0.0.1', node: '127.0.0.1', status: 'pass', servername: FED_HOST });
    expect(b).toMatchObject({ target: '127.0.0.2', status: 'fail' });
    expect(c.summary).toMatch(/1 of 2 targets.*127\.0\.0\.2/);
  });

  it('is an error, not a failure, when the network policy refuses the address', async () => {
    const c = await run(await serve(), { allowPrivate: false });
    expect(c.status).toBe('error');
    expect(targets(c)[0].error).toMatchObject({ kind: 'blocked' });
  });

  it('never advises --allow-private for a cloud metadata address, which no setting unlocks', async () => {
    const port = await serve();
    for (const allowPrivate of [false, true]) {
      const c = await run(port, { nodes: ['169.254.169.254', 'fd00:ec2::254'], allowPrivate });
      expect(c.status).toBe('error');
      const text = JSON.stringify(c);
      expect(text).not.toMatch(/ALLOW_PRIVATE|allow-private/i);
      expect(text).toContain('refused even when private addresses are allowed');
    }
    // A private address still gets the hint, because the setting does unlock it.
    const priv = await run(port, { nodes: ['10.0.0.1'], allowPrivate: false });
    expect(priv.summary).toMatch(/CBA_DOCTOR_ALLOW_PRIVATE=1/);
  });
});
