// Issue 16 item 5 / issue 10 item 5: the real server, started once per store fault, exits with one line naming
// CBA_DOCTOR_DB and the problem, instead of "Ready" followed by 500s (or a spinning CPU for a path under /proc).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FAULTS, unprivilegedUser } from '@/test/store-faults';
import { freePort } from './server';

const root = path.resolve(import.meta.dirname, '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-faults-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command to its exit (killed after 60 s: a server that keeps running fails the test). */
function runToExit(args: string[], env: Record<string, string>, user?: { uid: number; gid: number }): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', CBA_DOCTOR_DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

describe('the server refuses to start on a broken store', () => {
  for (const f of STORE_FAULTS) {
    it(`next start: ${f.name}`, async () => {
      const db = await f.make(dir);
      const port = await freePort();
      const r = await runToExit([next, 'start', '-p', String(port), '-H', '127.0.0.1'], { CBA_DOCTOR_DB: db }, f.unprivileged ? unprivilegedUser() : undefined);
      expect(r.code).toBe(1);
      const lines = r.err.trim().split('\n').filter((l) => l.includes('cba-doctor'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^cba-doctor: cannot start: CBA_DOCTOR_DB=${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      expect(lines[0]).toMatch(f.expect);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('npm start (scripts/start.mjs) stops before the server with the one line', async () => {
    const r = await runToExit([path.join(root, 'scripts', 'start.mjs')], { CBA_DOCTOR_DB: '/proc/cba-doctor/reports.db', PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^cba-doctor: cannot start: CBA_DOCTOR_DB=\/proc\/cba-doctor\/reports\.db: \/proc is a virtual file system/)]);
  });

  it('next start with an unreachable CBA_DOCTOR_DATABASE_URL names it without the password', async () => {
    const port = await freePort(); // nothing listens there
    const r = await runToExit([next, 'start', '-p', String(await freePort()), '-H', '127.0.0.1'], { CBA_DOCTOR_DATABASE_URL: `postgres://cba:s3cret@127.0.0.1:${port}/cba` });
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n').filter((l) => l.includes('cba-doctor'));
    expect(lines).toEqual([`cba-doctor: cannot start: CBA_DOCTOR_DATABASE_URL=postgres://cba:***@127.0.0.1:${port}/cba: connection refused; is PostgreSQL running and listening there?`]);
    expect(r.err + r.out).not.toContain('s3cret');
  });
});

