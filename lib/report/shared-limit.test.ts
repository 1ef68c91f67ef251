// With PostgreSQL, the per-client budget holds across instances: two store handles on one database stand for two
// portal instances behind a load balancer, and a client spreading refused submissions over both still runs out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '@/test/pg/server';
import { PostgresReportStore } from '@/lib/store';
import { createReport, REFUSAL_FACTOR } from './service';

// Read when the limiters are first used: 2 reports, 20 refusals per client per 10 minutes.
process.env.CBA_DOCTOR_RATE_LIMIT = '2';

let pgServer: PgServer;
let a: PostgresReportStore;
let b: PostgresReportStore;
beforeAll(async () => {
  pgServer = await startPostgres();
  const url = await pgServer.createDatabase('shared_limit');
  [a, b] = await Promise.all([PostgresReportStore.open(url), PostgresReportStore.open(url)]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await pgServer?.stop();
});

/** A submission refused with 400: no certificate at all. */
function bad(): FormData {
  const f = new FormData();
  f.append('upn', 'alice@contoso.com');
  return f;
}

describe('rate limit in PostgreSQL mode', () => {
  // What another instance (another process) recorded is only in the database: spent here through b's store methods,
  // which this process's in-memory limiter never sees.
  const spendElsewhere = async (key: string, n: number) => {
    for (let i = 0; i < n; i++) expect(await b.takeHit(key, { limit: 1_000, windowMs: 10 * 60_000, now: Date.now(), count: true })).toEqual({ ok: true });
  };

  it('refuses a client whose refusal budget another instance used up, and no other client', async () => {
    await spendElsewhere('refusal:198.51.100.20', 2 * REFUSAL_FACTOR);
    expect(await createReport(bad(), '198.51.100.20', a)).toMatchObject({ ok: false, status: 429, error: { reason: 'rate-limit', error: expect.stringContaining('refused submissions') } });
    expect(await createReport(bad(), '198.51.100.21', a)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a client whose report budget another instance used up', async () => {
    await spendElsewhere('report:198.51.100.30', 2);
    expect(await createReport(bad(), '198.51.100.30', a)).toMatchObject({ ok: false, status: 429, error: { error: expect.stringContaining('Too many reports') } });
  });

  it('counts refusals on every instance together', async () => {
    for (let i = 0; i < 2 * REFUSAL_FACTOR; i++) expect(await createReport(bad(), '198.51.100.40', i % 2 ? a : b)).toMatchObject({ ok: false, status: 400 });
    for (const s of [a, b]) expect(await createReport(bad(), '198.51.100.40', s)).toMatchObject({ ok: false, status: 429 });
  });
});
