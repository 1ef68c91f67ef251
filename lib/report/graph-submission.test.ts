// The live Graph lookup through the JSON API: refused with 403 and a reason unless the operator configured Graph
// and allowed it for anonymous portal users; nothing is stored for a refused request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { liveLookupForPortal } from '@/lib/graph/config';
import { createReport } from './service';
import { SqliteReportStore } from './store';

let dir: string;
let store: SqliteReportStore;
let pki: Pki;
const saved = { ...process.env };
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cbad-graph-api-'));
  store = new SqliteReportStore(path.join(dir, 'r.db'));
  pki = await makePki();
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

function rows(): number {
  const db = new Database(path.join(dir, 'r.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
function form(fields: Record<string, string>) {
  const f = new FormData();
  f.append('certificates', new Blob([Buffer.from(pki.user.der)]), 'alice.cer');
  f.append('upn', 'alice@contoso.com');
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}
const CONFIGURED = { CBA_DOCTOR_GRAPH_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', CBA_DOCTOR_GRAPH_CLIENT_ID: '0f0e0d0c-0b0a-4908-9706-050403020100', CBA_DOCTOR_GRAPH_CLIENT_SECRET: 'x' };

describe('graph=1 in a portal submission', () => {
  it('is refused with 403 when Graph is not configured, and when it is not allowed for anonymous users', async () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('CBA_DOCTOR_GRAPH_')) delete process.env[k];
    const before = rows();
    const r1 = await createReport(form({ graph: '1' }), 'graph-test-1', store);
    expect(r1).toMatchObject({ ok: false, status: 403, error: { field: 'graph', reason: 'forbidden' } });
    expect(!r1.ok && r1.error.error).toContain('not configured');
    Object.assign(process.env, CONFIGURED);
    expect(liveLookupForPortal()).toMatchObject({ allowed: false });
    const r2 = await createReport(form({ graph: '1' }), 'graph-test-2', store);
    expect(!r2.ok && r2.status).toBe(403);
    expect(!r2.ok && r2.error.error).toContain('CBA_DOCTOR_GRAPH_FOR_ANONYMOUS=1');
    expect(rows()).toBe(before);
  });

  it('is offered once the operator allows it', () => {
    Object.assign(process.env, CONFIGURED, { CBA_DOCTOR_GRAPH_FOR_ANONYMOUS: '1' });
    expect(liveLookupForPortal()).toEqual({ allowed: true });
  });

  it('refuses a correlation ID that is not a GUID, or one without graph=1, with 400', async () => {
    const bad = await createReport(form({ graph: '1', correlationId: "x' or true" }), 'graph-test-3', store);
    expect(bad).toMatchObject({ ok: false, status: 400, error: { field: 'correlationId' } });
    const alone = await createReport(form({ correlationId: 'd79f5bee-5860-4832-928f-3133e22ae912' }), 'graph-test-4', store);
    expect(alone).toMatchObject({ ok: false, status: 400, error: { field: 'correlationId' } });
  });
});
