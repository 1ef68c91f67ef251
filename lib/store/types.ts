// The report store contract: the portal talks to this interface only, so a SQLite file (one server) and PostgreSQL
// (several instances behind a load balancer) are interchangeable. Both pass one shared test suite (store-suite.ts).
import { settleVerdict, type Report } from '@/lib/report/schema';

export type DeleteResult = 'deleted' | 'not-found' | 'forbidden';

export interface RunningReport {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReportStore {
  /** What the store is, for logs and error lines (never a password). */
  readonly describe: string;
  /** Stores a new report with the hash of its deletion token (the token itself is never kept). */
  create(report: Report, deleteToken: string): Promise<void>;
  /** Replaces the stored report; false when it no longer exists (deleted while running). */
  update(report: Report): Promise<boolean>;
  get(id: string): Promise<Report | undefined>;
  /** A report's status and last update (ms since the epoch) without reading its JSON: what a poller compares. */
  version(id: string): Promise<{ status: Report['status']; updatedAt: number } | undefined>;
  /** Deletes a report so that its text is gone from the storage too (not only unlinked). */
  delete(id: string, deleteToken: string): Promise<DeleteResult>;
  /** Deletes reports created before `before`; returns how many. */
  purge(before: Date): Promise<number>;
  /** Reports still marked `running`, oldest first. */
  listRunning(): Promise<RunningReport[]>;
  /**
   * Marks these reports `interrupted` if they are still `running` (a finished report is never overwritten);
   * returns the ids it changed.
   */
  markInterrupted(ids: string[]): Promise<string[]>;
  /** Reports left `running` by a previous server process can never finish: mark them `interrupted`. */
  markRunningInterrupted(): Promise<number>;
  /**
   * Keeps a short-lived value (a certauth CA-list session) until `expiresAt` (ms since the epoch), where every instance
   * sharing this store finds it: with several instances, the one that answers the TLS handshake is often not the one
   * the form talked to. Expired values are removed as new ones are written.
   */
  putTransient(key: string, value: string, expiresAt: number): Promise<void>;
  /** The value stored under `key`, unless it has expired by `now`. */
  getTransient(key: string, now?: number): Promise<string | undefined>;
  /**
   * A sliding-window budget shared by every instance using this store: whether `key` has had fewer than `limit` hits
   * in the last `windowMs`, counting this one when `count`. Only stores that several instances share have it
   * (PostgreSQL); with SQLite one process owns the store and counts in memory.
   */
  takeHit?(key: string, o: { limit: number; windowMs: number; now: number; count: boolean }): Promise<{ ok: true } | { ok: false; retryAfter: number }>;
  /** A cheap round trip, for /api/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A store failure that says which store (the setting and its value) and whether retrying can help. `permanent` errors
 * (a damaged or read-only file, a missing table) need an operator; transient ones (a lock held by another process, a
 * dropped connection) pass by themselves.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Marks a stored report interrupted, keeping what it found so far; its verdict is never `pass` then. */
export function interrupted(r: Report, now: Date): Report {
  return settleVerdict({ ...r, status: 'interrupted', updatedAt: now.toISOString() });
}
