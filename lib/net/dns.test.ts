import { describe, expect, it } from 'vitest';
import { checkedAddresses, lookupHost } from './dns';
import { PolicyError } from './policy';

const fake = (answers: Record<string, { address: string; family: number }[]>) => async (h: string) => {
  const a = answers[h];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
  return a;
};

describe('lookupHost', () => {
  it('lists every address with its range, judged as the address it is', async () => {
    const d = await lookupHost('STS.Contoso.com.', {
      timeoutMs: 1000,
      lookupAll: fake({ 'sts.contoso.com': [{ address: '20.190.151.68', family: 4 }, { address: '10.0.0.5', family: 4 }, { address: '2606:4700::1111', family: 6 }] }),
    });
    expect(d.host).toBe('sts.contoso.com');
    expect(d.source).toBe('dns');
    expect(d.addresses).toEqual([
      { address: '20.190.151.68', family: 4, public: true },
      { address: '10.0.0.5', family: 4, public: false, range: expect.stringContaining('RFC 1918') },
      { address: '2606:4700::1111', family: 6, public: true },
    ]);
  });

  it('still lists a cloud metadata address (never connectable) instead of calling it a DNS failure', async () => {
    const d = await lookupHost('evil.test', { timeoutMs: 1000, lookupAll: fake({ 'evil.test': [{ address: '169.254.169.254', family: 4 }] }) });
    expect(d.error).toBeUndefined();
    expect(d.addresses[0]).toMatchObject({ address: '169.254.169.254', public: false });
    await expect(checkedAddresses(d, true)).rejects.toBeInstanceOf(PolicyError);
  });

  it('uses --resolve overrides, IP literals and localhost without DNS', async () => {
    const never = async () => {
      throw new Error('DNS must not be asked');
    };
    expect(await lookupHost('sts.contoso.com', { timeoutMs: 1000, resolve: { 'STS.contoso.com': '192.0.2.7' }, lookupAll: never })).toMatchObject({ source: 'override', addresses: [{ address: '192.0.2.7', public: false }] });
    expect(await lookupHost('0x7f.1', { timeoutMs: 1000, lookupAll: never })).toMatchObject({ source: 'literal', addresses: [{ address: '127.0.0.1' }] });
    expect(await lookupHost('adfs.localhost', { timeoutMs: 1000, lookupAll: never })).toMatchObject({ source: 'localhost', addresses: [{ address: '127.0.0.1' }] });
  });

  it('returns a DNS failure as data', async () => {
    const d = await lookupHost('nope.contoso.com', { timeoutMs: 1000, lookupAll: fake({}) });
    expect(d.addresses).toEqual([]);
    expect(d.error).toMatchObject({ kind: 'dns', code: 'ENOTFOUND' });
    await expect(checkedAddresses(d, true)).rejects.toMatchObject({ kind: 'dns' });
  });

  it('times out a lookup that does not answer', async () => {
    const d = await lookupHost('slow.contoso.com', { timeoutMs: 100, lookupAll: () => new Promise(() => {}) });
    expect(d.error).toMatchObject({ kind: 'dns', code: 'ETIMEOUT' });
  });
});

describe('checkedAddresses', () => {
  it('lets through only what the network policy allows, for the same addresses that were listed', async () => {
    const d = await lookupHost('sts.contoso.com', { timeoutMs: 1000, lookupAll: fake({ 'sts.contoso.com': [{ address: '20.190.151.68', family: 4 }] }) });
    expect(await checkedAddresses(d, false)).toEqual([{ address: '20.190.151.68', family: 4 }]);
    const lo = await lookupHost('sts.contoso.com', { timeoutMs: 1000, resolve: { 'sts.contoso.com': '127.0.0.1' } });
    await expect(checkedAddresses(lo, false)).rejects.toBeInstanceOf(PolicyError);
    expect(await checkedAddresses(lo, true)).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});
