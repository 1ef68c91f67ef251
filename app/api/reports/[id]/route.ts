// GET /api/reports/{id}: the report JSON (also while running). DELETE with `Authorization: Bearer <deleteToken>` → 204.
import { deleteReport, getReport } from '@/lib/report/service';
import { errorResponse, guarded, notFound } from '../respond';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const GET = guarded(async (_req: Request, ctx: Ctx): Promise<Response> => {
  const { id } = await ctx.params;
  const report = await getReport(id);
  if (!report) return notFound();
  return Response.json(report, { headers: { 'cache-control': 'no-store' } });
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
