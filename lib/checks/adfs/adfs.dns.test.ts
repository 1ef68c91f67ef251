import { describe, expect, it } from 'vitest';
import { diagnose, result } from '@/test/adfs/harness';
import { adfsDns } from './adfs.dns';

const only = ['federation host DNS'];
const run = (federationHost: string | undefined, o: { resolve?: Record<string, string>; nodes?: string[]; offline?: boolean; target?: 'entra' } = {}) =>
  diagnose({ federationHost, resolve: o.resolve, nodes: o.nodes }, { checks: [adfsDns], only, ctx: { offline: o.offline, requestedTarget: o.target, timeoutMs: 3000 } });

describe('adfs.dns', () => {
  it('passes for a public address and lists it, with certauth and the nodes', async () => {
    const c = result(await run('sts.contoso.test', { resolve: { 'sts.contoso.test': '20.190.151.68' }, nodes: ['10.0.0.5'] }), 'adfs.dns');
    expect(c.status).toBe('pass');
    expect(c.evidence).toMatchObject({ host: 'sts.contoso.test', source: 'override', addresses: [{ address: '20.190.151.68', family: 4, public: true }] });
    expect(c.evidence.nodes).toEqual([{ node: '10.0.0.5', source: 'literal', addresses: [{ address: '10.0.0.5', family: 4, public: false, range: expect.stringContaining('RFC 1918') }], error: null }]);
    expect((c.evidence.certauth as { host: string }).host).toBe('certauth.sts.contoso.test');
  });

  it('warns when every address is private', async () => {
    const c = result(await run('sts.contoso.test', { resolve: { 'sts.contoso.test': '192.168.10.4' } }), 'adfs.dns');
    expect(c.status).toBe('warn');
    expect(c.summary).toContain('192.168.10.4');
    expect(c.remediation.length).toBeGreaterThan(0);
  });

  it('fails when the name does not resolve', async () => {
    // .test names never exist in public DNS (RFC 6761).
    const c = result(await run('sts.does-not-exist.test'), 'adfs.dns');
    expect(c.status).toBe('fail');
    expect(c.evidence.error).toMatchObject({ kind: 'dns' });
    expect(c.remediation[0].command).toBe('nslookup sts.does-not-exist.test');
  });

  it('skips offline, for Entra native CBA, and without a host', async () => {
    expect(result(await run('sts.contoso.test', { offline: true }), 'adfs.dns').status).toBe('skip');
    expect(result(await run('sts.contoso.test', { target: 'entra' }), 'adfs.dns').status).toBe('skip');
    expect(result(await run(undefined), 'adfs.dns').status).toBe('skip');
  });
});
