import { describe, expect, it } from 'vitest';
import type { CheckDef } from '@/lib/checks/types';
import type { Collector } from './collector';
import { runDiagnosis } from './runner';
import { reportSchema, type Report } from './schema';

const ctx = { now: new Date('2026-01-01T00:00:00Z'), offline: true, allowPrivate: false, timeoutMs: 1000 };
const input = { files: [], crlFiles: [], pasted: [] };
const base = { description: 'a check used to exercise the runner itself', citation: 'test' };

describe('runDiagnosis', () => {
  it('turns a crashing check into that check’s error and keeps running the others', async () => {
    const checks: CheckDef[] = [
      { ...base, id: 'input.a', category: 'input', title: 'A', needs: [], run: () => { throw new Error('boom'); } },
      { ...base, id: 'input.b', category: 'input', title: 'B', needs: [], run: () => ({ status: 'pass', summary: 'fine' }) },
    ];
    const r = await runDiagnosis(input, ctx, { checks, collectors: [] });
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([['input.a', 'error'], ['input.b', 'pass']]);
    expect(r.checks[0].summary).toContain('boom');
    expect(r.summary.verdict).toBe('pass');
    expect(reportSchema.safeParse(r).success).toBe(true);
  });

  it('marks checks whose collector failed as error, and skips checks that do not apply', async () => {
    const collectors: Collector[] = [
      { name: 'broken', needs: [], provides: ['files', 'certs'], run: async () => { throw new Error('disk on fire'); } },
      { name: 'users', needs: ['certs'], provides: ['user'], run: async () => ({}) },
    ];
    const checks: CheckDef[] = [
      { ...base, id: 'input.files', category: 'input', title: 'F', needs: ['files'], run: () => ({ status: 'pass', summary: '' }) },
      { ...base, id: 'cert.user', category: 'cert', title: 'U', needs: ['user'], applies: (a) => (a.user ? true : 'no user certificate'), run: () => ({ status: 'fail', summary: 'x', remediation: [{ text: 'y' }] }) },
    ];
    const r = await runDiagnosis(input, ctx, { checks, collectors });
    expect(r.checks[0].status).toBe('error');
    expect(r.checks[0].summary).toContain('disk on fire');
    expect(r.checks[1]).toMatchObject({ status: 'skip', summary: 'no user certificate' });
  });

  it('publishes progress as collectors finish and runs independent collectors concurrently', async () => {
    const order: string[] = [];
    const slow = (name: string, ms: number, key: 'files' | 'paste'): Collector => ({
      name, needs: [], provides: [key],
      run: () => new Promise((res) => setTimeout(() => { order.push(name); res({ [key]: [] } as never); }, ms)),
    });
    const checks: CheckDef[] = [
      { ...base, id: 'input.files', category: 'input', title: 'F', needs: ['files'], run: () => ({ status: 'warn', summary: 'w', remediation: [{ text: 'r' }] }) },
      { ...base, id: 'config.x', category: 'config', title: 'P', needs: ['paste'], run: () => ({ status: 'pass', summary: '' }) },
    ];
    const updates: Report[] = [];
    const r = await runDiagnosis(input, ctx, { checks, collectors: [slow('slow', 150, 'files'), slow('fast', 10, 'paste')], onUpdate: (u) => void updates.push(u) });
    // The slow collector is listed first: the fast one can only finish first if both ran at once.
    expect(order).toEqual(['fast', 'slow']);
    expect(updates[0].status).toBe('running');
    expect(updates[0].checks.map((c) => c.id)).toEqual(['config.x']);
    expect(r.status).toBe('complete');
    expect(r.checks.map((c) => c.id)).toEqual(['input.files', 'config.x']);
    expect(r.summary).toEqual({ verdict: 'warn', counts: { pass: 1, info: 0, warn: 1, fail: 0, skip: 0, error: 0 }, rootCauses: ['input.files'], notTested: 0 });
    expect(r.checks[0].durationMs).toBeGreaterThanOrEqual(100);
  });
});
