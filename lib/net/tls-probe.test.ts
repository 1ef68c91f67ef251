import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, serverIdentity, startSniOnlyServer, startTlsServer, FED_HOST, type Running, type ServerIdentity } from '@/test/adfs/standins';
import { days } from '@/test/pki/gen';
import { tlsProbe } from './tls-probe';

let id: ServerIdentity;
const servers: Running[] = [];
const keep = (r: Running) => (servers.push(r), r.port);

beforeAll(async () => {
  id = await serverIdentity();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const probe = (port: number, o: { servername?: string; extraCa?: string[] } = {}) =>
  tlsProbe({ address: '127.0.0.1', port, servername: 'servername' in o ? o.servername : FED_HOST, timeoutMs: 5000, allowPrivate: true, extraCa: o.extraCa });

describe('tlsProbe', () => {
  it('trusts a certificate from an extra root and matches the name', async () => {
    const port = keep(await startTlsServer({ id }));
    const r = await probe(port, { extraCa: [id.tlsRoot.pem] });
    expect(r.ok).toBe(true);
    expect(r.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.trusted).toBe(true);
    expect(r.nameMatch).toBe(true);
    expect(r.chain![0].dnsNames).toContain(FED_HOST);
    expect(r.chain![0].subject).toContain(`CN=${FED_HOST}`);
    expect(new Date(r.chain![0].notAfter).getTime()).toBe(id.server.notAfter.getTime() - (id.server.notAfter.getTime() % 1000));
  });

  it('reports an unknown root as untrusted, with the reason', async () => {
    const port = keep(await startTlsServer({ id }));
    const r = await probe(port);
    expect(r.ok).toBe(true);
    expect(r.trusted).toBe(false);
    expect(r.trustError).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it('reports a name mismatch', async () => {
    const port = keep(await startTlsServer({ id }));
    const r = await probe(port, { servername: 'other.contoso.test', extraCa: [id.tlsRoot.pem] });
    expect(r.nameMatch).toBe(false);
    expect(r.nameError).toMatch(/other\.contoso\.test/);
    expect(r.trusted).toBe(true);
  });

  it('reports an expired certificate', async () => {
    const old = await serverIdentity({ notBefore: days(-400), notAfter: days(-2) });
    const port = keep(await startTlsServer({ id: old }));
    const r = await probe(port, { extraCa: [old.tlsRoot.pem] });
    expect(r.trusted).toBe(false);
    expect(r.trustError).toBe('CERT_HAS_EXPIRED');
  });

  it('fails without SNI on a server that only has a certificate for SNI clients', async () => {
    const port = keep(await startSniOnlyServer(id));
    const withSni = await probe(port, { extraCa: [id.tlsRoot.pem] });
    expect(withSni.ok).toBe(true);
    const without = await probe(port, { servername: undefined });
    expect(without.ok).toBe(false);
    expect(without.error?.kind).toMatch(/tls|reset|closed/);
  });

  it('reports refusal and the policy block', async () => {
    const refused = await probe(await closedPort());
    expect(refused.error?.kind).toBe('refused');
    const port = keep(await startTlsServer({ id }));
    const blocked = await tlsProbe({ address: '127.0.0.1', port, servername: FED_HOST, timeoutMs: 2000, allowPrivate: false });
    expect(blocked.error?.kind).toBe('blocked');
  });
});
