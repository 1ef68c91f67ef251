// Worker module for lib/worker/pool.test.ts: plain ESM, so tinypool loads it without a build step.
import { threadId } from 'node:worker_threads';

/** Never returns: synchronous code only a terminated thread stops. */
export function spin() {
  for (;;);
}

export function echo(v) {
  return { v, threadId };
}

export function fail(message) {
  throw new Error(message);
}
