// GET /api/ready: this instance can take work: the store answers and (PostgreSQL mode) the job queue runs.
// 503 otherwise, so a load balancer sends requests elsewhere.
import { readiness } from '@/lib/ops/ready';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const r = await readiness();
  return Response.json(r, { status: r.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
