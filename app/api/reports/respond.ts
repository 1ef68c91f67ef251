import type { FieldError } from '@/lib/report/submission';
import { observe } from '@/lib/ops/http';
import { storeFailure } from '@/lib/ops/store-errors';

/** The API's error body: { error, field, reason } and, for a paste, box (its 0-based index). */
export function errorResponse(status: number, e: FieldError, headers?: Record<string, string>): Response {
  return Response.json({ error: e.error, field: e.field, reason: e.reason, ...(typeof e.box === 'number' ? { box: e.box } : {}) }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function notFound(): Response {
  return errorResponse(404, { field: null, reason: 'not-found', error: 'No report with this id: it was deleted, it expired, or the link is incomplete.' });
}

/** Unexpected failures still answer JSON (the server keeps running whatever was sent). */
export function guarded<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args) => {
    const req = args[0] instanceof Request ? args[0] : undefined;
    return req ? observe(req, () => run(...args)) : run(...args);
  };
  async function run(...args: A): Promise<Response> {
    try {
      return await handler(...args);
    } catch (e) {
      // A store failure is logged once (naming the file and whether it is permanent), not as a stack per request.
      const store = storeFailure(e);
      if (store) return Response.json({ error: store.message, field: null, reason: store.reason }, { status: store.status, headers: { 'cache-control': 'no-store', ...(store.status === 503 ? { 'retry-after': '5' } : {}) } });
      return Response.json({ error: 'The server failed while handling this request. Try again in a moment.', field: null, reason: 'internal' }, { status: 500 });
    }
  }
}
