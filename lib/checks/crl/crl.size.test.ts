import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crlWorld, baseArtifacts, chainOf, measured, type CrlWorld } from '@/test/net/crl-world';
import { serve } from '@/test/net/loopback';
import type { Outcome } from '../types';
import type { Cloud, Target } from '@/lib/report/schema';
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

type Row = { url: string; status: string; note: string; bytes: number | null; atLeast: boolean; megabytes: number | null };
const rows = (o: { evidence?: Record<string, unknown> }) => (o.evidence as { downloads: Row[] }).downloads;

describe('crl.size', () => {
  it('passes CRLs within 20 MB', async () => {
    const a = await w.artifacts(await w.user({ cdpPaths: [['/crl/contoso-issuing.crl']] }));
    const o = await crlSize.run(a);
    expect(o.status).toBe('pass');
    expect(rows(o)[0].bytes).toBe(a.crlDownloads![0].fetch.bytes);
  });

  it('warns about a CRL over 20 MB, for AD FS and for Entra (the first sign-in fails while Entra downloads it)', async () => {
    const user = await w.user({ cdpPaths: [['/crl/big.crl']] });
    const adfs = await crlSize.run(await w.artifacts(user, { target: 'adfs' }));
    expect(adfs.status).toBe('warn');
    expect(rows(adfs)[0]).toMatchObject({ status: 'warn', bytes: big.length, atLeast: false, megabytes: 21 });
    const entra = await crlSize.run(await w.artifacts(user, { target: 'entra' }));
    expect(entra.status).toBe('warn');
    expect(rows(entra)[0].note).toMatch(/first sign-in .* fails while Entra ID downloads it in the background \(up to 45 MB\)/);
    expect(entra.summary).toMatch(/20 MB .*fail above the 45 MB background limit/);
    expect(entra.evidence).toMatchObject({ cloud: 'public', warnAboveBytes: 20 * 1024 * 1024, failAboveBytes: 45 * 1024 * 1024 });
    expect((entra.evidence as { sourcesDiffer: string }).sourcesDiffer).toMatch(/65 MB/);
    expect(entra.remediation?.length).toBeGreaterThan(0);
  });

  // The documented limits at their edges (DOMAIN.md): the server announces the size, the download stops at a 1 MB
  // cap, and the check judges the announced size, as it does for a real CRL too large to fetch whole.
  const MiB = 1024 * 1024;
  const EDGES: [number, Record<string, string>][] = [
    [20 * MiB, { adfs: 'pass', entra: 'pass', 'entra+usgov': 'pass', 'unknown+usgov': 'pass' }],
    [20 * MiB + 1, { adfs: 'warn', entra: 'warn', 'entra+usgov': 'pass', 'unknown+usgov': 'pass' }],
    [45 * MiB, { adfs: 'warn', entra: 'warn', 'entra+usgov': 'pass', 'unknown+usgov': 'pass' }],
    [45 * MiB + 1, { adfs: 'warn', entra: 'fail', 'entra+usgov': 'warn', 'unknown+usgov': 'warn' }],
    [150 * MiB, { adfs: 'warn', entra: 'fail', 'entra+usgov': 'warn', 'unknown+usgov': 'warn' }],
    [150 * MiB + 1, { adfs: 'warn', entra: 'fail', 'entra+usgov': 'fail', 'unknown+usgov': 'warn' }],
  ];
  it.each(EDGES)('judges an announced size of %d bytes at the documented limits', async (bytes, want) => {
    const path = `/crl/announce-${bytes}.crl`;
    w.routes[path] = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': bytes });
      res.write(Buffer.alloc(64 * 1024, 0x30));
    };
    const user = await w.user({ cdpPaths: [[path]] });
    const got: Record<string, string> = {};
    for (const k of Object.keys(want)) {
      const [target, cloud] = k.split('+') as [Target, Cloud | undefined];
      const o = await crlSize.run(await w.artifacts(user, { target, cloud, fetch: { maxBytes: MiB } }));
      got[k] = rows(o).find((r) => r.url.endsWith(path))!.status;
    }
    expect(got).toEqual(want);
  });

  it('judges a body stopped at the byte cap by what the server announced or what had arrived', async () => {
    const announced = await crlSize.run(await w.artifacts(await w.user({ cdpPaths: [['/crl/big.crl']] }), { target: 'entra', fetch: { maxBytes: 1024 * 1024 } }));
    expect(rows(announced)[0]).toMatchObject({ status: 'warn', bytes: big.length, atLeast: false });
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
