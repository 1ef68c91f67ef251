// What an API request answers on a store failure, and that it is logged once (not a stack per request).
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStoreError } from '@/lib/store/sqlite';
import { pgStoreError } from '@/lib/store/postgres';
import { setLogger } from './log';
import { storeFailure } from './store-errors';

const lines: Record<string, unknown>[] = [];
beforeAll(() => setLogger(pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) })));
afterAll(() => setLogger(undefined));

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storeFailure', () => {
  it('answers 500 for a permanent problem, naming the setting but not the path, and logs the file once', () => {
    const e = sqliteStoreError(sqliteError('SQLITE_CORRUPT', 'database disk image is malformed'), '/srv/cba/reports.db');
    expect(e.permanent).toBe(true);
    expect(e.message).toBe(
      'CBA_DOCTOR_DB=/srv/cba/reports.db: the database file is damaged (truncated or overwritten); restore it from a backup or move it away (SQLITE_CORRUPT). This is permanent until the file or its directory is fixed.',
    );
    const before = lines.length;
    for (let i = 0; i < 5; i++) {
      const f = storeFailure(e);
      expect(f).toMatchObject({ status: 500, reason: 'store-permanent' });
      expect(f!.message).toContain('CBA_DOCTOR_DB');
      expect(f!.message).toContain('permanent');
      expect(f!.message).not.toContain('/srv/cba');
    }
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, permanent: true, msg: e.message });
    expect(JSON.stringify(logged[0])).not.toContain('stack');
  });

  it('answers 503 for a lock held elsewhere, and nothing for errors that are not the store', () => {
    expect(storeFailure(sqliteStoreError(sqliteError('SQLITE_BUSY', 'database is locked'), '/x.db'))).toMatchObject({ status: 503, reason: 'store-busy' });
    expect(storeFailure(new Error('something else'))).toBeUndefined();
  });

  it('names the database URL without its password for PostgreSQL', () => {
    const e = pgStoreError(Object.assign(new Error('permission denied for table cba_reports'), { code: '42501' }), 'postgres://cba:pw@db:5432/cba');
    expect(e.message).toBe('CBA_DOCTOR_DATABASE_URL=postgres://cba:***@db:5432/cba: permission denied for table cba_reports (42501). This is permanent until the database is fixed.');
    expect(storeFailure(e)?.message).toContain('CBA_DOCTOR_DATABASE_URL');
  });
});
