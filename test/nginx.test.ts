// deploy/nginx.conf, run for real by Debian's nginx in front of two loopback stand-ins for portal instances: it
// overwrites X-Forwarded-For (the rate limiter trusts its first entry), balances across both, skips one that is down,
// and refuses bodies over the portal's own limit with the portal's JSON error shape.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@/lib/report/service';
import { renderNginxConf, startNginx, type RunningNginx } from './nginx';
import { readFileSync } from 'node:fs';

const root = path.resolve(import.meta.dirname, '..');

interface Seen {
  instance: number;
  xff?: string;
  realIp?: string;
  requestId?: string;
  bytes: number;
}
const seen: Seen[] = [];
let servers: http.Server[] = [];
let nginx: RunningNginx;

async function instance(n: number): Promise<http.Server> {
  const s = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (d: Buffer) => (bytes += d.length));
    req.on('end', () => {
      seen.push({ instance: n, xff: req.headers['x-forwarded-for'] as string, realIp: req.headers['x-real-ip'] as string, requestId: req.headers['x-request-id'] as string, bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ instance: n }));
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

beforeAll(async () => {
  servers = [await instance(1), await instance(2)];
  const ports = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
  nginx = await startNginx(root, ports);
});
afterAll(async () => {
  await nginx?.stop();
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe('deploy/nginx.conf', () => {
  it('has every marker the bench and tests substitute', () => {
    expect(() => renderNginxConf(readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8'), '/tmp/x', { listen: 1, instances: [2, 3] })).not.toThrow();
  });

  it('overwrites a client-sent X-Forwarded-For with the client address and balances over both instances', async () => {
    seen.length = 0;
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${nginx.url}/api/reports/abc`, { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-real-ip': '203.0.113.9' } });
      expect(r.status).toBe(200);
    }
    expect(seen).toHaveLength(6);
    for (const s of seen) {
      expect(s.xff).toBe('127.0.0.1');
      expect(s.realIp).toBe('127.0.0.1');
      expect(s.requestId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(seen.map((s) => s.instance))).toEqual(new Set([1, 2]));
  });

  it('passes a body at the portal limit and refuses one over it with a JSON error, before any instance sees it', async () => {
    seen.length = 0;
    const conf = readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
    const kib = Number(/location = \/api\/reports \{\s*client_max_body_size (\d+)k;/.exec(conf)?.[1]);
    const limit = kib * 1024;
    expect(limit).toBe(MAX_BODY_BYTES); // the config's number is the portal's
    const ok = await fetch(`${nginx.url}/api/reports`, { method: 'POST', body: new Uint8Array(limit), headers: { 'content-type': 'application/octet-stream' } });
    expect(ok.status).toBe(200);
    expect(seen[0].bytes).toBe(limit);
    const big = await fetch(`${nginx.url}/api/reports`, { method: 'POST', body: new Uint8Array(limit + 1), headers: { 'content-type': 'application/octet-stream' } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ field: 'certificates', reason: 'too-big' });
    expect(seen).toHaveLength(1);
  });

  it('sends everything to the other instance when one is down', async () => {
    await new Promise((r) => servers[0].close(r));
    servers[0].closeAllConnections();
    seen.length = 0;
    for (let i = 0; i < 4; i++) expect((await fetch(`${nginx.url}/api/reports/abc`)).status).toBe(200);
    expect(seen.map((s) => s.instance)).toEqual([2, 2, 2, 2]);
    servers[0] = await instance(1); // afterAll closes it again
  });
});
