// What a request answers when the report store fails, and the one log line per distinct problem (not a stack trace
// per request). The log names the file or URL; the answer names only the setting, since report links are public.
import { StoreError } from '@/lib/store/types';
import { log } from './log';
import { metrics } from './metrics';

const LOGGED_KEY = Symbol.for('cba-doctor.store-errors-logged');
const REPEAT_MS = 60_000;

export interface StoreFailure {
  status: 500 | 503;
  reason: 'store-permanent' | 'store-busy';
  message: string;
}

export function storeFailure(e: unknown): StoreFailure | undefined {
  if (!(e instanceof StoreError)) return undefined;
  const g = globalThis as { [LOGGED_KEY]?: Map<string, number> };
  const seen = (g[LOGGED_KEY] ??= new Map());
  const now = Date.now();
  if ((seen.get(e.message) ?? 0) + REPEAT_MS < now) {
    seen.set(e.message, now);
    log().error({ permanent: e.permanent, code: e.code }, e.message);
  }
  metrics().storeErrors.inc({ permanent: String(e.permanent) });
  const setting = /^CBA_DOCTOR_DATABASE_URL=/.test(e.message) ? 'CBA_DOCTOR_DATABASE_URL' : 'CBA_DOCTOR_DB';
  return e.permanent
    ? { status: 500, reason: 'store-permanent', message: `The report store (${setting}) has a permanent problem that retrying will not fix; the operator must repair it (the server log names the file and the cause).` }
    : { status: 503, reason: 'store-busy', message: 'The report store is busy for a moment; try again in a few seconds.' };
}
