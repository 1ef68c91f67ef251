// The shared store: PostgreSQL (`pg`), for several portal instances behind a load balancer.
// Migrations run at start under an advisory lock, so instances that start together apply each one exactly once.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { reportJson } from '@/lib/report/json';
import type { Report } from '@/lib/report/schema';
import { redactUrl } from './config';
import { hashToken, sameHash } from './token';
import { interrupted, StoreError, type DeleteResult, type ReportStore, type RunningReport } from './types';

const SETTING = 'CBA_DOCTOR_DATABASE_URL';
// Advisory lock keys (any constant bigint unique to this application).
const LOCK_MIGRATE = 0x43_42_41_44_01; // 'CBAD' 1
const LOCK_PURGE = 0x43_42_41_44_02;

const MIGRATIONS = [
  `CREATE TABLE cba_reports (
     id TEXT PRIMARY KEY,
     created_at TIMESTAMPTZ NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL,
     status TEXT NOT NULL,
     delete_hash TEXT NOT NULL,
     json TEXT NOT NULL
   );
   CREATE INDEX cba_reports_created ON cba_reports(created_at);
   CREATE INDEX cba_reports_running ON cba_reports(created_at) WHERE status = 'running';`,
  // Short-lived values every instance sees (certauth CA-list sessions).
  `CREATE TABLE cba_transient (k TEXT PRIMARY KEY, v TEXT NOT NULL, expires_at BIGINT NOT NULL);
   CREATE INDEX cba_transient_expires ON cba_transient(expires_at);`,
  // The per-client rate limit, shared by the instances (the key is a hash, never the client address itself).
  `CREATE TABLE cba_rate_hits (k TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX cba_rate_hits_key ON cba_rate_hits(k, at);
   CREATE INDEX cba_rate_hits_at ON cba_rate_hits(at);`,
];

// Errors that pass by themselves (the server restarted, a connection dropped, too many clients for a moment).
const TRANSIENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '40001', '40P01', '08000', '08003', '08006']);

export function pgStoreError(e: unknown, url: string): StoreError {
  if (e instanceof StoreError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const raw = e instanceof Error ? e.message || e.constructor.name : String(e);
  const where = `${SETTING}=${redactUrl(url)}`;
  if (code === 'ECONNREFUSED') return new StoreError(`${where}: connection refused; is PostgreSQL running and listening there?`, false, code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StoreError(`${where}: the host name does not resolve (${code})`, code === 'ENOTFOUND', code);
  if (code === '28P01' || code === '28000') return new StoreError(`${where}: PostgreSQL refused the login (${raw}). This is permanent until the user or password is fixed.`, true, code);
  if (code === '3D000') return new StoreError(`${where}: ${raw}; create the database first. This is permanent until it exists.`, true, code);
  if (TRANSIENT.has(code)) return new StoreError(`${where}: ${raw} (${code}); retrying may help.`, false, code);
  return new StoreError(`${where}: ${raw}${code ? ` (${code})` : ''}. This is permanent until the database is fixed.`, true, code);
}

export interface PostgresOptions {
  /** Connections per instance. */
  max?: number;
}

export class PostgresReportStore implements ReportStore {
  readonly describe: string;
  readonly pool: pg.Pool;

  private constructor(
    readonly url: string,
    opts: PostgresOptions,
  ) {
    this.describe = `PostgreSQL ${SETTING}=${redactUrl(url)}`;
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 10_000, application_name: 'cba-doctor' });
    // An idle client that loses its connection emits here; without a listener it would crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Connects, applies the migrations (once, whatever the number of instances starting), and returns the store. */
  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresReportStore> {
    const s = new PostgresReportStore(url, opts);
    try {
      await s.migrate();
    } catch (e) {
      await s.pool.end().catch(() => undefined);
      throw pgStoreError(e, url);
    }
    return s;
  }

  private async migrate() {
    const c = await this.pool.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1)', [LOCK_MIGRATE]);
      try {
        await c.query('CREATE TABLE IF NOT EXISTS cba_doctor_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const { rows } = await c.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM cba_doctor_migrations');
        for (let v = rows[0].v; v < MIGRATIONS.length; v++) {
          await c.query('BEGIN');
          try {
            await c.query(MIGRATIONS[v]);
            await c.query('INSERT INTO cba_doctor_migrations (version) VALUES ($1)', [v + 1]);
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK').catch(() => undefined);
            throw e;
          }
        }
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [LOCK_MIGRATE]).catch(() => undefined);
      }
    } finally {
      c.release();
    }
  }

  private async q<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (e) {
      throw pgStoreError(e, this.url);
    }
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      throw pgStoreError(e, this.url);
    }
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw pgStoreError(e, this.url);
    } finally {
      c.release();
    }
  }

  async create(report: Report, deleteToken: string): Promise<void> {
    await this.q('INSERT INTO cba_reports (id, created_at, updated_at, status, delete_hash, json) VALUES ($1, $2, $3, $4, $5, $6)', [
      report.id,
      new Date(report.createdAt),
      new Date(report.updatedAt),
      report.status,
      hashToken(deleteToken),
      reportJson(report),
    ]);
  }

  async update(report: Report): Promise<boolean> {
    const r = await this.q('UPDATE cba_reports SET updated_at = $1, status = $2, json = $3 WHERE id = $4', [new Date(report.updatedAt), report.status, reportJson(report), report.id]);
    return (r.rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<Report | undefined> {
    const r = await this.q<{ json: string }>('SELECT json FROM cba_reports WHERE id = $1', [id]);
    return r.rows[0] ? (JSON.parse(r.rows[0].json) as Report) : undefined;
  }

  async version(id: string): Promise<{ status: Report['status']; updatedAt: number } | undefined> {
    const r = await this.q<{ status: Report['status']; updated_at: Date }>('SELECT status, updated_at FROM cba_reports WHERE id = $1', [id]);
    return r.rows[0] && { status: r.rows[0].status, updatedAt: r.rows[0].updated_at.getTime() };
  }

  async delete(id: string, deleteToken: string): Promise<DeleteResult> {
    return this.tx(async (c) => {
      const r = await c.query<{ delete_hash: string }>('SELECT delete_hash FROM cba_reports WHERE id = $1 FOR UPDATE', [id]);
      if (!r.rows[0]) return 'not-found';
      if (!sameHash(r.rows[0].delete_hash, hashToken(deleteToken))) return 'forbidden';
      await c.query('DELETE FROM cba_reports WHERE id = $1', [id]);
      return 'deleted';
    });
  }

  async putTransient(key: string, value: string, expiresAt: number): Promise<void> {
    await this.q('DELETE FROM cba_transient WHERE expires_at <= $1', [Date.now()]);
    await this.q('INSERT INTO cba_transient (k, v, expires_at) VALUES ($1, $2, $3) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v, expires_at = EXCLUDED.expires_at', [key, value, expiresAt]);
  }

  async getTransient(key: string, now = Date.now()): Promise<string | undefined> {
    const r = await this.q<{ v: string }>('SELECT v FROM cba_transient WHERE k = $1 AND expires_at > $2', [key, now]);
    return r.rows[0]?.v;
  }

  async takeHit(key: string, o: { limit: number; windowMs: number; now: number; count: boolean }): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
    const k = createHash('sha256').update(key, 'utf8').digest('hex');
    const since = o.now - o.windowMs;
    return this.tx(async (c) => {
      // One client's hits are counted and added under a lock of its own, so two instances cannot both take the last one.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [k]);
      if (o.count) await c.query('DELETE FROM cba_rate_hits WHERE at <= $1', [since]);
      const r = await c.query<{ n: string; oldest: string | null }>('SELECT count(*) AS n, min(at) AS oldest FROM cba_rate_hits WHERE k = $1 AND at > $2', [k, since]);
      if (Number(r.rows[0].n) >= o.limit) return { ok: false as const, retryAfter: Math.max(1, Math.ceil((Number(r.rows[0].oldest) + o.windowMs - o.now) / 1000)) };
      if (o.count) await c.query('INSERT INTO cba_rate_hits (k, at) VALUES ($1, $2)', [k, o.now]);
      return { ok: true as const };
    });
  }

  /** One instance at a time: the others skip this round (a transaction-scoped advisory lock, released at commit). */
  async purge(before: Date): Promise<number> {
    return this.tx(async (c) => {
      const lock = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [LOCK_PURGE]);
      if (!lock.rows[0].ok) return 0;
      const r = await c.query('DELETE FROM cba_reports WHERE created_at < $1', [before]);
      return r.rowCount ?? 0;
    });
  }

  async listRunning(): Promise<RunningReport[]> {
    const r = await this.q<{ id: string; created_at: Date; updated_at: Date }>("SELECT id, created_at, updated_at FROM cba_reports WHERE status = 'running' ORDER BY created_at");
    return r.rows.map((x) => ({ id: x.id, createdAt: x.created_at, updatedAt: x.updated_at }));
  }

  async markInterrupted(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const now = new Date();
    return this.tx(async (c) => {
      const rows = await c.query<{ id: string; json: string }>("SELECT id, json FROM cba_reports WHERE id = ANY($1) AND status = 'running' FOR UPDATE", [ids]);
      for (const row of rows.rows)
        await c.query("UPDATE cba_reports SET status = 'interrupted', updated_at = $1, json = $2 WHERE id = $3", [now, JSON.stringify(interrupted(JSON.parse(row.json) as Report, now)), row.id]);
      return rows.rows.map((r) => r.id);
    });
  }

  /** Only for a single instance: with several, another instance's running reports are alive. Not used at start here. */
  async markRunningInterrupted(): Promise<number> {
    const running = await this.listRunning();
    return (await this.markInterrupted(running.map((r) => r.id))).length;
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
