// The JSON API of DESIGN.md with real multipart requests against the production server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '@/lib/report/schema';
import { baseURL, makeWorld, reportCount, waitComplete, type World } from './helpers';

let world: World;
beforeAll(async () => {
  world = await makeWorld();
});
afterAll(() => world?.close());

function upload(files: string[], fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const p of files) f.append('certificates', new File([readFileSync(p)], path.basename(p)));
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

const post = (body: FormData | string, headers?: Record<string, string>) => fetch(`${baseURL()}/api/reports`, { method: 'POST', body, headers });

describe('POST /api/reports', () => {
  it('answers 202 with id, url and deleteToken, and the report follows GET until complete', async () => {
    const w = world.files;
    const res = await post(upload([w.userDer, w.issuingDer, w.rootPem], { upn: 'alice@contoso.com', target: 'entra' }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; url: string; deleteToken: string };
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.url).toBe(`${baseURL()}/r/${body.id}`);
    expect(body.deleteToken.length).toBeGreaterThanOrEqual(43);

    const first = await fetch(`${baseURL()}/api/reports/${body.id}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/json');
    const early = reportSchema.parse(await first.json());
    expect(['running', 'complete']).toContain(early.status);

    const done = await waitComplete(body.id);
    expect(reportSchema.safeParse(done).success).toBe(true);
    expect(done.status).toBe('complete');
    expect(done.input.upn).toBe('alice@contoso.com');
    expect(done.input.certificates).toHaveLength(3);
    expect(done.input.certificates.filter((c) => c.role === 'user').map((c) => c.fileName)).toEqual(['alice.cer']);
    expect(done.input.certificates.map((c) => c.role).sort()).toEqual(['intermediate', 'root', 'user']);
    expect(done.checks.find((c) => c.id === 'input.files')?.status).toBe('pass');
  });

  const refusals: [string, () => FormData | string, Record<string, string> | undefined, string | null, string][] = [
    ['no file', () => upload([], { upn: 'alice@contoso.com' }), undefined, 'certificates', 'required'],
    ['a PFX', () => upload([world.files.pfx]), undefined, 'certificates', 'pkcs12'],
    ['a PFX renamed .cer', () => upload([world.files.pfxRenamed]), undefined, 'certificates', 'pkcs12'],
    ['an encrypted private key', () => upload([world.files.encryptedKeyDer]), undefined, 'certificates', 'private-key'],
    ['a file over 1 MB', () => upload([world.files.oversized]), undefined, 'certificates', 'too-big'],
    ['an invalid host name', () => upload([world.files.userDer], { federationHost: 'sts..contoso.com' }), undefined, 'federationHost', 'invalid'],
    ['an invalid address', () => upload([world.files.userDer], { upn: 'alice at contoso' }), undefined, 'upn', 'invalid'],
    ['a port out of range', () => upload([world.files.userDer], { tlsClientPort: '0' }), undefined, 'tlsClientPort', 'invalid'],
    ['a JSON body', () => '{"upn":"alice@contoso.com"}', { 'content-type': 'application/json' }, null, 'bad-request'],
  ];
  for (const [what, body, headers, field, reason] of refusals) {
    it(`refuses ${what} with 400 naming the field, and stores nothing`, async () => {
      const before = reportCount();
      const res = await post(body(), headers);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: string; field: string | null; reason: string };
      expect(err).toMatchObject({ field, reason });
      expect(err.error.length).toBeGreaterThan(15);
      expect(reportCount()).toBe(before);
    });
  }

  it('refuses an upload far over the total limit without reading it all, and stays up', async () => {
    const big = new FormData();
    big.append('certificates', new File([new Uint8Array(12 * 1024 * 1024)], 'store.cer'));
    const res = await post(big);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'certificates', reason: 'too-big' });
    expect((await fetch(`${baseURL()}/`)).status).toBe(200);
  });
});

describe('GET and DELETE /api/reports/{id}', () => {
  it('404 JSON for an unknown or malformed id', async () => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'nope', '..%2F..%2Fetc']) {
      const res = await fetch(`${baseURL()}/api/reports/${id}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ reason: 'not-found', field: null });
    }
  });

  it('deletes only with the creator token; the report is then gone for everyone', async () => {
    const res = await post(upload([world.files.userDer], { upn: 'alice@contoso.com' }));
    const { id, deleteToken } = (await res.json()) as { id: string; deleteToken: string };
    await waitComplete(id);
    const del = (auth?: string) => fetch(`${baseURL()}/api/reports/${id}`, { method: 'DELETE', headers: auth ? { authorization: auth } : {} });
    expect((await del()).status).toBe(401);
    expect((await del('Bearer wrong-token')).status).toBe(403);
    expect((await fetch(`${baseURL()}/api/reports/${id}`)).status).toBe(200);
    expect((await del(`Bearer ${deleteToken}`)).status).toBe(204);
    expect((await fetch(`${baseURL()}/api/reports/${id}`)).status).toBe(404);
    expect((await fetch(`${baseURL()}/r/${id}`)).status).toBe(404);
    expect((await del(`Bearer ${deleteToken}`)).status).toBe(404);
  });
});

describe('conditional GET', () => {
  it('answers 304 with no body while the report is the version the client has, 200 with the report otherwise', async () => {
    const res = await post(upload([world.files.userDer]));
    const { id } = (await res.json()) as { id: string };
    await waitComplete(id);
    const full = await fetch(`${baseURL()}/api/reports/${id}`);
    const etag = full.headers.get('etag')!;
    const r = (await full.json()) as { status: string; updatedAt: string };
    expect(etag).toBe(`W/"complete-${Date.parse(r.updatedAt)}"`);
    const same = await fetch(`${baseURL()}/api/reports/${id}`, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    const stale = await fetch(`${baseURL()}/api/reports/${id}`, { headers: { 'if-none-match': `W/"running-${Date.parse(r.updatedAt) - 1}"` } });
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { id: string }).id).toBe(id);
    const gone = await fetch(`${baseURL()}/api/reports/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'if-none-match': etag } });
    expect(gone.status).toBe(404);
  });
});

describe('POST /api/device-test', () => {
  it('answers the certauth address to open, refuses bad input with a message, and stores nothing', async () => {
    const before = reportCount();
    const json = await fetch(`${baseURL()}/api/device-test`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ reason: 'bad-request', error: expect.stringContaining('multipart/form-data') });
    const bad = await fetch(`${baseURL()}/api/device-test`, { method: 'POST', body: upload([], { upn: 'not an address' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: expect.stringMatching(/address/i) });
    const ok = await fetch(`${baseURL()}/api/device-test`, { method: 'POST', body: upload([], { upn: 'alice@contoso.com' }) });
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { ok: boolean; url: string };
    expect(answer.ok).toBe(true);
    expect(new URL(answer.url).pathname).toBe('/certauth');
    expect(new URL(answer.url).searchParams.get('upn')).toBe('alice@contoso.com');
    expect(reportCount()).toBe(before);
  });
});

describe('pages', () => {
  it('serve the form and the report as whole HTML documents whose scripts are this origin\'s own files', async () => {
    const res = await fetch(`${baseURL()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    // No inline executable script: only module files under /assets and the form's JSON props.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const a of scripts) expect(a).toMatch(/type="module" src="\/assets\/form-[A-Z0-9]+\.js"|type="application\/json"/);
    const src = /src="(\/assets\/form-[A-Z0-9]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${baseURL()}${src}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });
});

describe('security headers', () => {
  it('sends CSP with frame-ancestors none, nosniff and no-referrer on pages and the API', async () => {
    for (const p of ['/', '/r/AAAAAAAAAAAAAAAAAAAAAA', '/api/reports/AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await fetch(`${baseURL()}${p}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
