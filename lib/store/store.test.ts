// One store suite, run against SQLite and against a real PostgreSQL started for this file (test/pg/server.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema, summarize, type Report } from '@/lib/report/schema';
import { startPostgres, type PgServer } from '@/test/pg/server';
import { hashToken, openStore, PostgresReportStore, SqliteReportStore, storeConfig, redactUrl, type ReportStore } from './index';

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
let pgServer: PgServer;
let dbCount = 0;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-store-'));
  pgServer = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Backend {
  name: string;
  /** A fresh, empty store. */
  fresh(): Promise<ReportStore>;
  /** Reads the stored delete hash behind the store's back. */
  rawRow(store: ReportStore, id: string): Promise<Record<string, unknown> | undefined>;
  /** Another handle on the same storage, as a second process or instance would open it. */
  sibling(store: ReportStore): Promise<ReportStore>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    fresh: async () => new SqliteReportStore(path.join(dir, `s${++dbCount}`, 'nested', 'reports.db')),
    rawRow: async (s, id) => {
      const raw = new Database((s as SqliteReportStore).file, { readonly: true });
      try {
        return raw.prepare('SELECT * FROM reports WHERE id = ?').get(id) as Record<string, unknown> | undefined;
      } finally {
        raw.close();
      }
    },
    sibling: async (s) => new SqliteReportStore((s as SqliteReportStore).file),
  },
  {
    name: 'PostgreSQL',
    fresh: async () => PostgresReportStore.open(await pgServer.createDatabase(`suite${++dbCount}`)),
    rawRow: async (s, id) => (await (s as PostgresReportStore).pool.query('SELECT * FROM cba_reports WHERE id = $1', [id])).rows[0],
    sibling: async (s) => PostgresReportStore.open((s as PostgresReportStore).url),
  },
];

describe.each(backends)('$name report store', (b) => {
  const open: ReportStore[] = [];
  const fresh = async () => {
    const s = await b.fresh();
    open.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close().catch(() => undefined);
  });

  it('round-trips a report and answers undefined for an unknown id', async () => {
    const s = await fresh();
    const r = report('abc', { target: 'entra' });
    await s.create(r, 'secret-token');
    expect(await s.get('abc')).toEqual(r);
    expect(await s.get('nope')).toBeUndefined();
    await s.ping();
  });

  it('tells a report\'s status and last update without its JSON, following updates', async () => {
    const s = await fresh();
    const r = report('ver', { status: 'running' });
    await s.create(r, 't');
    expect(await s.version('ver')).toEqual({ status: 'running', updatedAt: Date.parse(r.updatedAt) });
    const later = { ...r, status: 'complete' as const, updatedAt: new Date(Date.parse(r.updatedAt) + 1234).toISOString() };
    await s.update(later);
    expect(await s.version('ver')).toEqual({ status: 'complete', updatedAt: Date.parse(later.updatedAt) });
    expect(await s.version('nope')).toBeUndefined();
  });

  it('keeps only the SHA-256 of the delete token', async () => {
    const s = await fresh();
    await s.create(report('abc'), 'secret-token');
    const row = await b.rawRow(s, 'abc');
    // Computed here, not with the store's own hashToken, so a change to the hashing cannot pass unnoticed.
    const sha256 = createHash('sha256').update('secret-token', 'utf8').digest('hex');
    expect(row?.delete_hash).toBe(sha256);
    expect(hashToken('secret-token')).toBe(sha256);
    expect(JSON.stringify(row)).not.toContain('secret-token');
  });

  it('shares short-lived values with another handle until they expire, and clears expired ones', async () => {
    const s = await fresh();
    const other = await b.sibling(s);
    open.push(other);
    const now = Date.now();
    await s.putTransient('ca-session:one', '{"a":1}', now + 60_000);
    expect(await other.getTransient('ca-session:one')).toBe('{"a":1}');
    await other.putTransient('ca-session:one', '{"a":2}', now + 60_000);
    expect(await s.getTransient('ca-session:one')).toBe('{"a":2}');
    // Past its expiry it is not found, even before anything removed it.
    expect(await s.getTransient('ca-session:one', now + 60_001)).toBeUndefined();
    expect(await s.getTransient('nope')).toBeUndefined();
    // A write removes what has expired.
    await s.putTransient('old', 'x', now - 1);
    await s.putTransient('new', 'y', now + 60_000);
    expect(await s.getTransient('old', now - 10)).toBeUndefined();
  });

  it('refuses a second report with the same id', async () => {
    const s = await fresh();
    await s.create(report('dup'), 't');
    await expect(s.create(report('dup'), 't')).rejects.toThrow();
  });

  it('updates as the diagnosis progresses, and not after deletion', async () => {
    const s = await fresh();
    await s.create(report('abc'), 't');
    const done = report('abc', { status: 'complete', summary: { verdict: 'fail', counts: { pass: 0, info: 0, warn: 0, fail: 1, skip: 0, error: 0 } } });
    expect(await s.update(done)).toBe(true);
    expect((await s.get('abc'))?.status).toBe('complete');
    expect(await s.delete('abc', 't')).toBe('deleted');
    expect(await s.update(done)).toBe(false);
    expect(await s.get('abc')).toBeUndefined();
  });

  it('deletes only with the right token', async () => {
    const s = await fresh();
    await s.create(report('abc'), 'right');
    expect(await s.delete('abc', 'wrong')).toBe('forbidden');
    expect(await s.delete('abc', '')).toBe('forbidden');
    expect((await s.get('abc'))?.id).toBe('abc');
    expect(await s.delete('missing', 'right')).toBe('not-found');
    expect(await s.delete('abc', 'right')).toBe('deleted');
    expect(await s.delete('abc', 'right')).toBe('not-found');
  });

  it('purges reports older than the cut-off', async () => {
    const s = await fresh();
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await s.create(report('old', { createdAt: old, updatedAt: old }), 't');
    await s.create(report('new'), 't');
    expect(await s.purge(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await s.get('old')).toBeUndefined();
    expect((await s.get('new'))?.id).toBe('new');
  });

  it('lists running reports and marks only still-running ones interrupted, keeping their results', async () => {
    const s = await fresh();
    const t1 = new Date(Date.now() - 5000).toISOString();
    const partial = report('run1', { createdAt: t1, updatedAt: t1, checks: [] });
    await s.create(partial, 't');
    await s.create(report('run2'), 't');
    await s.create(report('done', { status: 'complete' }), 't');
    const running = await s.listRunning();
    expect(running.map((r) => r.id)).toEqual(['run1', 'run2']);
    expect(running[0].createdAt.toISOString()).toBe(t1);
    expect(await s.markInterrupted(['run1', 'done', 'missing'])).toEqual(['run1']);
    const r1 = await s.get('run1');
    expect(r1?.status).toBe('interrupted');
    expect(reportSchema.safeParse(r1).success).toBe(true);
    expect((await s.get('done'))?.status).toBe('complete');
    expect((await s.get('run2'))?.status).toBe('running');
    expect(await s.markRunningInterrupted()).toBe(1);
    expect(await s.listRunning()).toEqual([]);
  });
});

describe('SQLite specifics', () => {
  it('creates its directory and uses WAL', async () => {
    const file = path.join(dir, 'wal', 'a', 'b', 'reports.db');
    const s = new SqliteReportStore(file);
    expect(existsSync(file)).toBe(true);
    await s.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('marks leftover running reports interrupted and purges expired ones when opened at start', async () => {
    const file = path.join(dir, 'restart', 'reports.db');
    const s = new SqliteReportStore(file);
    await s.create(report('run'), 't');
    await s.create(report('fin', { status: 'complete' }), 't');
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await s.create(report('stale', { createdAt: old, updatedAt: old, status: 'complete' }), 't');
    await s.close();

    const { store, stop, kind } = await openStore({ file, retentionDays: 30 });
    stop();
    expect(kind).toBe('sqlite');
    expect((await store.get('run'))?.status).toBe('interrupted');
    expect((await store.get('fin'))?.status).toBe('complete');
    expect(await store.get('stale')).toBeUndefined();
    await store.close();
  });

  it('deleted means deleted: the marker is in none of the database files afterwards (db, -wal, -shm)', async () => {
    const file = path.join(dir, 'secure', 'reports.db');
    const s = new SqliteReportStore(file);
    const marker = 'MARKER-3f9c1e7a-deleted-report-text';
    const big = { ...report('gone'), input: { certificates: [], pasted: [], upn: `${marker}@contoso.com` } } as Report;
    await s.create(big, 'tok');
    // Progress updates write the text again (new WAL frames, freed overflow pages): all of it must go.
    for (let i = 0; i < 3; i++) await s.update({ ...big, updatedAt: new Date(Date.now() + i).toISOString() });
    await s.create(report('kept'), 'tok');
    const files = [file, `${file}-wal`, `${file}-shm`];
    const contains = () => files.filter((f) => existsSync(f) && readFileSync(f).includes(marker));
    expect(contains().length).toBeGreaterThan(0); // the marker really was written
    expect(await s.delete('gone', 'tok')).toBe('deleted');
    expect(contains()).toEqual([]);
    expect((await s.get('kept'))?.id).toBe('kept');
    // The same after the store is closed (closing checkpoints the WAL once more).
    await s.close();
    expect(contains()).toEqual([]);
  });

  it('purge removes the text from the files as well', async () => {
    const file = path.join(dir, 'secure-purge', 'reports.db');
    const s = new SqliteReportStore(file);
    const marker = 'MARKER-purged-8d1b';
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await s.create({ ...report('old', { createdAt: old, updatedAt: old }), input: { certificates: [], pasted: [], upn: `${marker}@contoso.com` } } as Report, 't');
    expect(await s.purge(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) expect(readFileSync(f).includes(marker)).toBe(false);
    await s.close();
  });
});

describe('PostgreSQL specifics', () => {
  it('applies the migrations exactly once when several instances start at the same time', async () => {
    const url = await pgServer.createDatabase(`race${++dbCount}`);
    const stores = await Promise.all(Array.from({ length: 6 }, () => PostgresReportStore.open(url)));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const versions = (await c.query('SELECT version FROM cba_doctor_migrations ORDER BY version')).rows.map((r) => r.version);
    await c.end();
    expect(versions).toEqual([1, 2, 3]);
    await stores[0].create(report('shared'), 't');
    expect((await stores[5].get('shared'))?.id).toBe('shared');
    // Opening again later is a no-op.
    const again = await PostgresReportStore.open(url);
    await again.close();
    for (const s of stores) await s.close();
  });

  it('shares a client budget between instances, lets the window pass, and never stores the key itself', async () => {
    const url = await pgServer.createDatabase(`hits${++dbCount}`);
    const [a, b] = await Promise.all([PostgresReportStore.open(url), PostgresReportStore.open(url)]);
    const o = (now: number, count = true) => ({ limit: 3, windowMs: 60_000, now, count });
    const t0 = 1_800_000_000_000;
    // Three hits spread over the two instances, some of them at the same moment.
    const first = await Promise.all([a.takeHit('report:198.51.100.7', o(t0)), b.takeHit('report:198.51.100.7', o(t0)), a.takeHit('report:198.51.100.7', o(t0 + 1000))]);
    expect(first.every((r) => r.ok)).toBe(true);
    expect(await b.takeHit('report:198.51.100.7', o(t0 + 2000, false))).toEqual({ ok: false, retryAfter: 58 });
    expect(await b.takeHit('report:198.51.100.7', o(t0 + 2000))).toEqual({ ok: false, retryAfter: 58 });
    // Another client, and the same client once the first two hits have left the window.
    expect(await a.takeHit('report:203.0.113.9', o(t0 + 2000))).toEqual({ ok: true });
    expect(await a.takeHit('report:198.51.100.7', o(t0 + 60_000))).toEqual({ ok: true });
    // Twelve at once from both instances: exactly the limit gets through.
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).takeHit('refusal:192.0.2.1', o(t0))));
    expect(burst.filter((r) => r.ok)).toHaveLength(3);
    const rows = (await a.pool.query('SELECT k FROM cba_rate_hits')).rows.map((r) => r.k as string);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.join()).not.toMatch(/198\.51|203\.0|192\.0/);
    await a.close();
    await b.close();
  });

  it('lets one instance purge at a time: while another holds the purge lock, purge skips', async () => {
    const url = await pgServer.createDatabase(`purge${++dbCount}`);
    const a = await PostgresReportStore.open(url);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await a.create(report('old', { createdAt: old, updatedAt: old }), 't');
    // Another instance in the middle of its purge: the transaction-scoped lock is held until it commits.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT pg_try_advisory_xact_lock($1)', [0x43_42_41_44_02]);
    const cutoff = new Date(Date.now() - 30 * 86_400_000);
    expect(await a.purge(cutoff)).toBe(0);
    expect((await a.get('old'))?.id).toBe('old');
    await other.query('COMMIT');
    await other.end();
    expect(await a.purge(cutoff)).toBe(1);
    await a.close();
  });

  it('fails to open with one line naming the setting, without the password', async () => {
    const url = `postgres://postgres:hunter2@127.0.0.1:${pgServer.port + 0}/no_such_db`;
    const e = await PostgresReportStore.open(url).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(e?.message).toMatch(/^CBA_DOCTOR_DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_db: .*no_such_db.* permanent/);
    expect(e?.message).not.toContain('hunter2');
    expect(e?.message).not.toContain('\n');
  });
});

describe('storeConfig', () => {
  it('reads the environment with the documented defaults', () => {
    expect(storeConfig({})).toEqual({ file: './data/cba-doctor.db', retentionDays: 30 });
    expect(storeConfig({ CBA_DOCTOR_DB: '/x/y.db', CBA_DOCTOR_RETENTION_DAYS: '7' })).toEqual({ file: '/x/y.db', retentionDays: 7 });
    expect(storeConfig({ CBA_DOCTOR_RETENTION_DAYS: 'soon' }).retentionDays).toBe(30);
    expect(storeConfig({ CBA_DOCTOR_DATABASE_URL: 'postgres://u:p@h/db' }).databaseUrl).toBe('postgres://u:p@h/db');
    expect(redactUrl('postgres://u:p@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });
});
