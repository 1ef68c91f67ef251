import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result } from '@/test/adfs/harness';
import { startRealm, type RealmStandIn } from '@/test/adfs/standins';
import { realmStsHost } from './realm.sts-host';

let realm: RealmStandIn;
beforeAll(async () => {
  realm = await startRealm({ 'contoso.com': { namespace: 'Federated', authHost: 'sts.contoso.test' }, 'fabrikam.com': { namespace: 'Managed' } });
});
afterAll(() => realm.close());

const run = (upn: string, federationHost?: string) =>
  diagnose({ upn, federationHost }, { checks: [realmStsHost], ctx: { timeoutMs: 2000 }, federation: { realmUrl: realm.url } });

describe('realm.sts-host', () => {
  it('passes when the typed host is the AuthURL host (case-insensitive)', async () => {
    const c = result(await run('alice@contoso.com', 'STS.contoso.test'), 'realm.sts-host');
    expect(c.status).toBe('pass');
    expect(c.evidence).toMatchObject({ authUrlHost: 'sts.contoso.test', typedHost: 'sts.contoso.test', filledHost: null });
  });

  it('ignores a trailing root dot on the typed host', async () => {
    const c = result(await run('alice@contoso.com', 'sts.contoso.test.'), 'realm.sts-host');
    expect(c.status).toBe('pass');
  });

  it('fills the host in when none was typed', async () => {
    const r = await run('alice@contoso.com');
    const c = result(r, 'realm.sts-host');
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/using sts\.contoso\.test/);
    expect(c.evidence.filledHost).toBe('sts.contoso.test');
  });

  it('warns and names both hosts when they differ', async () => {
    const c = result(await run('alice@contoso.com', 'adfs.other.test'), 'realm.sts-host');
    expect(c.status).toBe('warn');
    expect(c.summary).toContain('sts.contoso.test');
    expect(c.summary).toContain('adfs.other.test');
    expect(c.remediation[0].command).toContain('Get-MgDomainFederationConfiguration -DomainId contoso.com');
  });

  it('skips for a managed domain', async () => {
    expect(result(await run('bob@fabrikam.com', 'sts.contoso.test'), 'realm.sts-host').status).toBe('skip');
  });
});
