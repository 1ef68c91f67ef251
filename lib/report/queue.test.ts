// The PostgreSQL job queue against a real PostgreSQL (test/pg/server.ts): the per-instance concurrency bound, and
// recovery of a job whose instance died while running it (retried on a live instance, the report completes).
import type http from 'node:http';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresReportStore } from '@/lib/store/postgres';
import { makeCrl, makePki, PKI_URLS, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Loopback } from '@/test/net/loopback';
import { startPostgres, type PgServer } from '@/test/pg/server';
import { dispatch, type DiagnosisJob } from './jobs';
import { encodeJob, QUEUE, startSharedQueue, type RunningQueue } from './queue';
import { reportSchema, summarize, type Report } from './schema';

let pgServer: PgServer;
let crlServer: Loopback;
let pki: Pki;
let crlDer: Uint8Array;
const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {};

beforeAll(async () => {
  pgServer = await startPostgres();
  crlServer = await startLoopback(routes);
  pki = await makePki({ baseUrl: `http://127.0.0.1:${crlServer.port}` });
  crlDer = (await makeCrl({ issuer: pki.ca })).der;
}, 120_000);
afterAll(async () => {
  await crlServer?.close();
  await pgServer?.stop();
});

function running(id: string): Report {
  const now = new Date().toISOString();
  return reportSchema.parse({ schemaVersion: 1, id, createdAt: now, updatedAt: now, status: 'running', target: 'unknown', input: { certificates: [], pasted: [] }, summary: summarize([]), checks: [] });
}

function job(id: string, createdAt: string): DiagnosisJob {
  return {
    id,
    createdAt,
    ctx: { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 10_000 },
    input: { files: [{ name: 'user.cer', bytes: pki.user.der }, { name: 'issuing.cer', bytes: pki.ca.der }], crlFiles: [], pasted: [] },
  };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const crlPath = () => new URL(PKI_URLS().caCrl).pathname;

describe('shared job queue (pg-boss on PostgreSQL)', () => {
  it('runs at most CBA_DOCTOR_MAX_CONCURRENT diagnoses per instance; the others wait in the queue and all complete', async () => {
    const store = await PostgresReportStore.open(await pgServer.createDatabase('queue_bound'));
    const q: RunningQueue = await startSharedQueue(store, { concurrency: 2, deadlineMs: 60_000 });
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let inFlight = 0;
      routes[crlPath()] = (req, res) => {
        inFlight++;
        void gate.then(() => serve(crlDer)(req, res));
      };
      const ids = Array.from({ length: 5 }, (_, i) => `QueueBoundReport00000${i}`);
      for (const id of ids) {
        const r = running(id);
        await dispatch(job(id, r.createdAt), store, () => store.create(r, 't'));
      }
      await until(() => inFlight === 2, 'two diagnoses to be running');
      // Three more polling rounds: no third diagnosis starts while two hold the slots.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(inFlight).toBe(2);
      const { rows } = await store.pool.query("SELECT state, count(*)::int AS n FROM cba_doctor_queue.job WHERE name = $1 GROUP BY state", [QUEUE]);
      expect(Object.fromEntries(rows.map((r) => [r.state, r.n]))).toEqual({ active: 2, created: 3 });
      release();
      await until(async () => (await store.listRunning()).length === 0, 'every report to finish');
      for (const id of ids) expect((await store.get(id))?.status).toBe('complete');
      expect(inFlight).toBe(5);
    } finally {
      delete routes[crlPath()];
      await q.stop();
      await store.close();
    }
  });

  it('a job taken by an instance that died is retried on a live instance after its expiry, and its report completes', async () => {
    const url = await pgServer.createDatabase('queue_recovery');
    const store = await PostgresReportStore.open(url);
    routes[crlPath()] = serve(crlDer);
    // The dead instance: a pg-boss client that takes the job (state active) and then disappears without finishing.
    const q1 = await startSharedQueue(store, { concurrency: 1, deadlineMs: 5_000 });
    await q1.stop(); // its workers are gone; the queue and its settings stay in the database
    const id = 'RecoveredAfterCrash0001';
    const r = running(id);
    await store.create(r, 't');
    const dead = new PgBoss({ connectionString: url, schema: 'cba_doctor_queue', supervise: false, migrate: false, schedule: false });
    await dead.start();
    await dead.send(QUEUE, encodeJob(job(id, r.createdAt)) as unknown as object);
    const [taken] = await dead.fetch(QUEUE);
    expect(taken).toBeDefined();
    await dead.stop({ graceful: false, wait: true });

    // A live instance: it cannot take the active job until maintenance expires it (deadline 5 s + 15 s margin).
    const q2 = await startSharedQueue(store, { concurrency: 1, deadlineMs: 5_000 });
    try {
      await until(async () => (await store.get(id))?.status !== 'running', 'the recovered report to finish', 90_000);
      expect((await store.get(id))?.status).toBe('complete');
      const { rows } = await store.pool.query(
        'SELECT retry_count FROM cba_doctor_queue.job WHERE id = $1 UNION ALL SELECT retry_count FROM cba_doctor_queue.archive WHERE id = $1',
        [taken.id],
      );
      expect(rows[0]?.retry_count).toBe(1);
    } finally {
      delete routes[crlPath()];
      await q2.stop();
      await store.close();
    }
  });

  it('an instance shutting down hands its running job back: another instance restarts it at once, before any expiry', async () => {
    const url = await pgServer.createDatabase('queue_release');
    const store = await PostgresReportStore.open(url);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let requests = 0;
    routes[crlPath()] = (req, res) => {
      requests++;
      // The first instance's download hangs; the restarted diagnosis gets its answer.
      if (requests === 1) void gate.then(() => res.destroy());
      else serve(crlDer)(req, res);
    };
    // Deadline 10 minutes: expiry cannot be what restarts the job within this test's bounds.
    const leaving = await startSharedQueue(store, { concurrency: 1, deadlineMs: 600_000 });
    const id = 'HandedBackOnShutdown001';
    const r = running(id);
    await dispatch(job(id, r.createdAt), store, () => store.create(r, 't'));
    await until(() => requests === 1, 'the first instance to start the diagnosis');
    expect(await leaving.release()).toBe(1);
    const staying = await startSharedQueue(store, { concurrency: 1, deadlineMs: 600_000 });
    try {
      await until(async () => (await store.get(id))?.status === 'complete', 'the restarted diagnosis to complete', 60_000);
      expect(requests).toBe(2);
      const { rows } = await store.pool.query("SELECT retry_count FROM cba_doctor_queue.job WHERE name = $1 UNION ALL SELECT retry_count FROM cba_doctor_queue.archive WHERE name = $1", [QUEUE]);
      expect(rows.map((x) => x.retry_count)).toEqual([1]);
    } finally {
      release();
      delete routes[crlPath()];
      await staying.stop();
      await leaving.stop();
      await store.close();
    }
  });
});
