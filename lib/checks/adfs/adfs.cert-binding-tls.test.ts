import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { FED_HOST, trustRootViaEnv } from '@/test/adfs/standins';
import { chainIdentity, startBindingServer, type BindingServer, type BindingServerOptions, type ChainIdentity } from '@/test/adfs/tls-standins';
import { adfsCertBindingTls } from './adfs.cert-binding-tls';

let id: ChainIdentity;
let undo: () => void;
const running: BindingServer[] = [];
beforeAll(async () => {
  id = await chainIdentity();
  undo = trustRootViaEnv(id.root).undo;
});
afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
  undo();
});
const serve = async (o: Partial<BindingServerOptions> = {}) => {
  const s = await startBindingServer({ id, ...o });
  running.push(s);
  return s.port;
};
/** The stand-in serves both endpoints: the certificate port and the "443" of the federation host. */
const run = (port: number, o: { nodes?: string[]; resolve?: Record<string, string>; tlsClientPort?: number | null } = {}) =>
  diagnose(
    { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1', ...o.resolve }, nodes: o.nodes, tlsClientPort: o.tlsClientPort === null ? undefined : (o.tlsClientPort ?? port) },
    { checks: [adfsCertBindingTls], only: ['AD FS binding TLS'], ctx: { timeoutMs: 4000 }, federation: { httpsPort: port } },
  ).then((r) => result(r, 'adfs.cert-binding-tls'));
const versions = (t: Record<string, unknown>) => Object.fromEntries((t.versions as { version: string; outcome: string }[]).map((v) => [v.version, v.outcome]));

describe('adfs.cert-binding-tls', () => {
  it('passes a binding that chooses HTTP/1.1, serves its name and sends its intermediate; every version tried', async () => {
    const c = await run(await serve({ alpn: ['http/1.1'] }));
    expect(c.status).toBe('pass');
    const [cert, https] = targets(c);
    expect(cert).toMatchObject({ endpoint: 'certificate endpoint', servername: FED_HOST, alpnChosen: 'http/1.1', intermediatesMissing: false, nameMatch: true, status: 'pass' });
    expect((cert.certificatesSent as { subject: string }[]).map((x) => x.subject)).toEqual([
      `CN=${FED_HOST}, O=Contoso, C=US`,
      'CN=Binding Test Issuing CA, O=Fabrikam Test, C=US',
      'CN=Binding Test Root, O=Fabrikam Test, C=US',
    ]);
    // Node's default server accepts TLS 1.2 and 1.3; 1.0 and 1.1 are refused by the server (or not testable here).
    expect(versions(cert)).toMatchObject({ 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' });
    expect(['refused', 'untestable']).toContain(versions(cert).TLSv1);
    expect(https).toMatchObject({ endpoint: 'HTTPS endpoint', status: 'pass' });
  });

  it('fails when the certificate endpoint chooses h2, with the http.sys setting', async () => {
    const c = await run(await serve({ alpn: ['h2', 'http/1.1'] }));
    expect(c.status).toBe('fail');
    expect(c.summary).toContain('the server chose HTTP/2 (h2), which cannot carry client certificate authentication');
    expect(targets(c)[0]).toMatchObject({ alpnChosen: 'h2', status: 'fail' });
    // On 443 (no certificate requested there) h2 is only noted.
    expect(targets(c)[1]).toMatchObject({ alpnChosen: 'h2', status: 'pass' });
    expect(c.remediation.map((r) => r.command)).toContain('reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters /v EnableHttp2Tls /t REG_DWORD /d 0 /f');
  });

  it('warns when only the leaf is sent (Android does not fetch the intermediate)', async () => {
    const c = await run(await serve({ chain: 'leaf' }));
    expect(c.status).toBe('warn');
    expect(targets(c)[0]).toMatchObject({ intermediatesMissing: true, status: 'warn' });
    expect(c.summary).toContain('not the intermediate CA (CN=Binding Test Issuing CA, O=Fabrikam Test, C=US); Android clients do not fetch it');
    expect(c.remediation.map((r) => r.command)).toContain('certutil -addstore -f CA intermediate.cer');
  });

  it('notes a server that requires SNI: the handshake without SNI fails, the binding still passes', async () => {
    const c = await run(await serve({ sniOnly: true }));
    expect(c.status).toBe('pass');
    expect(targets(c)[0].withoutSni).not.toMatch(/^ok/);
    expect(c.summary).toContain('a handshake without SNI fails');
  });

  it('warns about a TLS 1.3-only server', async () => {
    const c = await run(await serve({ minVersion: 'TLSv1.3' }));
    expect(c.status).toBe('warn');
    expect(versions(targets(c)[0])).toMatchObject({ 'TLSv1.2': 'refused', 'TLSv1.3': 'accepted' });
    expect(c.summary).toContain('only TLS 1.3 is accepted');
  });

  it('with the alternate binding, fails a certificate without certauth.<host>', async () => {
    const plain = await chainIdentity([FED_HOST]);
    const s = await startBindingServer({ id: plain });
    running.push(s);
    const undoPlain = trustRootViaEnv(plain.root).undo;
    try {
      const c = await run(s.port, { tlsClientPort: null, resolve: { [`certauth.${FED_HOST}`]: '127.0.0.1' } });
      expect(c.evidence.binding).toMatchObject({ kind: 'certauth', host: `certauth.${FED_HOST}` });
      expect(c.status).toBe('fail');
      expect(targets(c)[0]).toMatchObject({ servername: `certauth.${FED_HOST}`, nameMatch: false });
      expect(c.remediation.map((r) => r.command)).toContain('Set-AdfsAlternateTlsClientBinding -Thumbprint <thumbprint of the new certificate>');
    } finally {
      undoPlain();
    }
  });

  it('probes each --node: one node on h2, the other on HTTP/1.1, told apart', async () => {
    const port = await serve({ alpn: ['h2', 'http/1.1'], host: '127.0.0.1' });
    await serve({ alpn: ['http/1.1'], host: '127.0.0.2', port });
    const c = await run(port, { nodes: ['127.0.0.1', '127.0.0.2'] });
    expect(c.status).toBe('fail');
    const byNode = targets(c).filter((t) => t.endpoint === 'certificate endpoint').map((t) => [t.node, t.alpnChosen, t.status]);
    expect(byNode).toEqual([
      ['127.0.0.1', 'h2', 'fail'],
      ['127.0.0.2', 'http/1.1', 'pass'],
    ]);
    expect(c.summary).toContain('127.0.0.1 (certificate endpoint');
  });

  it('skips when nothing listens (adfs.cert-port reports that)', async () => {
    const s = await startBindingServer({ id });
    const port = s.port;
    await s.close();
    const c = await run(port);
    expect(c.status).toBe('skip');
  });
});
