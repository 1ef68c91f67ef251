// A pool of worker threads for CPU-heavy work, so one big upload never stalls the portal's other requests.
// tinypool runs the threads (start, message protocol, replacing a dead thread); this class adds what a server needs
// on top: its own queue (urgent work, such as a request someone is waiting on, goes first; a full queue refuses new
// work instead of holding it in memory), and a time budget per task that starts when the task gets a thread, not
// while it waits. Synchronous code cannot be interrupted, so a task over budget has its thread terminated.
import type Tinypool from 'tinypool';

export interface WorkOptions {
  /** What the task works on, for messages: "parsing user.pem", "building the certificate chain". */
  what: string;
  /** Time allowed once the task runs, in milliseconds. */
  budgetMs: number;
  /** Work a request is waiting on: runs before queued background work. */
  urgent?: boolean;
}

/** A task ran past its budget and was stopped. */
export class WorkBudgetError extends Error {
  override name = 'WorkBudgetError';
  constructor(
    readonly what: string,
    readonly budgetMs: number,
  ) {
    super(`${what} took longer than ${formatMs(budgetMs)} and was stopped`);
  }
}

/** The thread died under the task (out of memory, a crash) or the queue was full: not a verdict about the input. */
export class WorkFailedError extends Error {
  override name = 'WorkFailedError';
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

export interface PoolOptions {
  /** The worker module: each task is one of its named exports, called with the task's argument. */
  filename: string;
  threads: number;
  /** Tasks waiting for a thread beyond which new work is refused. */
  maxQueue: number;
  /** Heap limit of each thread, in MB: a task that needs more fails instead of growing the process. */
  maxHeapMb?: number;
  /** How long an idle thread is kept before it exits. */
  idleMs?: number;
}

interface Job {
  name: string;
  arg: unknown;
  opts: WorkOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class WorkPool {
  private running = 0;
  private urgent: Job[] = [];
  private normal: Job[] = [];
  private pool?: Promise<Tinypool>;
  private closed = false;
  /** Tasks finished, stopped over budget, failed: for tests and metrics. */
  readonly stats = { done: 0, overBudget: 0, failed: 0 };

  constructor(readonly options: PoolOptions) {}

  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  get active(): number {
    return this.running;
  }

  run<T>(name: string, arg: unknown, opts: WorkOptions): Promise<T> {
    if (this.closed) return Promise.reject(new WorkFailedError(`${opts.what} could not run: the worker pool is shut down`));
    if (this.queued >= this.options.maxQueue)
      return Promise.reject(new WorkFailedError(`${opts.what} could not run: the server is busy with other work (${this.queued} tasks waiting)`));
    return new Promise<T>((resolve, reject) => {
      (opts.urgent ? this.urgent : this.normal).push({ name, arg, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of [...this.urgent.splice(0), ...this.normal.splice(0)]) j.reject(new WorkFailedError(`${j.opts.what} could not run: the worker pool is shut down`));
    const p = this.pool;
    this.pool = undefined;
    if (p) await (await p).destroy();
  }

  private tinypool(): Promise<Tinypool> {
    // Loaded on first use: the CLI runs its work in-process and never needs it.
    this.pool ??= import('tinypool').then(
      ({ default: Pool }) =>
        new Pool({
          filename: this.options.filename,
          minThreads: 0,
          maxThreads: this.options.threads,
          idleTimeout: this.options.idleMs ?? 60_000,
          resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 },
        }),
    );
    return this.pool;
  }

  private pump() {
    while (this.running < this.options.threads && this.queued) {
      const job = (this.urgent.shift() ?? this.normal.shift())!;
      this.running++;
      void this.start(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async start(job: Job): Promise<void> {
    const abort = new AbortController();
    let pool: Tinypool;
    try {
      pool = await this.tinypool();
    } catch (e) {
      this.stats.failed++;
      return job.reject(new WorkFailedError(`${job.opts.what} could not run: the worker pool did not start (${(e as Error).message})`));
    }
    const timer = setTimeout(() => abort.abort(), job.opts.budgetMs);
    try {
      const out = await pool.run(job.arg, { name: job.name, signal: abort.signal });
      this.stats.done++;
      job.resolve(out);
    } catch (e) {
      if (abort.signal.aborted) {
        this.stats.overBudget++;
        job.reject(new WorkBudgetError(job.opts.what, job.opts.budgetMs));
      } else if (/^ERR_WORKER/.test(String((e as { code?: unknown })?.code ?? ''))) {
        this.stats.failed++;
        job.reject(new WorkFailedError(`${job.opts.what} failed: the worker thread stopped (${(e as Error).message})`));
      } else {
        // The task itself threw: the same error it would have thrown in-process.
        job.reject(e);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
