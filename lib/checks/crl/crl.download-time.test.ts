import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl } from '@/test/pki/gen';
import { trickle } from '@/test/net/loopback';
import { baseArtifacts, chainOf, crlWorld, measured, type CrlWorld } from '@/test/net/crl-world';
import type { CrlDownload } from '@/lib/net/types';
import type { Target } from '@/lib/report/schema';
import type { Outcome } from '../types';
import { crlDownloadTime, timeLimits } from './crl.download-time';

let w: CrlWorld;
beforeAll(async () => {
  w = await crlWorld();
  w.routes['/crl/slow.crl'] = trickle((await makeCrl({ issuer: w.pki.ca })).der, 40, 50);
});
afterAll(() => w.close());

type Row = { url: string; status: string; seconds: string | null; bytes: number; ttfbMs: number | null; totalMs: number | null; throughputKBps: number | null; timeLimitS: number | null };
const rows = (o: { evidence?: Record<string, unknown> }) => (o.evidence as { downloads: Row[] }).downloads;

/** Judge downloads as recorded (the thresholds are 10 s and 15 s: too long to wait for in a test). */
function judgeRecorded(downloads: CrlDownload[], target: Target) {
  const a = baseArtifacts({ chain: chainOf(w.pki.user, w.pki.ca, w.pki.root), crlDownloads: downloads, target });
  expect(crlDownloadTime.applies!(a)).toBe(true);
  return crlDownloadTime.run(a) as Outcome;
}

describe('crl.download-time', () => {
  it('passes a fast download, with bytes, time to first byte, total time and throughput', async () => {
    const a = await w.artifacts(await w.user({ cdpPaths: [['/crl/contoso-issuing.crl']] }));
    const o = await crlDownloadTime.run(a);
    expect(o.status).toBe('pass');
    // Measured here, not from Entra ID or the AD FS servers: the report says so.
    expect(o.summary).toContain('measured from where CBA Doctor runs');
    expect(o.evidence?.measuredFrom).toMatch(/^where CBA Doctor runs/);
    const r = rows(o)[0];
    expect(r.bytes).toBe(a.crlDownloads![0].fetch.bytes);
    expect(r.ttfbMs).not.toBeNull();
    expect(r.totalMs).not.toBeNull();
    expect(r.throughputKBps).not.toBeNull();
    expect(r.timeLimitS).toBe(30);
    expect((o.evidence as { limits: unknown }).limits).toEqual({ warnAboveS: 10, failAboveS: 15 });
  });

  it('fails a download that trickles past the time limit, reported as over the limit', async () => {
    const a = await w.artifacts(await w.user({ cdpPaths: [['/crl/slow.crl']] }), { fetch: { timeoutMs: 500 } });
    const o = await crlDownloadTime.run(a);
    expect(o.status).toBe('fail');
    expect(rows(o)[0]).toMatchObject({ status: 'fail', seconds: '> 0.5' });
    expect(rows(o)[0].bytes).toBeGreaterThan(0);
    expect(o.remediation?.length).toBeGreaterThan(0);
  });

  it.each([
    [9_000, 'pass', 'pass', 'pass'],
    [12_000, 'warn', 'warn', 'fail'],
    [16_000, 'fail', 'fail', 'fail'],
  ] as const)('%d ms: adfs %s, unknown %s, entra %s', (ms, adfs, unknown, entra) => {
    const d = [measured('http://pki.contoso.com/crl/issuing.crl', { bytes: 5_000_000, ttfbMs: 200, totalMs: ms })];
    expect(judgeRecorded(d, 'adfs').status).toBe(adfs);
    expect(judgeRecorded(d, 'unknown').status).toBe(unknown);
    expect(judgeRecorded(d, 'entra').status).toBe(entra);
  });

  it('reports a download stopped at 30 s as "> 30" and fails it for every target', () => {
    const d = [measured('http://pki.contoso.com/crl/huge.crl', { error: { kind: 'timeout', message: 'stopped' }, bytes: 12_000_000, ttfbMs: 900, totalMs: 30_004 })];
    for (const t of ['adfs', 'entra', 'unknown'] as const) {
      const o = judgeRecorded(d, t);
      expect(o.status).toBe('fail');
      expect(rows(o)[0].seconds).toBe('> 30');
      expect(o.summary).toMatch(/> 30 s/);
    }
  });

  it('judges a download stopped at the size cap on the time it had already taken', () => {
    const fast = [measured('http://x/a.crl', { error: { kind: 'too-big', message: 'cap' }, bytes: 100_000_000, totalMs: 3_000 })];
    expect(judgeRecorded(fast, 'adfs').status).toBe('skip');
    const slow = [measured('http://x/a.crl', { error: { kind: 'too-big', message: 'cap' }, bytes: 100_000_000, totalMs: 20_000 })];
    expect(judgeRecorded(slow, 'adfs').status).toBe('fail');
  });

  it('skips downloads that failed for other reasons, and the worst status wins', () => {
    const d = [
      measured('http://x/404.crl', { error: { kind: 'http', message: 'HTTP 404' }, httpStatus: 404 }),
      measured('http://x/ok.crl', { bytes: 1000, totalMs: 11_000 }),
    ];
    const o = judgeRecorded(d, 'adfs');
    expect(rows(o).map((r) => r.status)).toEqual(['skip', 'warn']);
    expect(o.status).toBe('warn');
    expect(judgeRecorded([d[0]], 'adfs').status).toBe('skip');
  });

  it('documents its thresholds per target', () => {
    expect(timeLimits('entra')).toEqual({ failAboveS: 10 });
    expect(timeLimits('adfs')).toEqual({ warnAboveS: 10, failAboveS: 15 });
    expect(timeLimits('unknown')).toEqual({ warnAboveS: 10, failAboveS: 15 });
  });
});
