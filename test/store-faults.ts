// The store faults of issue 16 item 5, made for real on disk: each returns the CBA_DOCTOR_DB value to try and whether
// the process must run as an unprivileged user (root ignores file permissions).
import { chmodSync, mkdirSync, openSync, closeSync, ftruncateSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SqliteReportStore } from '@/lib/store/sqlite';
import { summarize } from '@/lib/report/schema';

export interface StoreFault {
  name: string;
  /** Creates the fault under `dir` and returns the CBA_DOCTOR_DB value. */
  make(dir: string): Promise<string>;
  /** Only meaningful for a user that file permissions apply to. */
  unprivileged?: boolean;
  /** What the one line must say. */
  expect: RegExp;
}

async function realDb(file: string, n: number) {
  const s = new SqliteReportStore(file);
  const now = new Date().toISOString();
  for (let i = 0; i < n; i++)
    await s.create(
      { schemaVersion: 1, id: `report${String(i).padStart(16, '0')}`, createdAt: now, updatedAt: now, status: 'complete', target: 'unknown', input: { certificates: [], pasted: [], upn: `${'x'.repeat(2000)}@contoso.com` }, summary: summarize([]), checks: [] },
      't',
    );
  await s.close();
}

export const STORE_FAULTS: StoreFault[] = [
  { name: 'a path under /proc', make: async () => '/proc/cba-doctor/reports.db', expect: /\/proc is a virtual file system/ },
  {
    name: 'a path through a file',
    make: async (dir) => {
      writeFileSync(path.join(dir, 'plain-file'), 'x');
      return path.join(dir, 'plain-file', 'reports.db');
    },
    expect: /plain-file is a file, not a directory/,
  },
  {
    name: 'a directory as the database',
    make: async (dir) => {
      mkdirSync(path.join(dir, 'a-directory'));
      return path.join(dir, 'a-directory');
    },
    expect: /it is a directory; name a file inside it/,
  },
  {
    name: 'a corrupt file',
    make: async (dir) => {
      const f = path.join(dir, 'corrupt.db');
      writeFileSync(f, randomBytes(64 * 1024));
      return f;
    },
    expect: /not a SQLite database .*permanent/,
  },
  {
    name: 'a truncated file',
    make: async (dir) => {
      const f = path.join(dir, 'truncated.db');
      await realDb(f, 40);
      const fd = openSync(f, 'r+');
      ftruncateSync(fd, Math.floor(statSync(f).size / 2));
      closeSync(fd);
      return f;
    },
    expect: /damaged .*permanent/,
  },
  {
    name: 'a read-only file',
    make: async (dir) => {
      const f = path.join(dir, 'readonly', 'reports.db');
      await realDb(f, 1);
      chmodSync(f, 0o444);
      chmodSync(path.dirname(f), 0o777);
      return f;
    },
    unprivileged: true,
    expect: /cannot be written.*permanent/,
  },
  {
    name: 'an unwritable directory',
    make: async (dir) => {
      const d = path.join(dir, 'locked');
      mkdirSync(d);
      chmodSync(d, 0o555);
      return path.join(d, 'reports.db');
    },
    unprivileged: true,
    expect: /(cannot be opened|cannot be written).*permanent/,
  },
];

/** uid/gid of `nobody` when running as root, so file permissions apply to the child. */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}
