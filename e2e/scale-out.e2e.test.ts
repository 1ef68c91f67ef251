// Issue 15: two portal instances on one PostgreSQL (CBA_DOCTOR_DATABASE_URL) behind the repository's nginx config.
// A report created through nginx is the same report on either instance; with one instance gone, nginx keeps serving
// and new diagnoses complete on the other. (Killing an instance mid-run is measured by `npm run bench -- --only load`.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '@/test/pg/server';
import { startNginx, type RunningNginx } from '@/test/nginx';
import { makeWorld, type World } from './helpers';
import { startPortal, type Portal } from './server';

const root = path.resolve(import.meta.dirname, '..');
let pg: PgServer;
let world: World;
let portals: Portal[] = [];
let nginx: RunningNginx;

beforeAll(async () => {
  pg = await startPostgres();
  const url = await pg.createDatabase('scale_out');
  world = await makeWorld();
  const env = { CBA_DOCTOR_DATABASE_URL: url, CBA_DOCTOR_ALLOW_PRIVATE: '1', CBA_DOCTOR_RATE_LIMIT: '0', CBA_DOCTOR_MAX_CONCURRENT: '2' };
  // One after the other would work too; together shows concurrent migrations are safe.
  portals = await Promise.all([startPortal(env), startPortal(env)]);
  const port = (p: Portal) => Number(new URL(p.baseURL).port);
  nginx = await startNginx(root, [port(portals[0]), port(portals[1])]);
}, 180_000);
afterAll(async () => {
  await nginx?.stop();
  for (const p of portals) await p.stop();
  await world?.close();
  await pg?.stop();
});

async function create(): Promise<string> {
  const f = new FormData();
  f.append('certificates', new File([readFileSync(world.files.userDer)], 'alice.cer'));
  f.append('certificates', new File([readFileSync(world.files.issuingDer)], 'contoso-issuing.cer'));
  const r = await fetch(`${nginx.url}/api/reports`, { method: 'POST', body: f });
  expect(r.status).toBe(202);
  return ((await r.json()) as { id: string }).id;
}

async function finished(base: string, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 240; i++) {
    const rep = (await (await fetch(`${base}/api/reports/${id}`)).json()) as Record<string, unknown>;
    if (rep.status !== 'running') return rep;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`report ${id} still running`);
}

describe('two instances on PostgreSQL behind deploy/nginx.conf', () => {
  it('both instances are ready with the shared queue', async () => {
    for (const p of portals) expect(await (await fetch(`${p.baseURL}/api/ready`)).json()).toEqual({ ready: true, store: 'ok', queue: 'ok' });
  });

  it('serve the same reports, whichever instance ran them', async () => {
    const ids = [await create(), await create(), await create(), await create()];
    for (const id of ids) {
      const viaNginx = await finished(nginx.url, id);
      expect(viaNginx.status).toBe('complete');
      const a = await (await fetch(`${portals[0].baseURL}/api/reports/${id}`)).json();
      const b = await (await fetch(`${portals[1].baseURL}/api/reports/${id}`)).json();
      expect(a).toEqual(viaNginx);
      expect(b).toEqual(viaNginx);
      const page = await fetch(`${portals[1].baseURL}/r/${id}`);
      expect(page.status).toBe(200);
    }
  });

  it('keep working when one instance is gone', async () => {
    await portals[0].stop();
    const ids = [await create(), await create(), await create()];
    for (const id of ids) expect((await finished(nginx.url, id)).status).toBe('complete');
    expect((await fetch(`${nginx.url}/api/ready`)).status).toBe(200);
  });
});
