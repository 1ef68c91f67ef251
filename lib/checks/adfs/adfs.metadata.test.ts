import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/lib/adfs/testing/harness';
import { adfsHandler, closedPort, FED_HOST, serverIdentity, startTlsServer, type Running, type ServerIdentity } from '@/lib/adfs/testing/standins';
import { adfsMetadata } from './adfs.metadata';

let id: ServerIdentity;
const servers: Running[] = [];
beforeAll(async () => {
  id = await serverIdentity();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const serve = async (metadata: 'ok' | 'html' | 404) => {
  const s = await startTlsServer({ id, handler: adfsHandler({ metadata }) });
  servers.push(s);
  return s.port;
};
const run = (port: number) =>
  diagnose({ federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' } }, { checks: [adfsMetadata], only: ['AD FS federation metadata'], ctx: { timeoutMs: 3000 }, federation: { httpsPort: port } }).then((r) =>
    result(r, 'adfs.metadata'),
  );

describe('adfs.metadata', () => {
  it('passes with the entityID, fetched with Host and SNI set to the federation name', async () => {
    const c = await run(await serve('ok'));
    expect(c.status).toBe('pass');
    // The stand-in builds the entityID from the Host header it received.
    expect(targets(c)[0]).toMatchObject({ entityId: `http://${FED_HOST}/adfs/services/trust`, httpStatus: 200, status: 'pass' });
    expect(c.evidence.url).toBe(`https://${FED_HOST}:${(c.evidence.url as string).split(':')[2].split('/')[0]}/FederationMetadata/2007-06/FederationMetadata.xml`);
  });

  it('fails for an HTML page served with 200', async () => {
    const c = await run(await serve('html'));
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/root element is <html>/);
    expect(c.remediation.some((r) => r.command?.includes('Get-AdfsEndpoint'))).toBe(true);
  });

  it('fails for another status, and when nothing answers', async () => {
    const notFound = await run(await serve(404));
    expect(notFound.status).toBe('fail');
    expect(notFound.summary).toMatch(/HTTP 404/);
    const refused = await run(await closedPort());
    expect(refused.status).toBe('fail');
    expect(targets(refused)[0].error).toMatchObject({ kind: 'refused' });
  });
});
