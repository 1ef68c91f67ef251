// Issue 16 item 4: no report stays `running`. A real second process holds the SQLite write lock while a diagnosis
// finishes; the final write waits (asynchronously, with backoff), every failure is logged with the report id, and the
// report completes once the lock is released. When the lock outlasts the retries, the watchdog marks it interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogger } from '@/lib/ops/log';
import { SqliteReportStore } from '@/lib/store/sqlite';
import { makeCrl, makePki, PKI_URLS, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Loopback } from '@/test/net/loopback';
import type { DiagnosisContext } from './artifacts';
import { executeDiagnosis, runningDiagnoses, sweepRunning, type DiagnosisJob } from './jobs';
import { reportSchema, summarize, type Report } from './schema';

const root = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
let crlServer: Loopback;
let pki: Pki;
let crlDer: Uint8Array;
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {};
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-jobs-'));
  crlServer = await startLoopback(routes);
  const base = `http://127.0.0.1:${crlServer.port}`;
  pki = await makePki({ baseUrl: base });
  crlDer = (await makeCrl({ issuer: pki.ca })).der;
  setLogger(pino({ level: 'info' }, { write: (s: string) => void logLines.push(JSON.parse(s)) }));
});
afterAll(async () => {
  setLogger(undefined);
  await crlServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) if (h.exitCode === null) h.kill('SIGKILL');
});

/** A second process that takes SQLite's write lock (BEGIN IMMEDIATE) and keeps it until told to release. */
async function holdWriteLock(file: string): Promise<{ release: () => Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script, file], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  holders.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await until(() => out.includes('locked'), 'the lock holder to take the lock');
  return {
    release: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.write('go\n');
      await exited;
    },
  };
}

async function until(cond: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function running(id: string): Report {
  const now = new Date().toISOString();
  return reportSchema.parse({ schemaVersion: 1, id, createdAt: now, updatedAt: now, status: 'running', target: 'unknown', input: { certificates: [], pasted: [] }, summary: summarize([]), checks: [] });
}

function job(id: string, createdAt: string): DiagnosisJob {
  const ctx: DiagnosisContext = { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 10_000 };
  return {
    id,
    createdAt,
    ctx,
    input: { files: [{ name: 'user.cer', bytes: pki.user.der }, { name: 'issuing.cer', bytes: pki.ca.der }, { name: 'root.cer', bytes: pki.root.der }], crlFiles: [], pasted: [] },
  };
}

/** The CRL download answers only when released, so the diagnosis ends exactly when the test wants. */
function heldCrl(): { release: () => void; requested: () => boolean } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let requested = false;
  routes[new URL(PKI_URLS().caCrl).pathname] = (req, res) => {
    requested = true;
    void gate.then(() => serve(crlDer)(req, res));
  };
  return { release, requested: () => requested };
}

describe('final writes under a lock held by another process', () => {
  it('retries the final write off the event loop, logs each failure with the report id, and completes', async () => {
    const file = path.join(dir, 'lock1', 'reports.db');
    const store = new SqliteReportStore(file, { writeBudgetMs: 100 });
    const id = 'FinalWriteUnderLock0001';
    const r0 = running(id);
    await store.create(r0, 't');
    const crl = heldCrl();
    const done = executeDiagnosis(job(id, r0.createdAt), store, { retry: { firstDelayMs: 50, maxDelayMs: 200, budgetMs: 120_000 } });
    await until(crl.requested, 'the CRL request');
    const lock = await holdWriteLock(file);
    crl.release();
    await until(() => logLines.some((l) => l.reportId === id && l.msg === 'final report write failed'), 'a logged final-write failure');
    // Reads still work while the writer waits (WAL), and the report is not yet final.
    expect((await store.get(id))?.status).toBe('running');
    const failure = logLines.find((l) => l.reportId === id && l.msg === 'final report write failed')!;
    expect(failure.err).toMatch(/CBA_DOCTOR_DB=.*reports\.db: the database is locked by another process/);
    await lock.release();
    expect(await done).toBe('complete');
    const final = await store.get(id);
    expect(final?.status).toBe('complete');
    expect(final?.checks.find((c) => c.id === 'crl.fetch')).toBeDefined();
    expect(logLines.some((l) => l.reportId === id && typeof l.attempt === 'number' && (l.msg as string).includes('stored after'))).toBe(true);
    await store.close();
  });

  it('when the lock outlasts the retries, the report is left for the watchdog, which marks it interrupted', async () => {
    const file = path.join(dir, 'lock2', 'reports.db');
    const store = new SqliteReportStore(file, { writeBudgetMs: 50 });
    const id = 'FinalWriteLostToLock001';
    const r0 = running(id);
    await store.create(r0, 't');
    const crl = heldCrl();
    const done = executeDiagnosis(job(id, r0.createdAt), store, { retry: { firstDelayMs: 20, maxDelayMs: 50, budgetMs: 400 } });
    await until(crl.requested, 'the CRL request');
    const lock = await holdWriteLock(file);
    crl.release();
    expect(await done).toBe('lost');
    expect(logLines.some((l) => l.reportId === id && l.msg === 'final report write failed' && l.giveUp === true)).toBe(true);
    await lock.release();
    expect((await store.get(id))?.status).toBe('running');
    // The diagnosis is no longer in flight here: the next sweep after the stale period marks it.
    expect(await sweepRunning(store, { now: new Date(Date.now() + 61_000), staleMs: 60_000 })).toEqual([id]);
    const r = await store.get(id);
    expect(r?.status).toBe('interrupted');
    expect(reportSchema.safeParse(r).success).toBe(true);
    await store.close();
  });
});

describe('watchdog', () => {
  it('marks reports with no diagnosis in flight (after the stale period) and those past the deadline; leaves live ones alone', async () => {
    const store = new SqliteReportStore(path.join(dir, 'watchdog', 'reports.db'));
    const now = Date.now();
    const at = (ms: number) => new Date(now - ms).toISOString();
    await store.create({ ...running('OrphanedRunningReport01'), createdAt: at(120_000), updatedAt: at(90_000) }, 't');
    await store.create({ ...running('FreshOrphanReport000001'), createdAt: at(5_000), updatedAt: at(5_000) }, 't');
    await store.create({ ...running('LiveDiagnosisReport0001'), createdAt: at(100_000), updatedAt: at(100_000) }, 't');
    await store.create({ ...running('OverdueDiagnosisReport1'), createdAt: at(400_000), updatedAt: at(1_000) }, 't');
    await store.create({ ...running('FinishedReport000000001'), createdAt: at(900_000), updatedAt: at(900_000), status: 'complete' }, 't');
    const live = new Promise<void>(() => undefined);
    runningDiagnoses().set('LiveDiagnosisReport0001', live);
    runningDiagnoses().set('OverdueDiagnosisReport1', live);
    try {
      const changed = await sweepRunning(store, { now: new Date(now), staleMs: 60_000, deadlineMs: 300_000 });
      expect(changed.sort()).toEqual(['OrphanedRunningReport01', 'OverdueDiagnosisReport1']);
      expect((await store.get('FreshOrphanReport000001'))?.status).toBe('running');
      expect((await store.get('LiveDiagnosisReport0001'))?.status).toBe('running');
      expect((await store.get('FinishedReport000000001'))?.status).toBe('complete');
      // Several instances share PostgreSQL: only age counts there (two tries of the deadline plus a margin).
      expect(await sweepRunning(store, { now: new Date(now), deadlineMs: 300_000, shared: true })).toEqual([]);
      expect(await sweepRunning(store, { now: new Date(now + 20 * 60_000), deadlineMs: 300_000, shared: true })).toEqual(['LiveDiagnosisReport0001', 'FreshOrphanReport000001']);
    } finally {
      runningDiagnoses().delete('LiveDiagnosisReport0001');
      runningDiagnoses().delete('OverdueDiagnosisReport1');
      await store.close();
    }
  });

  it('a diagnosis past its deadline is stopped and its report marked interrupted', async () => {
    const store = new SqliteReportStore(path.join(dir, 'deadline', 'reports.db'));
    const id = 'DeadlineExceededReport1';
    const r0 = running(id);
    await store.create(r0, 't');
    const crl = heldCrl(); // never released: the CRL download hangs past the deadline
    const out = await executeDiagnosis(job(id, r0.createdAt), store, { deadlineMs: 1_000 });
    expect(crl.requested()).toBe(true);
    expect(out).toBe('interrupted');
    expect((await store.get(id))?.status).toBe('interrupted');
    expect(logLines.some((l) => l.reportId === id && (l.msg as string).includes('deadline'))).toBe(true);
    crl.release();
    await store.close();
  });
});
