// Running diagnoses: the in-process queue (SQLite mode), the final write that must not be lost, the per-diagnosis
// deadline and the watchdog that leaves no report `running` for ever. The PostgreSQL job queue (queue.ts) calls
// executeDiagnosis too, on whichever instance takes the job.
import { ALL_CHECKS } from '@/lib/checks/registry';
import { log, errMessage } from '@/lib/ops/log';
import { metrics } from '@/lib/ops/metrics';
import { diagnosisDeadlineMs } from '@/lib/store/config';
import { StoreError, type ReportStore } from '@/lib/store/types';
import type { DiagnosisContext, DiagnosisInput } from './artifacts';
import { ALL_COLLECTORS } from './collectors';
import { runDiagnosis } from './runner';
import type { Report } from './schema';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RUNNING_KEY = Symbol.for('cba-doctor.running');
/** Diagnoses in flight in this process (tests and shutdown can wait for them; the watchdog leaves them alone). */
export function runningDiagnoses(): Map<string, Promise<void>> {
  const g = globalThis as { [RUNNING_KEY]?: Map<string, Promise<void>> };
  return (g[RUNNING_KEY] ??= new Map());
}

// A diagnosis holds downloaded CRLs (up to the byte cap) in memory and opens many sockets, so the process runs only a
// few at once and queues the rest; beyond the queue, creation is refused. The per-client limit keys on
// X-Forwarded-For, which a client can forge when no proxy overwrites it: this global bound holds regardless.
const GATE_KEY = Symbol.for('cba-doctor.gate');
export class Gate {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}
  get busy() {
    return this.active >= this.concurrency && this.waiting.length >= this.maxQueue;
  }
  get depth() {
    return { active: this.active, waiting: this.waiting.length };
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export function maxConcurrent(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.CBA_DOCTOR_MAX_CONCURRENT ?? '4');
  return Number.isInteger(n) && n > 0 ? n : 4;
}

export function gate(): Gate {
  const g = globalThis as { [GATE_KEY]?: Gate };
  return (g[GATE_KEY] ??= new Gate(maxConcurrent(), 100));
}

export interface RetryOptions {
  /** Total time to keep trying. */
  budgetMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Retries a store write with exponential backoff (timers, so the event loop stays free), logging every failure with
 * the report id. Gives up early on a permanent store error after a few attempts, since those need an operator.
 */
export async function retryWrite<T>(what: string, reportId: string, fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (o.budgetMs ?? 10 * 60_000);
  let delay = o.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await fn();
      if (attempt > 1) log().info({ reportId, attempt }, `${what}: stored after ${attempt} attempts`);
      return out;
    } catch (e) {
      const permanent = e instanceof StoreError && e.permanent;
      metrics().storeErrors.inc({ permanent: String(permanent) });
      const giveUp = Date.now() + delay > deadline || (permanent && attempt >= 3);
      log().error({ reportId, attempt, permanent, err: errMessage(e), giveUp }, `${what} failed`);
      if (giveUp) throw e;
    }
    await sleep(delay);
    delay = Math.min(delay * 2, o.maxDelayMs ?? 5_000);
  }
}

export interface DiagnosisJob {
  id: string;
  /** The moment the report was stored; kept whatever the runner stamps. */
  createdAt: string;
  input: DiagnosisInput;
  ctx: DiagnosisContext;
}

export type JobOutcome = 'complete' | 'interrupted' | 'deleted' | 'lost';

class Deadline extends Error {}

/**
 * Runs one diagnosis to its final write. Never throws: a failed engine or an exceeded deadline leaves the report
 * `interrupted`; a final write that keeps failing is logged and left to the watchdog ('lost').
 */
export async function executeDiagnosis(job: DiagnosisJob, store: ReportStore, o: { deadlineMs?: number; retry?: RetryOptions } = {}): Promise<JobOutcome> {
  const { id } = job;
  const t0 = performance.now();
  const deadlineMs = o.deadlineMs ?? diagnosisDeadlineMs();
  let stopped = false;
  const keep = (r: Report): Report => ({ ...r, id, createdAt: job.createdAt });
  let timer: NodeJS.Timeout | undefined;
  const finish = (status: JobOutcome) => {
    const s = (performance.now() - t0) / 1000;
    metrics().finished.inc({ status });
    metrics().duration.observe({ status }, s);
    log().info({ reportId: id, status, durationMs: Math.round(s * 1000) }, 'diagnosis finished');
    return status;
  };
  let final: Report;
  try {
    final = await Promise.race([
      runDiagnosis(job.input, job.ctx, {
        id,
        checks: ALL_CHECKS,
        collectors: ALL_COLLECTORS,
        // Progress is best effort (the runner ignores failures); after the deadline nothing more is written.
        onUpdate: (r) => (stopped ? undefined : store.update(keep(r)).then(() => undefined)),
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Deadline()), deadlineMs);
        timer.unref?.();
      }),
    ]);
  } catch (e) {
    stopped = true;
    if (e instanceof Deadline) log().warn({ reportId: id, deadlineMs }, 'diagnosis exceeded its deadline; marking it interrupted');
    else log().error({ reportId: id, err: errMessage(e) }, 'diagnosis engine failed; marking the report interrupted');
    try {
      await retryWrite('marking the report interrupted', id, () => store.markInterrupted([id]), o.retry);
      return finish('interrupted');
    } catch {
      return finish('lost');
    }
  } finally {
    clearTimeout(timer);
  }
  stopped = true;
  const report = keep(final);
  for (const c of report.checks) metrics().checks.inc({ check: c.id, status: c.status });
  try {
    const existed = await retryWrite('final report write', id, () => store.update(report), o.retry);
    return finish(existed ? 'complete' : 'deleted');
  } catch {
    // The watchdog marks it interrupted once the store takes writes again.
    return finish('lost');
  }
}

/** SQLite mode: run in this process, at most CBA_DOCTOR_MAX_CONCURRENT at once. */
export function runInProcess(job: DiagnosisJob, store: ReportStore): Promise<void> {
  metrics().started.inc({ mode: 'in-process' });
  const run = gate()
    .run(() => executeDiagnosis(job, store))
    .then(() => undefined)
    .finally(() => runningDiagnoses().delete(job.id));
  runningDiagnoses().set(job.id, run);
  return run;
}

// ---- watchdog ---------------------------------------------------------------------------------------------------

export interface SweepOptions {
  now?: Date;
  deadlineMs?: number;
  /** A running report not updated for this long, with no diagnosis in flight here, has lost its diagnosis. */
  staleMs?: number;
  /** PostgreSQL mode: other instances run reports too, so only age decides (deadline × tries + margin). */
  shared?: boolean;
}

/**
 * Marks `interrupted` the reports whose diagnosis ended without a final write, or that ran past their deadline.
 * Returns the ids it changed.
 */
export async function sweepRunning(store: ReportStore, o: SweepOptions = {}): Promise<string[]> {
  const now = (o.now ?? new Date()).getTime();
  const deadlineMs = o.deadlineMs ?? diagnosisDeadlineMs();
  const staleMs = o.staleMs ?? 60_000;
  const inFlight = runningDiagnoses();
  const running = await store.listRunning();
  const ids = running
    .filter((r) => {
      const age = now - r.createdAt.getTime();
      if (o.shared) return age > 2 * deadlineMs + 5 * 60_000; // two tries on the queue, expiry and maintenance
      if (age > deadlineMs + staleMs) return true;
      return !inFlight.has(r.id) && now - r.updatedAt.getTime() > staleMs;
    })
    .map((r) => r.id);
  if (ids.length === 0) return [];
  const changed = await store.markInterrupted(ids);
  for (const id of changed) log().warn({ reportId: id }, 'watchdog: the diagnosis ended or ran past its deadline without a final report; marked interrupted');
  return changed;
}

const WATCHDOG_KEY = Symbol.for('cba-doctor.watchdog');
/** Sweeps every 30 s; one per process. */
export function startWatchdog(store: ReportStore, o: Omit<SweepOptions, 'now'> = {}): () => void {
  const g = globalThis as { [WATCHDOG_KEY]?: NodeJS.Timeout };
  if (g[WATCHDOG_KEY]) clearInterval(g[WATCHDOG_KEY]);
  const t = setInterval(() => {
    sweepRunning(store, o).catch((e) => log().error({ err: errMessage(e) }, 'watchdog sweep failed'));
  }, 30_000);
  t.unref();
  g[WATCHDOG_KEY] = t;
  return () => clearInterval(t);
}

// ---- dispatch -----------------------------------------------------------------------------------------------------

/** The shared job queue (PostgreSQL mode, queue.ts) registers itself here at start. */
export interface SharedQueue {
  enqueue(job: DiagnosisJob): Promise<void>;
  /** Jobs waiting and running across all instances. */
  depth(): Promise<{ waiting: number; active: number }>;
  running(): boolean;
}
const QUEUE_KEY = Symbol.for('cba-doctor.shared-queue');
export function sharedQueue(): SharedQueue | undefined {
  return (globalThis as { [QUEUE_KEY]?: SharedQueue })[QUEUE_KEY];
}
export function setSharedQueue(q: SharedQueue | undefined): void {
  (globalThis as { [QUEUE_KEY]?: SharedQueue })[QUEUE_KEY] = q;
}

/**
 * Stores the `running` report (`create`) and has its diagnosis run: in this process, or through the shared queue. With
 * the queue the job is sent first and the report stored second, so an instance that dies in between leaves either
 * nothing the client was told about, or a report whose job exists: never a `running` report that no job will finish.
 * (The job waits for its report to appear, and skips when it never does.)
 */
export async function dispatch(job: DiagnosisJob, store: ReportStore, create: () => Promise<void>): Promise<void> {
  const q = sharedQueue();
  if (!q) {
    await create();
    void runInProcess(job, store);
    return;
  }
  await q.enqueue(job);
  await create();
}
