// Report persistence. The portal talks to the ReportStore interface only, so a PostgreSQL store can later serve
// several instances behind a load balancer; the SQLite implementation is the default for a single server.
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Report } from './schema';

export type DeleteResult = 'deleted' | 'not-found' | 'forbidden';

export interface ReportStore {
  /** Stores a new report with the hash of its deletion token (the token itself is never kept). */
  create(report: Report, deleteToken: string): Promise<void>;
  /** Replaces the stored report; false when it no longer exists (deleted while running). */
  update(report: Report): Promise<boolean>;
  get(id: string): Promise<Report | undefined>;
  delete(id: string, deleteToken: string): Promise<DeleteResult>;
  /** Deletes reports created before `before`; returns how many. */
  purge(before: Date): Promise<number>;
  /** Reports left `running` by a previous server process can never finish: mark them `interrupted`. */
  markRunningInterrupted(): Promise<number>;
  close(): Promise<void>;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

// Each entry upgrades the schema by one version (PRAGMA user_version), so old database files keep working.
const MIGRATIONS = [
  `CREATE TABLE reports (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     delete_hash TEXT NOT NULL,
     json TEXT NOT NULL
   );
   CREATE INDEX reports_created ON reports(created_at);
   CREATE INDEX reports_status ON reports(status);`,
];

export class SqliteReportStore implements ReportStore {
  private db: Database.Database;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
    this.migrate();
  }

  private migrate() {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async create(report: Report, deleteToken: string): Promise<void> {
    this.db
      .prepare('INSERT INTO reports (id, created_at, updated_at, status, delete_hash, json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(report.id, Date.parse(report.createdAt), Date.parse(report.updatedAt), report.status, hashToken(deleteToken), JSON.stringify(report));
  }

  async update(report: Report): Promise<boolean> {
    const r = this.db
      .prepare('UPDATE reports SET updated_at = ?, status = ?, json = ? WHERE id = ?')
      .run(Date.parse(report.updatedAt), report.status, JSON.stringify(report), report.id);
    return r.changes > 0;
  }

  async get(id: string): Promise<Report | undefined> {
    const row = this.db.prepare('SELECT json FROM reports WHERE id = ?').get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Report) : undefined;
  }

  async delete(id: string, deleteToken: string): Promise<DeleteResult> {
    const row = this.db.prepare('SELECT delete_hash FROM reports WHERE id = ?').get(id) as { delete_hash: string } | undefined;
    if (!row) return 'not-found';
    if (!sameHash(row.delete_hash, hashToken(deleteToken))) return 'forbidden';
    this.db.prepare('DELETE FROM reports WHERE id = ?').run(id);
    return 'deleted';
  }

  async purge(before: Date): Promise<number> {
    return this.db.prepare('DELETE FROM reports WHERE created_at < ?').run(before.getTime()).changes;
  }

  async markRunningInterrupted(): Promise<number> {
    const rows = this.db.prepare("SELECT id, json FROM reports WHERE status = 'running'").all() as { id: string; json: string }[];
    const now = new Date();
    const stmt = this.db.prepare('UPDATE reports SET status = ?, updated_at = ?, json = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const row of rows) {
        const r = JSON.parse(row.json) as Report;
        stmt.run('interrupted', now.getTime(), JSON.stringify({ ...r, status: 'interrupted', updatedAt: now.toISOString() }), row.id);
      }
    })();
    return rows.length;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export interface StoreConfig {
  file: string;
  retentionDays: number;
}

export function storeConfig(env: Record<string, string | undefined> = process.env): StoreConfig {
  const days = Number(env.CBA_DOCTOR_RETENTION_DAYS ?? '30');
  return {
    file: env.CBA_DOCTOR_DB || './data/cba-doctor.db',
    retentionDays: Number.isFinite(days) && days > 0 ? days : 30,
  };
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Opens the store, marks leftovers `interrupted`, purges old reports and keeps purging every hour. */
export async function openStore(config: StoreConfig): Promise<{ store: ReportStore; stop: () => void }> {
  const store = new SqliteReportStore(config.file);
  await store.markRunningInterrupted();
  const purge = () => store.purge(new Date(Date.now() - config.retentionDays * 86_400_000)).catch(() => 0);
  await purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return { store, stop: () => clearInterval(timer) };
}

// Next bundles route handlers, pages and server actions separately; one process-wide instance lives on globalThis
// so they all share the same connection and the startup sweep runs exactly once per process.
const KEY = Symbol.for('cba-doctor.store');
type Holder = { [KEY]?: Promise<ReportStore> };

export function getStore(): Promise<ReportStore> {
  const g = globalThis as Holder;
  g[KEY] ??= openStore(storeConfig()).then(
    (s) => s.store,
    (e) => {
      // A failed open (unwritable directory...) is retried on the next request instead of sticking forever.
      delete g[KEY];
      throw e;
    },
  );
  return g[KEY];
}
