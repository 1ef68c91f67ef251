// Where CPU-heavy work runs: on the worker pool (the portal, and tests), or in-process (the CLI, which has no other
// requests to keep answering). Callers name a task of lib/worker/tasks.ts and give it a budget.
import os from 'node:os';
import { findDistFile } from '@/lib/ops/dist';
import type * as Tasks from './tasks';
import { WorkPool, type WorkOptions } from './pool';

type TaskFns = typeof Tasks;
export type TaskName = { [K in keyof TaskFns]: TaskFns[K] extends (a: never) => unknown ? K : never }[keyof TaskFns];
type Arg<N extends TaskName> = Parameters<TaskFns[N]>[0];
type Result<N extends TaskName> = ReturnType<TaskFns[N]>;

/** Default time budgets (ms) once a task runs. CBA_DOCTOR_TASK_BUDGET_MS overrides them all. */
export const BUDGETS = {
  /** One uploaded file: a 1 MB PEM bundle of ~1,000 certificates parses in about a second on an idle core; the budget
   *  is wall time, so it leaves room for a busy machine. */
  file: 30_000,
  /** Chain building with backtracking and path validation. */
  chain: 30_000,
  /** One CRL's header and length scan (up to 100 MB). */
  crl: 30_000,
  /** Every CRL's signature and a walk of every entry (million-entry CRLs take about a second each). */
  revocation: 120_000,
} as const;

export function budgetMs(kind: keyof typeof BUDGETS, env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.CBA_DOCTOR_TASK_BUDGET_MS);
  return Number.isFinite(n) && n > 0 ? n : BUDGETS[kind];
}

interface WorkState {
  mode: 'pool' | 'inline';
  pool?: WorkPool;
}
const KEY = Symbol.for('cba-doctor.work');
function state(): WorkState {
  const g = globalThis as { [KEY]?: WorkState };
  return (g[KEY] ??= { mode: 'pool' });
}

/** Where tasks run from now on: 'inline' in this thread (the CLI), 'pool' on worker threads (the default). */
export function setWorkMode(mode: WorkState['mode']): void {
  state().mode = mode;
}

export function useInlineWork(): void {
  setWorkMode('inline');
}

export function workMode(): WorkState['mode'] {
  return state().mode;
}

/** dist/worker.mjs, next to the CLI bundle or under the project root (npm ci and `npm start` build it). */
export function findWorkerFile(env: Record<string, string | undefined> = process.env): string {
  if (env.CBA_DOCTOR_WORKER_FILE) return env.CBA_DOCTOR_WORKER_FILE;
  const f = findDistFile('worker.mjs');
  if (f) return f;
  throw new Error('dist/worker.mjs is missing: build it with `npm run build:cli` (npm ci and npm start do this)');
}

function positiveInt(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The process's pool: one thread per core (CBA_DOCTOR_WORKERS overrides), created on first use. */
export function workPool(): WorkPool {
  const s = state();
  s.pool ??= new WorkPool({
    filename: findWorkerFile(),
    threads: positiveInt(process.env.CBA_DOCTOR_WORKERS) ?? os.availableParallelism(),
    maxQueue: 5_000,
  });
  return s.pool;
}

/** Stops the pool's threads (tests, shutdown); the next task starts a new pool. */
export async function closeWorkPool(): Promise<void> {
  const s = state();
  const p = s.pool;
  s.pool = undefined;
  await p?.close();
}

/** Runs a task on the pool, or in this thread in inline mode (no budget there: nothing can stop synchronous code). */
export async function offload<N extends TaskName>(name: N, arg: Arg<N>, opts: WorkOptions): Promise<Awaited<Result<N>>> {
  if (state().mode === 'inline') {
    const tasks = (await import('./tasks')) as unknown as Record<N, (a: Arg<N>) => Result<N>>;
    return tasks[name](arg) as Awaited<Result<N>>;
  }
  return workPool().run<Awaited<Result<N>>>(name, arg, opts);
}
