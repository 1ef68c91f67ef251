// Each store fault at start, through the real store-check entry point `npm start` runs (dist/store-check.mjs, bundled by
// the global setup): exit status 1 and exactly one line naming CBA_DOCTOR_DB and the problem. The server itself
// (instrumentation.ts) is exercised with the same faults in e2e/store-faults.e2e.test.ts.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FAULTS, unprivilegedUser } from '@/test/store-faults';

const root = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-faults-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store check at start', () => {
  for (const f of STORE_FAULTS) {
    it(`refuses ${f.name} with one line naming CBA_DOCTOR_DB`, async () => {
      const db = await f.make(dir);
      const user = f.unprivileged ? unprivilegedUser() : undefined;
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'store-check.mjs')], {
        cwd: root,
        env: { ...process.env, CBA_DOCTOR_DB: db, CBA_DOCTOR_DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
        ...(user ?? {}),
      });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`cba-doctor: cannot start: CBA_DOCTOR_DB=${db}: `);
      expect(lines[0]).toMatch(f.expect);
      expect(r.stdout).toBe('');
    });
  }

  it('accepts a good path and creates it', () => {
    const db = path.join(dir, 'good', 'sub', 'reports.db');
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'store-check.mjs')], { cwd: root, env: { ...process.env, CBA_DOCTOR_DB: db, CBA_DOCTOR_DATABASE_URL: '' }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
