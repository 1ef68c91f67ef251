// GET /r/{id}: the shareable report page, rendered by dist/pages.mjs (lib/ops/pages.ts) with a small script for its
// buttons; 404 for an unknown id, 500/503 with a readable page when the store cannot be read.
import { ALL_CHECKS } from '@/lib/checks/registry';
import { getReport } from '@/lib/report/service';
import { storeFailure } from '@/lib/ops/store-errors';
import { htmlResponse, pages } from '@/lib/ops/pages';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const p = await pages();
  let report;
  try {
    report = await getReport(id);
  } catch (e) {
    // A store failure is logged once by storeFailure, not as a stack trace per page view.
    const failure = storeFailure(e);
    if (!failure) throw e;
    return htmlResponse(p.renderReportUnavailable(failure.message), failure.status);
  }
  if (!report) return htmlResponse(p.renderReportNotFound(), 404);
  return htmlResponse(p.renderReportPage(report, ALL_CHECKS.length));
}
