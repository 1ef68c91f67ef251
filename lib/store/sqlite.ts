// The default store: one SQLite file (better-sqlite3), for a single portal process.
//
// better-sqlite3 is synchronous, so a write that waits for a lock held by another process blocks the whole event loop
// for as long as SQLite's busy timeout. The timeout is therefore short, and a busy write is retried asynchronously
// with backoff (the loop stays free for other requests meanwhile).
import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { reportJson } from '@/lib/report/json';
import type { Report } from '@/lib/report/schema';
import { hashToken, sameHash } from './token';
import { interrupted, StoreError, type DeleteResult, type ReportStore, type RunningReport } from './types';

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
  // Written at every start: proves the file is writable before the server says it is ready.
  `CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);`,
  // Short-lived values every process sharing the file sees (certauth CA-list sessions).
  `CREATE TABLE transient (k TEXT PRIMARY KEY, v TEXT NOT NULL, expires_at INTEGER NOT NULL);
   CREATE INDEX transient_expires ON transient(expires_at);`,
];

/** Milliseconds SQLite itself waits for a lock, blocking the event loop; kept short on purpose. */
const BUSY_TIMEOUT_MS = 20;
/** How long a write keeps retrying a busy database before giving up (asynchronously, loop free). */
const DEFAULT_WRITE_BUDGET_MS = 3_000;

const VIRTUAL_FS = ['/proc', '/sys', '/dev'];
const SETTING = 'CBA_DOCTOR_DB';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sqliteCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
}

const isBusy = (e: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(e) ?? '');

/** Turns a SQLite or file-system error into one line that names the setting, the file and what to do. */
export function sqliteStoreError(e: unknown, file: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = sqliteCode(e) ?? '';
  const raw = e instanceof Error ? e.message : String(e);
  const where = `${SETTING}=${file}`;
  const permanent = (problem: string) => new StoreError(`${where}: ${problem} (${code || 'error'}). This is permanent until the file or its directory is fixed.`, true, code);
  if (isBusy(e)) return new StoreError(`${where}: the database is locked by another process (${code}); retrying may help.`, false, code);
  if (code === 'SQLITE_NOTADB') return permanent('the file is not a SQLite database (or it is damaged); move it away or point the setting at another file');
  if (code.startsWith('SQLITE_CORRUPT')) return permanent('the database file is damaged (truncated or overwritten); restore it from a backup or move it away');
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_PERM')
    return permanent(`the database cannot be written (${raw}); give the server's user write access to the file and its directory`);
  if (code.startsWith('SQLITE_CANTOPEN')) return permanent(`the database file cannot be opened (${raw}); check that the directory exists and is writable`);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return permanent('the disk is full');
  if (code.startsWith('SQLITE_IOERR')) return permanent(`the disk reported an I/O error (${raw})`);
  return permanent(raw);
}

function fail(file: string, problem: string): never {
  throw new StoreError(`${SETTING}=${file}: ${problem}. This is permanent until the setting or the file system is fixed.`, true, 'PATH');
}

function underVirtualFs(p: string): string | undefined {
  return VIRTUAL_FS.find((v) => p === v || p.startsWith(`${v}/`));
}

/**
 * Checks the path before SQLite sees it and creates its directory. Under /proc (or /sys, /dev) a recursive mkdir never
 * finishes and SQLite cannot keep a file anyway; a path component that is a file, or a directory where the database
 * should be, gives SQLite errors that do not say what is wrong.
 */
export function prepareSqlitePath(file: string): void {
  const abs = path.resolve(/*turbopackIgnore: true*/ file);
  const virtual = underVirtualFs(abs);
  if (virtual) fail(file, `${virtual} is a virtual file system provided by the kernel and cannot hold a database; name a file on a disk`);
  // Walk down from the root: find the deepest part that exists, and refuse a file where a directory must be.
  const parts = abs.split(path.sep).filter(Boolean);
  let existing: string = path.sep;
  for (let i = 0; i < parts.length; i++) {
    const p = path.join(/*turbopackIgnore: true*/ existing, parts[i]);
    let st;
    try {
      st = lstatSync(/*turbopackIgnore: true*/ p);
    } catch (e) {
      if (sqliteCode(e) === 'ENOENT') break;
      fail(file, `${p} cannot be examined (${(e as Error).message})`);
    }
    if (st.isSymbolicLink()) {
      // Follow links, and check again where they lead.
      let real;
      try {
        real = realpathSync(/*turbopackIgnore: true*/ p);
      } catch {
        fail(file, `${p} is a symbolic link that leads nowhere`);
      }
      const v = underVirtualFs(real);
      if (v) fail(file, `${p} leads to ${real}, on ${v}, a virtual file system that cannot hold a database`);
      st = statSync(/*turbopackIgnore: true*/ p);
    }
    const last = i === parts.length - 1;
    if (!last && !st.isDirectory()) fail(file, `${p} is a file, not a directory`);
    if (last && st.isDirectory()) fail(file, `it is a directory; name a file inside it (for example ${path.join(abs, 'cba-doctor.db')})`);
    if (last && !st.isFile()) fail(file, 'it is not a regular file');
    existing = p;
  }
  try {
    mkdirSync(/*turbopackIgnore: true*/ path.dirname(abs), { recursive: true });
  } catch (e) {
    fail(file, `its directory ${path.dirname(abs)} cannot be created (${(e as Error).message})`);
  }
}

export interface SqliteOptions {
  /** Milliseconds a write keeps retrying while another process holds the lock. */
  writeBudgetMs?: number;
}

export class SqliteReportStore implements ReportStore {
  private db: Database.Database;
  readonly describe: string;
  private readonly writeBudgetMs: number;

  constructor(
    readonly file: string,
    opts: SqliteOptions = {},
  ) {
    this.describe = `SQLite ${SETTING}=${file}`;
    this.writeBudgetMs = opts.writeBudgetMs ?? DEFAULT_WRITE_BUDGET_MS;
    if (file !== ':memory:') prepareSqlitePath(file);
    try {
      this.db = new Database(file);
    } catch (e) {
      throw sqliteStoreError(e, file);
    }
    try {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // Freed pages are overwritten with zeros, so a deleted report's text does not linger in the file.
      this.db.pragma('secure_delete = ON');
      this.check();
      this.migrate();
      this.db.prepare("INSERT INTO meta (k, v) VALUES ('opened_at', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v").run(new Date().toISOString());
    } catch (e) {
      try {
        this.db.close();
      } catch {
        /* already unusable */
      }
      throw sqliteStoreError(e, file);
    }
  }

  /** A damaged (e.g. truncated) file opens fine and fails later, page by page: look at every page once at start. */
  private check() {
    const rows = this.db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((s) => s !== 'ok');
    if (problems.length) {
      const e = new Error(`integrity check: ${problems.slice(0, 2).join('; ')}`) as Error & { code: string };
      e.code = 'SQLITE_CORRUPT';
      throw e;
    }
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

  /** Runs a synchronous statement; errors come back as StoreError naming the file. */
  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw sqliteStoreError(e, this.file);
    }
  }

  /** Runs a write, retrying asynchronously with backoff while another process holds the lock. */
  private async write<T>(fn: () => T, budgetMs = this.writeBudgetMs): Promise<T> {
    const deadline = Date.now() + budgetMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 500)) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() + delay > deadline) throw sqliteStoreError(e, this.file);
      }
      await sleep(delay);
    }
  }

  async create(report: Report, deleteToken: string): Promise<void> {
    await this.write(() =>
      this.db
        .prepare('INSERT INTO reports (id, created_at, updated_at, status, delete_hash, json) VALUES (?, ?, ?, ?, ?, ?)')
        .run(report.id, Date.parse(report.createdAt), Date.parse(report.updatedAt), report.status, hashToken(deleteToken), reportJson(report)),
    );
  }

  async update(report: Report): Promise<boolean> {
    const r = await this.write(() =>
      this.db.prepare('UPDATE reports SET updated_at = ?, status = ?, json = ? WHERE id = ?').run(Date.parse(report.updatedAt), report.status, reportJson(report), report.id),
    );
    return r.changes > 0;
  }

  async get(id: string): Promise<Report | undefined> {
    const row = this.read(() => this.db.prepare('SELECT json FROM reports WHERE id = ?').get(id) as { json: string } | undefined);
    return row ? (JSON.parse(row.json) as Report) : undefined;
  }

  async version(id: string): Promise<{ status: Report['status']; updatedAt: number } | undefined> {
    const row = this.read(() => this.db.prepare('SELECT status, updated_at FROM reports WHERE id = ?').get(id) as { status: Report['status']; updated_at: number } | undefined);
    return row && { status: row.status, updatedAt: row.updated_at };
  }

  async delete(id: string, deleteToken: string): Promise<DeleteResult> {
    const row = this.read(() => this.db.prepare('SELECT delete_hash FROM reports WHERE id = ?').get(id) as { delete_hash: string } | undefined);
    if (!row) return 'not-found';
    if (!sameHash(row.delete_hash, hashToken(deleteToken))) return 'forbidden';
    const r = await this.write(() => this.db.prepare('DELETE FROM reports WHERE id = ?').run(id));
    if (r.changes === 0) return 'not-found';
    await this.checkpoint();
    return 'deleted';
  }

  async putTransient(key: string, value: string, expiresAt: number): Promise<void> {
    await this.write(() =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM transient WHERE expires_at <= ?').run(Date.now());
        this.db.prepare('INSERT OR REPLACE INTO transient (k, v, expires_at) VALUES (?, ?, ?)').run(key, value, expiresAt);
      })(),
    );
  }

  async getTransient(key: string, now = Date.now()): Promise<string | undefined> {
    const row = this.read(() => this.db.prepare('SELECT v FROM transient WHERE k = ? AND expires_at > ?').get(key, now) as { v: string } | undefined);
    return row?.v;
  }

  async purge(before: Date): Promise<number> {
    const n = (await this.write(() => this.db.prepare('DELETE FROM reports WHERE created_at < ?').run(before.getTime()))).changes;
    if (n > 0) await this.checkpoint();
    return n;
  }

  /**
   * Copies the WAL into the database file and empties it: with secure_delete the freed pages are zeros, and the old
   * frames that held the deleted text are gone from the WAL. A reader in another process can keep the WAL from
   * emptying; then a few later attempts follow.
   */
  private async checkpoint(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      try {
        const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (!r || r.busy === 0) return;
      } catch (e) {
        if (!isBusy(e)) throw sqliteStoreError(e, this.file);
      }
      await sleep(50 * 2 ** i);
    }
  }

  async listRunning(): Promise<RunningReport[]> {
    const rows = this.read(
      () => this.db.prepare("SELECT id, created_at, updated_at FROM reports WHERE status = 'running' ORDER BY created_at").all() as { id: string; created_at: number; updated_at: number }[],
    );
    return rows.map((r) => ({ id: r.id, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) }));
  }

  async markInterrupted(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const now = new Date();
    return this.write(() =>
      this.db.transaction(() => {
        const changed: string[] = [];
        const get = this.db.prepare("SELECT json FROM reports WHERE id = ? AND status = 'running'");
        const set = this.db.prepare("UPDATE reports SET status = 'interrupted', updated_at = ?, json = ? WHERE id = ? AND status = 'running'");
        for (const id of ids) {
          const row = get.get(id) as { json: string } | undefined;
          if (!row) continue;
          set.run(now.getTime(), JSON.stringify(interrupted(JSON.parse(row.json) as Report, now)), id);
          changed.push(id);
        }
        return changed;
      })(),
    );
  }

  async markRunningInterrupted(): Promise<number> {
    const running = await this.listRunning();
    return (await this.markInterrupted(running.map((r) => r.id))).length;
  }

  async ping(): Promise<void> {
    this.read(() => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
