// Readiness and the metrics endpoint.
import { timingSafeEqual, createHash } from 'node:crypto';
import { gate, sharedQueue } from '@/lib/report/jobs';
import { getOpenedStore } from '@/lib/store/open';
import { metrics } from './metrics';
import { errMessage } from './log';

export interface Readiness {
  ready: boolean;
  store: 'ok' | string;
  queue: 'in-process' | 'ok' | 'stopped';
}

export async function readiness(): Promise<Readiness> {
  let store = 'ok';
  let kind: 'sqlite' | 'postgres' | undefined;
  try {
    const opened = await getOpenedStore();
    kind = opened.kind;
    await opened.store.ping();
  } catch (e) {
    // The setting is named, not the path or URL: this answer is public.
    store = /CBA_DOCTOR_DATABASE_URL/.test(errMessage(e)) ? 'CBA_DOCTOR_DATABASE_URL unreachable' : 'CBA_DOCTOR_DB unusable';
  }
  const q = sharedQueue();
  const queue: Readiness['queue'] = kind === 'postgres' ? (q?.running() ? 'ok' : 'stopped') : 'in-process';
  return { ready: store === 'ok' && queue !== 'stopped', store, queue };
}

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function metricsResponse(req: Request): Promise<Response> {
  const token = process.env.CBA_DOCTOR_METRICS_TOKEN;
  if (token) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
    if (!sameToken(given, token))
      return new Response('metrics need Authorization: Bearer <CBA_DOCTOR_METRICS_TOKEN>\n', { status: 401, headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' } });
  }
  const m = metrics();
  const q = sharedQueue();
  try {
    const d = q ? await q.depth() : gate().depth;
    m.queueDepth.set({ state: 'waiting' }, d.waiting);
    m.queueDepth.set({ state: 'active' }, d.active);
  } catch {
    /* keep the last known depth */
  }
  return new Response(await m.registry.metrics(), { headers: { 'content-type': m.registry.contentType, 'cache-control': 'no-store' } });
}
