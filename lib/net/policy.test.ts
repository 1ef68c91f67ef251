import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowPrivateFromEnv, checkAddress, DnsError, parseHostLiteral, PolicyError, resolveChecked } from './policy';

const refused = (ip: string, allowPrivate = false) => {
  const v = checkAddress(ip, allowPrivate);
  return v.allowed ? undefined : v.reason;
};

describe('checkAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['172.31.255.255', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'unique local'],
    ['fc00::1', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'RFC 1918'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::ffff:0:192.168.0.1', 'IPv4-translated'],
    ['64:ff9b::10.0.0.1', 'NAT64'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::1', '6to4'],
    ['2002:c0a8:101::', 'RFC 1918'],
    ['[::1]', 'loopback'],
  ])('refuses %s (%s)', (ip, why) => {
    const r = refused(ip);
    expect(r).toBeDefined();
    expect(r).toContain(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '20.190.151.68', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows public %s',
    (ip) => {
      expect(checkAddress(ip, false)).toEqual({ allowed: true });
    },
  );

  it('allowPrivate lifts private, loopback and link-local but never cloud metadata', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '::1', 'fd12::1', '::ffff:192.168.0.1', '169.254.1.1']) expect(checkAddress(ip, true).allowed).toBe(true);
    for (const ip of ['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254', '100.100.100.200', '168.63.129.16']) {
      expect(checkAddress(ip, true).allowed).toBe(false);
    }
  });

  it('refuses what is not an address', () => {
    expect(refused('example.com')).toMatch(/not an IP address/);
    expect(refused('')).toMatch(/not an IP address/);
  });

  it('decimal, octal, hex and short IPv4 spellings are judged as the address they mean', () => {
    for (const s of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001', '0177.1', '017700000001', '0x7F.0.0.1', '127.0.0.1.']) {
      expect(refused(s)).toMatch(/^127\.0\.0\.1 is loopback/);
    }
    expect(refused('0xa9fea9fe')).toMatch(/^169\.254\.169\.254 is cloud/);
    expect(refused('3232235777')).toMatch(/^192\.168\.1\.1 is private/);
  });
});

describe('parseHostLiteral', () => {
  it('reads IPv4 literals like WHATWG URL does', () => {
    expect(parseHostLiteral('2130706433')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(parseHostLiteral('0177.0.0.1')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(parseHostLiteral('0x7f.1')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(parseHostLiteral('127.1')).toEqual({ address: '127.0.0.1', family: 4 });
    expect(parseHostLiteral('1.2.3.256')).toBeUndefined();
    expect(parseHostLiteral('crl.contoso.com')).toBeUndefined();
    expect(parseHostLiteral('08.1.1.1')).toBeUndefined();
  });

  it('canonicalises IPv6, brackets and zones', () => {
    expect(parseHostLiteral('[::FFFF:127.0.0.1]')).toEqual({ address: '::ffff:7f00:1', family: 6 });
    expect(parseHostLiteral('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual({ address: '2001:db8::1', family: 6 });
    expect(parseHostLiteral('fe80::1%eth0')).toEqual({ address: 'fe80::1', family: 6 });
    expect(parseHostLiteral('1:0:0:2:0:0:0:3')).toEqual({ address: '1:0:0:2::3', family: 6 });
    expect(parseHostLiteral('::')).toEqual({ address: '::', family: 6 });
  });

  it('agrees with the WHATWG URL parser on every numeric host it accepts', () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.integer({ min: 0, max: 0xffffffff }).map(String),
      fc.integer({ min: 0, max: 0xffff }).map((n) => '0x' + n.toString(16)),
      fc.integer({ min: 0, max: 0o777 }).map((n) => '0' + n.toString(8)),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const host = parts.join('.');
        let viaUrl: string | undefined;
        try {
          viaUrl = new URL(`http://${host}/`).hostname;
        } catch {
          viaUrl = undefined;
        }
        const mine = parseHostLiteral(host)?.address;
        expect(mine).toBe(viaUrl);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveChecked', () => {
  it('refuses loopback by default, names the address and the rule', async () => {
    await expect(resolveChecked('127.0.0.1', { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(PolicyError);
    const e = await resolveChecked('0x7f.1', { allowPrivate: false, timeoutMs: 2000 }).catch((x) => x);
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.address).toBe('127.0.0.1');
    expect(e.message).toMatch(/loopback/);
    await expect(resolveChecked('localhost', { allowPrivate: false, timeoutMs: 2000 })).rejects.toThrow(/loopback/);
  });

  it('allows loopback when private addresses are allowed', async () => {
    expect(await resolveChecked('127.0.0.1', { allowPrivate: true, timeoutMs: 2000 })).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolveChecked('[::1]', { allowPrivate: true, timeoutMs: 2000 })).toEqual([{ address: '::1', family: 6 }]);
  });

  it('judges a host name by what it resolves to (a name pointing at a private address is refused)', async () => {
    const lookupAll = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    const e = await resolveChecked('crl.contoso.example', { allowPrivate: false, timeoutMs: 2000, lookupAll }).catch((x) => x);
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.host).toBe('crl.contoso.example');
    expect(e.address).toBe('10.0.0.5');
    const ok = await resolveChecked('crl.contoso.example', { allowPrivate: false, timeoutMs: 2000, lookupAll: async () => [{ address: '93.184.216.34', family: 4 }] });
    expect(ok).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('uses the --resolve override (case-insensitive, any literal spelling) and still judges it', async () => {
    const resolve = { 'CRL.Contoso.com': '2130706433' };
    await expect(resolveChecked('crl.contoso.com', { allowPrivate: false, resolve, timeoutMs: 2000 })).rejects.toThrow(/127\.0\.0\.1 is loopback/);
    expect(await resolveChecked('crl.contoso.com.', { allowPrivate: true, resolve, timeoutMs: 2000 })).toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolveChecked('crl.contoso.com', { allowPrivate: true, resolve: { 'crl.contoso.com': 'elsewhere' }, timeoutMs: 2000 })).rejects.toThrow(DnsError);
  });

  it('reports a name that does not exist as a DNS error', async () => {
    const e = await resolveChecked('does-not-exist.invalid', { allowPrivate: false, timeoutMs: 5000 }).catch((x) => x);
    expect(e).toBeInstanceOf(DnsError);
  });

  it('times out a lookup that never answers', async () => {
    const e = await resolveChecked('slow.example', { allowPrivate: false, timeoutMs: 50, lookupAll: () => new Promise(() => {}) }).catch((x) => x);
    expect(e).toBeInstanceOf(DnsError);
    expect(e.code).toBe('ETIMEOUT');
  });
});

describe('allowPrivateFromEnv', () => {
  it('reads CBA_DOCTOR_ALLOW_PRIVATE', () => {
    expect(allowPrivateFromEnv({ CBA_DOCTOR_ALLOW_PRIVATE: '1' })).toBe(true);
    expect(allowPrivateFromEnv({ CBA_DOCTOR_ALLOW_PRIVATE: '0' })).toBe(false);
    expect(allowPrivateFromEnv({ CBA_DOCTOR_ALLOW_PRIVATE: 'yes' })).toBe(false);
    expect(allowPrivateFromEnv({})).toBe(false);
  });
});
