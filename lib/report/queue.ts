// The shared job queue for PostgreSQL mode (pg-boss; docs/DESIGN.md says why): the API enqueues a diagnosis and any
// instance runs it, at most CBA_DOCTOR_MAX_CONCURRENT per instance. A job whose instance died stays `active` until
// its expiry (the diagnosis deadline plus a margin); pg-boss's maintenance, run by whichever instance holds its lock,
// then retries it once on any instance. A job that fails twice leaves its report to the watchdog (interrupted).
import pg from 'pg';
import PgBoss from 'pg-boss';
import { log, errMessage } from '@/lib/ops/log';
import { metrics } from '@/lib/ops/metrics';
import type { PostgresReportStore } from '@/lib/store/postgres';
import type { ReportStore } from '@/lib/store/types';
import type { DiagnosisContext, DiagnosisInput } from './artifacts';
import { executeDiagnosis, runningDiagnoses, setSharedQueue, type DiagnosisJob } from './jobs';

export const QUEUE = 'cba-doctor-diagnosis';
const SCHEMA = 'cba_doctor_queue';

/** The job as stored in PostgreSQL: JSON, bytes as base64. Deleted shortly after it finishes (it holds the inputs). */
interface JobData {
  id: string;
  createdAt: string;
  ctx: Omit<DiagnosisContext, 'now'> & { now: string };
  input: Omit<DiagnosisInput, 'files' | 'crlFiles'> & { files: { name: string; b64: string }[]; crlFiles: { name: string; b64: string }[] };
}

export function encodeJob(j: DiagnosisJob): JobData {
  const enc = (fs: { name: string; bytes: Uint8Array }[]) => fs.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  return { id: j.id, createdAt: j.createdAt, ctx: { ...j.ctx, now: j.ctx.now.toISOString() }, input: { ...j.input, files: enc(j.input.files), crlFiles: enc(j.input.crlFiles) } };
}

export function decodeJob(d: JobData): DiagnosisJob {
  const dec = (fs: { name: string; b64: string }[]) => fs.map((f) => ({ name: f.name, bytes: new Uint8Array(Buffer.from(f.b64, 'base64')) }));
  return { id: d.id, createdAt: d.createdAt, ctx: { ...d.ctx, now: new Date(d.ctx.now) }, input: { ...d.input, files: dec(d.input.files), crlFiles: dec(d.input.crlFiles) } };
}

export interface QueueOptions {
  concurrency: number;
  deadlineMs: number;
}

export interface RunningQueue {
  boss: PgBoss;
  /**
   * For a shutdown (SIGTERM): take no more jobs, and hand the jobs running here back to the queue at once (pg-boss
   * `fail`, which uses their one retry), so another instance restarts them now instead of after their expiry.
   */
  release(): Promise<number>;
  stop(): Promise<void>;
}

/** Advisory lock id serialising the queue's setup across instances (the store's migration lock is another). */
const LOCK_QUEUE_SETUP = 0x63626164;

/** Starts pg-boss on the store's database (its own schema; its migrations take their own advisory lock). */
export async function startSharedQueue(store: ReportStore, o: QueueOptions): Promise<RunningQueue> {
  const url = (store as PostgresReportStore).url;
  if (!url) throw new Error('the shared queue needs the PostgreSQL store');
  const deadlineS = Math.ceil(o.deadlineMs / 1000);
  const boss = new PgBoss({
    connectionString: url,
    schema: SCHEMA,
    application_name: 'cba-doctor-queue',
    max: o.concurrency + 4,
    // Expired jobs are found by maintenance: often enough that a dead instance's jobs restart soon after expiry.
    maintenanceIntervalSeconds: Math.max(2, Math.min(30, Math.floor(deadlineS / 4))),
    monitorStateIntervalSeconds: 10,
    // Jobs carry the uploaded certificates and pastes: keep finished ones for a minute only.
    archiveCompletedAfterSeconds: 60,
    archiveFailedAfterSeconds: 60,
    deleteAfterSeconds: 60,
  });
  boss.on('error', (e) => log().error({ err: errMessage(e) }, 'job queue error'));
  boss.on('monitor-states', (s) => {
    const q = s.queues?.[QUEUE];
    if (!q) return;
    metrics().queueDepth.set({ state: 'waiting' }, q.created + q.retry);
    metrics().queueDepth.set({ state: 'active' }, q.active);
  });
  // pg-boss installs its schema and createQueue makes tables: two instances doing that at the same moment deadlock
  // ("deadlock detected" seen when both started together). One instance at a time, under a session advisory lock.
  const lock = new pg.Client({ connectionString: url, application_name: 'cba-doctor-queue-setup' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_QUEUE_SETUP]);
    await boss.start();
    // createQueue is an upsert: every instance may run it.
    await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 1, retryDelay: 1, expireInSeconds: deadlineS + 15 });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [LOCK_QUEUE_SETUP]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
  let stopped = false;
  const active = new Map<string, string>(); // job id → report id
  const handler = async ([job]: PgBoss.Job<JobData>[]) => {
    const j = decodeJob(job.data);
    // The job is sent before its report is stored (jobs.ts dispatch): give the report a moment to appear. A retried job
    // whose report was deleted, finished, or marked interrupted meanwhile has nothing left to do.
    let current = await store.get(j.id);
    for (let i = 0; i < 50 && !current; i++) {
      await new Promise((r) => setTimeout(r, 200));
      current = await store.get(j.id);
    }
    if (current?.status !== 'running') {
      log().info({ reportId: j.id, jobId: job.id, status: current?.status ?? 'deleted' }, 'queued diagnosis skipped: its report is no longer running');
      return;
    }
    metrics().started.inc({ mode: 'queue' });
    log().info({ reportId: j.id, jobId: job.id }, 'diagnosis taken from the queue');
    const run = executeDiagnosis(j, store, { deadlineMs: o.deadlineMs });
    runningDiagnoses().set(j.id, run.then(() => undefined));
    active.set(job.id, j.id);
    try {
      const outcome = await run;
      // Only a final write that never got through is worth a second try (on any instance).
      if (outcome === 'lost') throw new Error(`report ${j.id}: the final write failed`);
    } finally {
      active.delete(job.id);
      runningDiagnoses().delete(j.id);
    }
  };
  // pg-boss 10 runs one job at a time per worker: one worker per slot gives the per-instance bound.
  for (let i = 0; i < o.concurrency; i++) await boss.work<JobData>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, handler);
  setSharedQueue({
    enqueue: async (j) => {
      const id = await boss.send(QUEUE, encodeJob(j) as unknown as object);
      if (!id) throw new Error(`report ${j.id}: the queue refused the job`);
      log().info({ reportId: j.id, jobId: id }, 'diagnosis queued');
    },
    depth: async () => {
      const { rows } = await boss.getDb().executeSql(`SELECT state, count(*)::int AS n FROM ${SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry', 'active') GROUP BY state`, [QUEUE]);
      const n = (s: string) => rows.find((r: { state: string; n: number }) => r.state === s)?.n ?? 0;
      return { waiting: n('created') + n('retry'), active: n('active') };
    },
    running: () => !stopped,
  });
  const release = async () => {
    stopped = true;
    await boss.offWork(QUEUE);
    const ids = [...active.keys()];
    if (ids.length) {
      for (const [jobId, reportId] of active) {
        await boss.fail(QUEUE, jobId, { message: 'the instance running it is shutting down' });
        log().warn({ reportId, jobId }, 'shutting down: diagnosis handed back to the queue');
      }
    }
    return ids.length;
  };
  return {
    boss,
    release,
    stop: async () => {
      stopped = true;
      setSharedQueue(undefined);
      await boss.stop({ graceful: false, wait: true, timeout: 5000 });
    },
  };
}
