import { describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { closedPort, FED_HOST } from '@/test/adfs/standins';
import { adfsCertPort } from './adfs.cert-port';

const tls = tlsStandIns();
const serve = () => tls.serve({ requestCert: true });
const run = (o: { tlsClientPort?: number; httpsPort?: number; resolve?: Record<string, string> }) =>
  diagnose(
    { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1', ...o.resolve }, tlsClientPort: o.tlsClientPort },
    { checks: [adfsCertPort], only: ['AD FS certificate port'], ctx: { timeoutMs: 3000 }, federation: { httpsPort: o.httpsPort } },
  ).then((r) => result(r, 'adfs.cert-port'));

describe('adfs.cert-port', () => {
  it('passes when the given certificate port accepts connections, and says which binding it tested', async () => {
    const port = await serve();
    const c = await run({ tlsClientPort: port });
    expect(c.status).toBe('pass');
    expect(c.evidence.binding).toMatchObject({ host: FED_HOST, port, kind: 'port' });
    expect(targets(c)[0]).toMatchObject({ address: '127.0.0.1', port, ok: true });
  });

  it('fails when the port is closed, with the firewall remediation', async () => {
    const port = await closedPort();
    const c = await run({ tlsClientPort: port });
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/refused/);
    expect(c.remediation.at(-1)?.command).toBe(`Test-NetConnection ${FED_HOST} -Port ${port}`);
  });

  it('tests certauth.<host> on the HTTPS port when that name resolves', async () => {
    const port = await serve();
    const c = await run({ httpsPort: port, resolve: { [`certauth.${FED_HOST}`]: '127.0.0.1' } });
    expect(c.status).toBe('pass');
    expect(c.evidence.binding).toMatchObject({ host: `certauth.${FED_HOST}`, port, kind: 'certauth' });
  });

  it('uses port 49443 by default when certauth does not resolve', async () => {
    const c = await run({});
    expect(c.evidence.binding).toMatchObject({ host: FED_HOST, port: 49443, kind: 'port' });
  });
});
