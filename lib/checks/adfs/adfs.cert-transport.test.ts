import { describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { adfsHandler, closedPort, FED_HOST, type TransportBehaviour } from '@/test/adfs/standins';
import { adfsCertTransport } from './adfs.cert-transport';

const tls = tlsStandIns();

const WAIT = 400;
const serve = (transport: TransportBehaviour) => tls.serve({ requestCert: true, handler: adfsHandler({ transport }) });
const run = (port: number) =>
  diagnose(
    { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: port },
    { checks: [adfsCertTransport], only: ['AD FS certificate transport'], ctx: { timeoutMs: 3000 }, federation: { certTransportWaitMs: WAIT } },
  ).then((r) => result(r, 'adfs.cert-transport'));

describe('adfs.cert-transport', () => {
  it('passes when the request is left waiting', async () => {
    const port = await serve('hang');
    const c = await run(port);
    expect(c.status).toBe('pass');
    expect(c.evidence).toMatchObject({ url: `https://${FED_HOST}:${port}/adfs/services/trust/2005/certificatetransport`, method: 'POST', waitMs: WAIT });
    expect(targets(c)[0]).toMatchObject({ outcome: 'waiting', httpStatus: null, status: 'pass' });
  });

  it('fails when the server resets the connection', async () => {
    const c = await run(await serve('reset'));
    expect(c.status).toBe('fail');
    expect(targets(c)[0].outcome).toBe('reset');
    expect(c.remediation.some((r) => r.command?.includes('Enable-AdfsEndpoint'))).toBe(true);
  });

  it('fails when the server closes the connection', async () => {
    const c = await run(await serve('close'));
    expect(c.status).toBe('fail');
    expect(targets(c)[0].outcome).toMatch(/closed|reset/);
  });

  it('fails on an HTTP error status, and passes on a plain answer', async () => {
    const notFound = await run(await serve('http-404'));
    expect(notFound.status).toBe('fail');
    expect(notFound.summary).toMatch(/HTTP 404/);
    const ok = await run(await serve('http-200'));
    expect(ok.status).toBe('pass');
    expect(targets(ok)[0]).toMatchObject({ outcome: 'answered', httpStatus: 200 });
  });

  it('fails when nothing listens', async () => {
    const c = await run(await closedPort());
    expect(c.status).toBe('fail');
    expect(targets(c)[0].error).toMatchObject({ kind: 'refused' });
  });
});
