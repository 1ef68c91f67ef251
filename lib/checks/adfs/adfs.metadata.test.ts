import { describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { adfsHandler, closedPort, FED_HOST } from '@/test/adfs/standins';
import { adfsMetadata } from './adfs.metadata';

const tls = tlsStandIns();

const serve = (metadata: 'ok' | 'html' | 404) => tls.serve({ handler: adfsHandler({ metadata }) });
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
