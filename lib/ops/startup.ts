// What the portal does once at start (instrumentation.ts): open and check the store, start the watchdog and, with
// PostgreSQL, the shared job queue. A store that cannot work is a configuration error: the caller exits with the one
// line this returns instead of serving pages that fail.
import { getOpenedStore } from '@/lib/store/open';
import { diagnosisDeadlineMs } from '@/lib/store/config';
import { StoreError } from '@/lib/store/types';
import { maxConcurrent, startWatchdog } from '@/lib/report/jobs';
import { log, errMessage } from './log';
import { metrics } from './metrics';

export async function startPortal(): Promise<{ ok: true } | { ok: false; line: string }> {
  let opened;
  try {
    opened = await getOpenedStore();
  } catch (e) {
    const msg = e instanceof StoreError ? e.message : `the report store could not be opened: ${errMessage(e)}`;
    return { ok: false, line: `cba-doctor: cannot start: ${msg}` };
  }
  const deadlineMs = diagnosisDeadlineMs();
  metrics(); // registers the outbound-failure listener before the first diagnosis
  if (opened.kind === 'postgres') {
    try {
      const { startSharedQueue } = await import('@/lib/report/queue');
      const q = await startSharedQueue(opened.store, { concurrency: maxConcurrent(), deadlineMs });
      // Next closes the HTTP server and exits on these signals; hand our running jobs back first (a few ms of SQL).
      for (const sig of ['SIGTERM', 'SIGINT'] as const)
        process.once(sig, () => void q.release().catch((e) => log().error({ err: errMessage(e) }, 'could not hand jobs back to the queue')));
    } catch (e) {
      return { ok: false, line: `cba-doctor: cannot start: the job queue on ${opened.store.describe} failed to start: ${errMessage(e)}` };
    }
  }
  startWatchdog(opened.store, { deadlineMs, shared: opened.kind === 'postgres' });
  log().info({ store: opened.store.describe, concurrency: maxConcurrent(), deadlineMs }, 'portal started');
  return { ok: true };
}

/** instrumentation.ts: start, or stop the process with the one line (a server that cannot store reports is useless). */
export async function startPortalOrExit(): Promise<void> {
  const r = await startPortal();
  if (!r.ok) {
    process.stderr.write(`${r.line}\n`);
    process.exit(1);
  }
}
