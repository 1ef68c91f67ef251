import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crlWorld, baseArtifacts, chainOf, measured, type CrlWorld } from '@/test/net/crl-world';
import { serve } from '@/test/net/loopback';
import type { Outcome } from '../types';
import { crlSize, CRL_SIZE_LIMIT } from './crl.size';

let w: CrlWorld;
const big = new Uint8Array(21 * 1024 * 1024).fill(0x41);
beforeAll(async () => {
  w = await crlWorld();
  w.routes['/crl/big.crl'] = serve(big);
  w.routes['/crl/big-chunked.crl'] = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pkix-crl' });
    res.end(Buffer.from(big));
  };
});
afterAll(() => w.close());

type Row = { url: string; status: string; bytes: number | null; atLeast: boolean; megabytes: number | null };
const rows = (o: { evidence?: Record<string, unknown> }) => (o.evidence as { downloads: Row[] }).downloads;

describe('crl.size', () => {
  it('passes CRLs within 20 MB', async () => {
    const a = await w.artifacts(await w.user({ cdpPaths: [['/crl/contoso-issuing.crl']] }));
    const o = await crlSize.run(a);
    expect(o.status).toBe('pass');
    expect(rows(o)[0].bytes).toBe(a.crlDownloads![0].fetch.bytes);
  });

  it('warns about a CRL over 20 MB for AD FS and fails it for Entra, naming the US Government limit', async () => {
    const user = await w.user({ cdpPaths: [['/crl/big.crl']] });
    const adfs = await crlSize.run(await w.artifacts(user, { target: 'adfs' }));
    expect(adfs.status).toBe('warn');
    expect(rows(adfs)[0]).toMatchObject({ status: 'warn', bytes: big.length, atLeast: false, megabytes: 21 });
    const entra = await crlSize.run(await w.artifacts(user, { target: 'entra' }));
    expect(entra.status).toBe('fail');
    expect(entra.summary).toMatch(/45 MB/);
    expect(entra.remediation?.length).toBeGreaterThan(0);
  });

  it('judges a body stopped at the byte cap by what the server announced or what had arrived', async () => {
    const announced = await crlSize.run(await w.artifacts(await w.user({ cdpPaths: [['/crl/big.crl']] }), { target: 'entra', fetch: { maxBytes: 1024 * 1024 } }));
    expect(rows(announced)[0]).toMatchObject({ status: 'fail', bytes: big.length, atLeast: false });
    const streamed = await crlSize.run(await w.artifacts(await w.user({ cdpPaths: [['/crl/big-chunked.crl']] }), { target: 'entra', fetch: { maxBytes: 1024 * 1024 } }));
    // Only 1 MB arrived before the cap: the real size is unknown, so there is nothing to judge.
    expect(rows(streamed)[0]).toMatchObject({ status: 'skip', atLeast: true });
  });

  it('uses the bytes of a stopped download when they already pass the limit', () => {
    const a = baseArtifacts({
      chain: chainOf(w.pki.user, w.pki.ca, w.pki.root),
      target: 'unknown',
      crlDownloads: [measured('http://x/huge.crl', { error: { kind: 'timeout', message: 'stopped' }, bytes: CRL_SIZE_LIMIT + 1, totalMs: 30_000 })],
    });
    const o = crlSize.run(a) as Outcome;
    expect(rows(o)[0]).toMatchObject({ status: 'warn', atLeast: true });
  });

  it('skips when nothing was downloaded', () => {
    const a = baseArtifacts({
      chain: chainOf(w.pki.user, w.pki.ca, w.pki.root),
      crlDownloads: [measured('http://x/404.crl', { error: { kind: 'http', message: 'HTTP 404' } })],
    });
    expect((crlSize.run(a) as Outcome).status).toBe('skip');
  });
});
