// The pool's threads (the real dist/worker.mjs) run at a lower priority than the thread serving requests, and only
// they do: the main thread's own priority is left as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { closeWorkPool, offload } from './run';
import { currentNice, workerNice } from './nice';

afterEach(async () => {
  delete process.env.CBA_DOCTOR_WORKER_NICE;
  await closeWorkPool();
});

const onLinux = process.platform === 'linux';

describe('worker thread priority', () => {
  it('reads CBA_DOCTOR_WORKER_NICE as 0–19 and falls back to 10 otherwise', () => {
    expect(workerNice({})).toBe(10);
    expect(workerNice({ CBA_DOCTOR_WORKER_NICE: '0' })).toBe(0);
    expect(workerNice({ CBA_DOCTOR_WORKER_NICE: '19' })).toBe(19);
    for (const bad of ['20', '-5', '3.5', 'high', '']) expect(workerNice({ CBA_DOCTOR_WORKER_NICE: bad })).toBe(10);
  });

  it.runIf(onLinux)('lowers the pool threads to nice 10 and leaves the request thread alone', async () => {
    const before = currentNice();
    expect(before).not.toBeNull();
    const r = await offload('threadPriority', undefined, { what: 'priority', budgetMs: 30_000 });
    expect(r.threadId).not.toBe(threadId);
    expect(r.nice).toBe(Math.max(10, before!));
    expect(currentNice()).toBe(before);
  });

  it.runIf(onLinux)('keeps the process priority with CBA_DOCTOR_WORKER_NICE=0', async () => {
    process.env.CBA_DOCTOR_WORKER_NICE = '0';
    const r = await offload('threadPriority', undefined, { what: 'priority', budgetMs: 30_000 });
    expect(r.nice).toBe(currentNice());
  });
});
