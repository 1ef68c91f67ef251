// Operations endpoints on a real portal: /api/health, /api/ready, /metrics (behind CBA_DOCTOR_METRICS_TOKEN) and the
// JSON request logs (request id, route, report id; never the deletion token or certificate contents).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './helpers';
import { startPortal, type Portal } from './server';

let dir: string;
let portal: Portal;
let world: World;
const TOKEN = 'metrics-token-for-the-test-0123456789';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-ops-'));
  world = await makeWorld();
  portal = await startPortal({ CBA_DOCTOR_DB: path.join(dir, 'reports.db'), CBA_DOCTOR_ALLOW_PRIVATE: '1', CBA_DOCTOR_RATE_LIMIT: '0', CBA_DOCTOR_METRICS_TOKEN: TOKEN, CBA_DOCTOR_LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await portal?.stop();
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function diagnose(): Promise<{ id: string; deleteToken: string; requestId: string | null }> {
  const f = new FormData();
  f.append('certificates', new File([readFileSync(world.files.userDer)], 'alice.cer'));
  f.append('certificates', new File([readFileSync(world.files.issuingDer)], 'contoso-issuing.cer'));
  const r = await fetch(`${portal.baseURL}/api/reports`, { method: 'POST', body: f, headers: { 'x-request-id': 'req-from-proxy-42' } });
  expect(r.status).toBe(202);
  const body = (await r.json()) as { id: string; deleteToken: string };
  for (let i = 0; i < 200; i++) {
    const rep = (await (await fetch(`${portal.baseURL}/api/reports/${body.id}`)).json()) as { status: string };
    if (rep.status !== 'running') break;
    await new Promise((res) => setTimeout(res, 250));
  }
  return { ...body, requestId: r.headers.get('x-request-id') };
}

describe('operations endpoints', () => {
  it('health and readiness answer for a load balancer', async () => {
    const h = await fetch(`${portal.baseURL}/api/health`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ status: 'ok' });
    const r = await fetch(`${portal.baseURL}/api/ready`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ready: true, store: 'ok', queue: 'in-process' });
  });

  it('metrics need the token, then count the diagnosis, its duration, its check outcomes and the queue', async () => {
    const { id } = await diagnose();
    expect((await fetch(`${portal.baseURL}/metrics`)).status).toBe(401);
    expect((await fetch(`${portal.baseURL}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const m = await fetch(`${portal.baseURL}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await m.text();
    expect(text).toMatch(/^cba_doctor_diagnoses_started_total\{mode="in-process"\} 1$/m);
    expect(text).toMatch(/^cba_doctor_diagnoses_finished_total\{status="complete"\} 1$/m);
    expect(text).toMatch(/^cba_doctor_diagnosis_duration_seconds_count\{status="complete"\} 1$/m);
    expect(text).toMatch(/^cba_doctor_check_outcomes_total\{check="input\.files",status="pass"\} 1$/m);
    expect(text).toMatch(/^cba_doctor_queue_depth\{state="waiting"\} 0$/m);
    expect(text).toMatch(/^cba_doctor_api_requests_total\{route="\/api\/reports",status="202"\} 1$/m);
    const report = (await (await fetch(`${portal.baseURL}/api/reports/${id}`)).json()) as { checks: { id: string; status: string }[] };
    // Every check of the report is counted under its id and status.
    for (const c of report.checks) expect(text).toContain(`cba_doctor_check_outcomes_total{check="${c.id}",status="${c.status}"}`);
  });

  it('logs JSON lines with the request id, route and report id, and never the token or the certificate', async () => {
    const { id, deleteToken, requestId } = await diagnose();
    expect(requestId).toBe('req-from-proxy-42');
    await fetch(`${portal.baseURL}/api/reports/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${deleteToken}` } });
    const lines = portal
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const post = lines.find((l) => l.msg === 'request' && l.route === '/api/reports' && l.reportId === id);
    expect(post).toMatchObject({ requestId: 'req-from-proxy-42', method: 'POST', status: 202 });
    expect(typeof post!.durationMs).toBe('number');
    expect(lines.some((l) => l.msg === 'diagnosis finished' && l.reportId === id && l.status === 'complete')).toBe(true);
    expect(lines.some((l) => l.msg === 'request' && l.method === 'DELETE' && l.reportId === id && l.status === 204)).toBe(true);
    const all = portal.log();
    expect(all).not.toContain(deleteToken);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(Buffer.from(world.pki.user.der).toString('base64').slice(0, 40));
    expect(all).not.toContain('Alice Smith'); // the certificate subject
  });
});
