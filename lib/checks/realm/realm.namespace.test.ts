import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result } from '@/test/adfs/harness';
import { closedPort, startRealm, type RealmStandIn } from '@/test/adfs/standins';
import { realmNamespace } from './realm.namespace';

let realm: RealmStandIn;
beforeAll(async () => {
  realm = await startRealm({ 'contoso.com': { namespace: 'Federated', authHost: 'sts.contoso.test', brand: 'Contoso' }, 'fabrikam.com': { namespace: 'Managed' } });
});
afterAll(() => realm.close());

const run = (upn: string | undefined, o: { url?: string; offline?: boolean; target?: 'adfs' | 'entra'; domain?: string } = {}) =>
  diagnose(
    { upn, domain: o.domain ?? upn?.split('@')[1] },
    { checks: [realmNamespace], ctx: { offline: o.offline ?? false, requestedTarget: o.target, timeoutMs: 3000 }, federation: { realmUrl: o.url ?? realm.url } },
  );

describe('realm.namespace', () => {
  it('passes for a federated domain and sets the target to adfs', async () => {
    const r = await run('alice@contoso.com');
    const c = result(r, 'realm.namespace');
    expect(c.status).toBe('pass');
    expect(r.target).toBe('adfs');
    expect(c.evidence).toMatchObject({ nameSpaceType: 'Federated', domainName: 'contoso.com', federationBrandName: 'Contoso', target: 'adfs' });
    expect(c.summary).toContain('sts.contoso.test');
    // The AD FS host came from AuthURL and shows in the report input.
    expect(r.input.federationHost).toBe('sts.contoso.test');
  });

  it('is info for a managed domain and sets the target to entra', async () => {
    const r = await run('bob@fabrikam.com');
    expect(result(r, 'realm.namespace').status).toBe('info');
    expect(r.target).toBe('entra');
    expect(r.input.federationHost).toBeUndefined();
  });

  it('fails for a domain no tenant knows, with remediation', async () => {
    const r = await run('eve@nowhere.test');
    const c = result(r, 'realm.namespace');
    expect(c.status).toBe('fail');
    expect(r.target).toBe('unknown');
    expect(c.remediation[0].command).toContain('Get-MgDomain');
  });

  it('does not override a target forced with --target', async () => {
    const r = await run('bob@fabrikam.com', { target: 'adfs' });
    expect(r.target).toBe('adfs');
    expect(result(r, 'realm.namespace').evidence.targetForcedBy).toBe('--target');
  });

  it('is an error when discovery cannot be reached', async () => {
    const r = await run('alice@contoso.com', { url: `http://127.0.0.1:${await closedPort()}/getuserrealm.srf` });
    const c = result(r, 'realm.namespace');
    expect(c.status).toBe('error');
    expect(c.summary).toMatch(/could not be reached/);
    expect(r.target).toBe('unknown');
  });

  it('is an error when the answer is not a realm answer', async () => {
    const http = await import('node:http');
    const s = http.createServer((_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy login</html>'));
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
    try {
      const port = (s.address() as import('node:net').AddressInfo).port;
      const c = result(await run('alice@contoso.com', { url: `http://127.0.0.1:${port}/getuserrealm.srf` }), 'realm.namespace');
      expect(c.status).toBe('error');
      expect(c.summary).toMatch(/not a RealmInfo/);
    } finally {
      s.close();
    }
  });

  it('skips offline and without an address or domain', async () => {
    expect(result(await run('alice@contoso.com', { offline: true }), 'realm.namespace').status).toBe('skip');
    expect(result(await run(undefined), 'realm.namespace').status).toBe('skip');
  });
});
