import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '@/test/adfs/standins';
import { classifyError, tcpProbe } from './tcp';
import { DnsError, PolicyError } from './policy';

describe('tcpProbe', () => {
  it('connects to a listening port', async () => {
    const s = net.createServer((c) => c.end());
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    try {
      const r = await tcpProbe({ address: '127.0.0.1', port: (s.address() as net.AddressInfo).port, timeoutMs: 2000, allowPrivate: true });
      expect(r.ok).toBe(true);
      expect(r.error).toBeUndefined();
    } finally {
      s.close();
    }
  });

  it('reports a refused port', async () => {
    const r = await tcpProbe({ address: '127.0.0.1', port: await closedPort(), timeoutMs: 2000, allowPrivate: true });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused', code: 'ECONNREFUSED' } });
  });

  it('will not connect to an address the policy refuses, even if the caller forgot to check', async () => {
    const r = await tcpProbe({ address: '127.0.0.1', port: 9, timeoutMs: 2000, allowPrivate: false });
    expect(r.error?.kind).toBe('blocked');
    const meta = await tcpProbe({ address: '169.254.169.254', port: 80, timeoutMs: 2000, allowPrivate: true });
    expect(meta.error?.kind).toBe('blocked');
  });
});

describe('classifyError', () => {
  it('names the kinds the report uses', () => {
    expect(classifyError(new PolicyError('h', '10.0.0.1', 'private')).kind).toBe('blocked');
    expect(classifyError(new DnsError('h', 'ENOTFOUND', 'gone')).kind).toBe('dns');
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).kind).toBe('reset');
    expect(classifyError(Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })).kind).toBe('unreachable');
    expect(classifyError(Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })).kind).toBe('tls');
  });
});
