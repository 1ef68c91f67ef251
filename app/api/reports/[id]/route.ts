// GET /api/reports/{id}: the report JSON (also while running), with an ETag; If-None-Match with it → 304. DELETE with `Authorization: Bearer <deleteToken>` → 204.
import { reportEtag } from '@/lib/report/etag';
import { deleteReport, getReport, reportVersion } from '@/lib/report/service';
import { errorResponse, guarded, notFound } from '../respond';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded(async (req: Request, ctx: Ctx): Promise<Response> => {
  const { id } = await ctx.params;
  // A poller that has this version already gets 304 from the store's columns: the report is neither read nor sent.
  const asked = req.headers.get('if-none-match');
  if (asked) {
    const v = await reportVersion(id);
    if (!v) return notFound();
    if (reportEtag(v.status, v.updatedAt) === asked) return new Response(null, { status: 304, headers: { etag: asked, 'cache-control': 'no-store' } });
  }
  const report = await getReport(id);
  if (!report) return notFound();
  return Response.json(report, { headers: { 'cache-control': 'no-store', etag: reportEtag(report.status, report.updatedAt) } });
});

export const DELETE = guarded(async (req: Request, ctx: Ctx): Promise<Response> => {
  const { id } = await ctx.params;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (!token)
    return errorResponse(401, { field: null, reason: 'unauthorized', error: 'Send the deletion token you got when the report was created: Authorization: Bearer <deleteToken>.' }, { 'www-authenticate': 'Bearer' });
  const r = await deleteReport(id, token);
  if (r === 'not-found') return notFound();
  if (r === 'forbidden') return errorResponse(403, { field: null, reason: 'forbidden', error: 'This deletion token does not belong to this report.' });
  return new Response(null, { status: 204 });
});
