// Worker threads run at a lower CPU priority than the thread that answers requests. With one worker per core, a
// heavy upload kept every core busy and the request thread waited its turn behind them (unrelated requests took up to
// 280 ms on two cores); a niced worker still gets every idle cycle but yields the core the moment a request needs it.
// Linux keeps a nice value per thread, and setpriority() on a thread id changes that thread alone, so each worker
// renices itself by its id (read from /proc/thread-self). Elsewhere this is a no-op.
import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** The nice value for worker threads: CBA_DOCTOR_WORKER_NICE (0–19), default 10; 0 leaves the priority alone. */
export function workerNice(env: Record<string, string | undefined> = process.env): number {
  const v = env.CBA_DOCTOR_WORKER_NICE;
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) && n >= 0 && n <= 19 ? n : 10;
}

/** Lowers this thread's priority to `nice`; returns the thread id it applied to, or why it did not. */
export function niceThisThread(nice = workerNice()): { tid: number } | { skipped: string } {
  if (nice === 0) return { skipped: 'CBA_DOCTOR_WORKER_NICE is 0' };
  if (process.platform !== 'linux') return { skipped: `per-thread priority is not set on ${process.platform}` };
  try {
    const tid = threadTid();
    // Only ever lower: a thread already nicer than asked (the whole process niced) keeps its value.
    if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
    return { tid };
  } catch (e) {
    return { skipped: (e as Error).message };
  }
}

/** This thread's nice value on Linux, null elsewhere or when it cannot be read. */
export function currentNice(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    return os.getPriority(threadTid());
  } catch {
    return null;
  }
}

/** The kernel's id of this thread (/proc/thread-self links to <pid>/task/<tid>); throws when there is none. */
function threadTid(): number {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (!Number.isInteger(tid) || tid <= 0) throw new Error('no thread id in /proc/thread-self');
  return tid;
}
