// The pool against real worker threads (test/worker/tasks.mjs): results, a budget that stops runaway synchronous work
// and leaves the pool usable, urgent work first, and a bounded queue.
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkBudgetError, WorkFailedError, WorkPool } from './pool';

const filename = path.resolve('test/worker/tasks.mjs');
let pool: WorkPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkPool', () => {
  it('runs tasks on another thread and returns their results', async () => {
    pool = new WorkPool({ filename, threads: 2, maxQueue: 10 });
    const r = await pool.run<{ v: unknown; threadId: number }>('echo', { a: [1, 2], d: new Date(0) }, { what: 'echo', budgetMs: 30_000 });
    expect(r.v).toEqual({ a: [1, 2], d: new Date(0) });
    expect(r.threadId).not.toBe(threadId);
  });

  it('stops a task over its budget with a message naming it, and keeps serving', async () => {
    pool = new WorkPool({ filename, threads: 1, maxQueue: 10 });
    const stuck = pool.run('spin', null, { what: 'Reading huge.pem', budgetMs: 300 });
    // Queued behind the runaway task: it must run once the thread is replaced.
    const next = pool.run<{ v: number }>('echo', 7, { what: 'echo', budgetMs: 30_000 });
    const e = await stuck.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(WorkBudgetError);
    expect((e as Error).message).toBe('Reading huge.pem took longer than 300 ms and was stopped');
    expect((await next).v).toBe(7);
    expect(pool.stats).toMatchObject({ overBudget: 1, done: 1 });
  });

  it('passes a task’s own error through unchanged', async () => {
    pool = new WorkPool({ filename, threads: 1, maxQueue: 10 });
    await expect(pool.run('fail', 'not a CRL: bad tag', { what: 'x', budgetMs: 30_000 })).rejects.toThrow('not a CRL: bad tag');
  });

  it('runs urgent work before queued background work', async () => {
    pool = new WorkPool({ filename, threads: 1, maxQueue: 10 });
    const order: string[] = [];
    const track = (name: string, urgent: boolean) => pool!.run('echo', name, { what: name, budgetMs: 30_000, urgent }).then(() => order.push(name));
    // The first task takes the thread; the rest queue.
    await Promise.all([track('first', false), track('background', false), track('request', true)]);
    expect(order).toEqual(['first', 'request', 'background']);
  });

  it('refuses new work when its queue is full, with a message', async () => {
    pool = new WorkPool({ filename, threads: 1, maxQueue: 1 });
    const a = pool.run('spin', null, { what: 'a', budgetMs: 500 }).catch(() => undefined);
    const b = pool.run('echo', 1, { what: 'b', budgetMs: 30_000 });
    await expect(pool.run('echo', 2, { what: 'Reading c.pem', budgetMs: 30_000 })).rejects.toThrow(WorkFailedError);
    await expect(pool.run('echo', 2, { what: 'Reading c.pem', budgetMs: 30_000 })).rejects.toThrow(/Reading c\.pem could not run: the server is busy/);
    await a;
    await b;
  });
});
