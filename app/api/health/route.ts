// GET /api/health: the process is up and answering (for a load balancer's liveness check). Touches nothing else.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }, { headers: { 'cache-control': 'no-store' } });
}
