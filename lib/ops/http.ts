// Request logging and counting for the API route handlers: one JSON line per request with a request id, the route,
// the status, the duration and the report id when there is one. Never bodies, headers or tokens.
import { randomUUID } from 'node:crypto';
import { log } from './log';
import { metrics } from './metrics';

const ID = /^[A-Za-z0-9_-]{22}$/;

/** A client-supplied X-Request-Id is kept when it is short and plain (so a proxy's id joins the logs), else a new one. */
export function requestId(req: Request): string {
  const given = req.headers.get('x-request-id');
  return given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/** /api/reports/<id> → /api/reports/:id, so metrics keep a bounded set of labels. */
export function routeOf(pathname: string): { route: string; reportId?: string } {
  const m = /^\/api\/reports\/([^/]+)$/.exec(pathname);
  if (m) return { route: '/api/reports/:id', reportId: ID.test(m[1]) ? m[1] : undefined };
  return { route: pathname.startsWith('/api/') ? pathname : 'other' };
}

export async function observe(req: Request, handle: () => Promise<Response>): Promise<Response> {
  const t0 = performance.now();
  const reqId = requestId(req);
  let pathname = '/';
  try {
    pathname = new URL(req.url).pathname;
  } catch {
    /* keep '/' */
  }
  const { route, reportId: fromPath } = routeOf(pathname);
  const res = await handle();
  const location = res.headers.get('location');
  const created = location ? /\/r\/([A-Za-z0-9_-]{22})$/.exec(location)?.[1] : undefined;
  const durationMs = Math.round((performance.now() - t0) * 10) / 10;
  metrics().httpRequests.inc({ route, status: String(res.status) });
  log().info({ requestId: reqId, method: req.method, route, status: res.status, durationMs, reportId: fromPath ?? created }, 'request');
  try {
    res.headers.set('x-request-id', reqId);
  } catch {
    /* immutable headers (a redirect): the log still has it */
  }
  return res;
}
