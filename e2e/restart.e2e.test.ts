// A second portal process of its own: startup marks leftover `running` reports `interrupted`, and the per-client
// rate limit refuses report creation past its budget.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteReportStore } from '@/lib/report/store';
import { summarize } from '@/lib/report/schema';
import { launchBrowser, makeWorld, type World } from './helpers';
import { startPortal, type Portal } from './server';

let dir: string;
let dbFile: string;
let portal: Portal;
let world: World;
const leftover = 'LeftoverRunningReport1';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-restart-'));
  dbFile = path.join(dir, 'reports.db');
  // The state a killed server leaves behind: a report still marked running.
  const store = new SqliteReportStore(dbFile);
  const now = new Date().toISOString();
  await store.create({ schemaVersion: 1, id: leftover, createdAt: now, updatedAt: now, status: 'running', target: 'unknown', input: { certificates: [], pasted: [] }, summary: summarize([]), checks: [] }, 'token');
  await store.close();
  world = await makeWorld();
  portal = await startPortal({ CBA_DOCTOR_DB: dbFile, CBA_DOCTOR_RATE_LIMIT: '2' });
});
afterAll(async () => {
  await portal?.stop();
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a restarted portal', () => {
  it('marked the leftover running report interrupted at startup, before any request for it', async () => {
    const db = new Database(dbFile, { readonly: true });
    const row = db.prepare('SELECT status, json FROM reports WHERE id = ?').get(leftover) as { status: string; json: string };
    db.close();
    expect(row.status).toBe('interrupted');
    expect(JSON.parse(row.json).status).toBe('interrupted');
    const html = await (await fetch(`${portal.baseURL}/r/${leftover}`)).text();
    expect(html).toContain('The server stopped before this diagnosis finished');
  });

  it('shows the interrupted report as "Interrupted: not diagnosed" with a way to run it again, and the API verdict is not pass', async () => {
    const api = await (await fetch(`${portal.baseURL}/api/reports/${leftover}`)).json();
    expect(api).toMatchObject({ status: 'interrupted', summary: { verdict: 'incomplete' } });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ baseURL: portal.baseURL });
      await page.goto(`/r/${leftover}`);
      const title = page.locator('#verdict-title');
      await expect.poll(() => title.textContent()).toBe('Interrupted: not diagnosed');
      const banner = page.locator('section[aria-labelledby="verdict-title"]');
      expect(await banner.textContent()).not.toMatch(/Pass|No problem found/);
      expect(await banner.locator('[data-status]').getAttribute('data-status')).toBe('incomplete');
      const again = banner.getByRole('link', { name: 'Run the diagnosis again' });
      await again.click();
      await page.waitForURL(`${portal.baseURL}/`);
      expect(await page.locator('#certificates').count()).toBe(1);
    } finally {
      await browser.close();
    }
  });

  it('refuses report creation past the per-client rate limit with 429 and Retry-After', async () => {
    const post = () => {
      const f = new FormData();
      f.append('certificates', new File([readFileSync(world.files.userDer)], 'alice.cer'));
      return fetch(`${portal.baseURL}/api/reports`, { method: 'POST', body: f });
    };
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    const third = await post();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.json()).toMatchObject({ reason: 'rate-limit', field: null });
  });
});
