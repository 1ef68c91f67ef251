import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken, openStore, SqliteReportStore, storeConfig } from './store';
import { reportSchema, summarize, type Report } from './schema';

function report(id: string, over: Partial<Report> = {}): Report {
  const now = new Date().toISOString();
  return reportSchema.parse({
    schemaVersion: 1,
    id,
    createdAt: now,
    updatedAt: now,
    status: 'running',
    target: 'unknown',
    input: { certificates: [], pasted: [] },
    summary: summarize([]),
    checks: [],
    ...over,
  });
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-store-'));
  file = path.join(dir, 'nested', 'dir', 'reports.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteReportStore', () => {
  it('creates its directory, uses WAL and round-trips a report', async () => {
    const s = new SqliteReportStore(file);
    expect(existsSync(file)).toBe(true);
    const r = report('abc');
    await s.create(r, 'secret-token');
    expect(await s.get('abc')).toEqual(r);
    expect(await s.get('nope')).toBeUndefined();
    await s.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps only the SHA-256 of the delete token', async () => {
    const s = new SqliteReportStore(file);
    await s.create(report('abc'), 'secret-token');
    await s.close();
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT * FROM reports').get() as Record<string, unknown>;
    raw.close();
    // Computed here, not with the store's own hashToken, so a change to the hashing cannot pass unnoticed.
    const sha256 = createHash('sha256').update('secret-token', 'utf8').digest('hex');
    expect(row.delete_hash).toBe(sha256);
    expect(hashToken('secret-token')).toBe(sha256);
    expect(JSON.stringify(row)).not.toContain('secret-token');
  });

  it('updates as the diagnosis progresses, and not after deletion', async () => {
    const s = new SqliteReportStore(file);
    await s.create(report('abc'), 't');
    const done = report('abc', { status: 'complete', summary: { verdict: 'fail', counts: { pass: 0, info: 0, warn: 0, fail: 1, skip: 0, error: 0 } } });
    expect(await s.update(done)).toBe(true);
    expect((await s.get('abc'))?.status).toBe('complete');
    expect(await s.delete('abc', 't')).toBe('deleted');
    expect(await s.update(done)).toBe(false);
    expect(await s.get('abc')).toBeUndefined();
    await s.close();
  });

  it('deletes only with the right token', async () => {
    const s = new SqliteReportStore(file);
    await s.create(report('abc'), 'right');
    expect(await s.delete('abc', 'wrong')).toBe('forbidden');
    expect(await s.delete('abc', '')).toBe('forbidden');
    expect((await s.get('abc'))?.id).toBe('abc');
    expect(await s.delete('missing', 'right')).toBe('not-found');
    expect(await s.delete('abc', 'right')).toBe('deleted');
    expect(await s.delete('abc', 'right')).toBe('not-found');
    await s.close();
  });

  it('purges reports older than the cut-off', async () => {
    const s = new SqliteReportStore(file);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await s.create(report('old', { createdAt: old, updatedAt: old }), 't');
    await s.create(report('new'), 't');
    expect(await s.purge(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await s.get('old')).toBeUndefined();
    expect((await s.get('new'))?.id).toBe('new');
    await s.close();
  });

  it('marks leftover running reports interrupted when reopened', async () => {
    const s = new SqliteReportStore(file);
    await s.create(report('run'), 't');
    await s.create(report('fin', { status: 'complete' }), 't');
    await s.close();
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const s2 = new SqliteReportStore(file);
    await s2.create(report('stale', { createdAt: old, updatedAt: old, status: 'complete' }), 't');
    await s2.close();

    const { store, stop } = await openStore({ file, retentionDays: 30 });
    stop();
    const run = await store.get('run');
    expect(run?.status).toBe('interrupted');
    expect(reportSchema.safeParse(run).success).toBe(true);
    expect((await store.get('fin'))?.status).toBe('complete');
    expect(await store.get('stale')).toBeUndefined();
    await store.close();
  });
});

describe('storeConfig', () => {
  it('reads the environment with the documented defaults', () => {
    expect(storeConfig({})).toEqual({ file: './data/cba-doctor.db', retentionDays: 30 });
    expect(storeConfig({ CBA_DOCTOR_DB: '/x/y.db', CBA_DOCTOR_RETENTION_DAYS: '7' })).toEqual({ file: '/x/y.db', retentionDays: 7 });
    expect(storeConfig({ CBA_DOCTOR_RETENTION_DAYS: 'soon' }).retentionDays).toBe(30);
  });
});
