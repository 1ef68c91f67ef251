// GET /metrics: Prometheus text format. With CBA_DOCTOR_METRICS_TOKEN set, only `Authorization: Bearer <token>`.
import { metricsResponse } from '@/lib/ops/ready';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return metricsResponse(req);
}
