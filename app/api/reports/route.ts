// POST /api/reports: multipart submission → 202 { id, url, deleteToken }; the diagnosis runs in the background.
import { clientKey, createReport, readMultipart } from '@/lib/report/service';
import { errorResponse, guarded } from './respond';

export const dynamic = 'force-dynamic';

/** The origin the client used (Next's own request URL names its bind address, not the Host the client typed). */
function publicOrigin(req: Request): string {
  const host = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || new URL(req.url).protocol.replace(':', '');
  return host ? `${proto}://${host}` : new URL(req.url).origin;
}

export const POST = guarded(async (req: Request): Promise<Response> => {
  const body = await readMultipart(req);
  if (!body.ok) return errorResponse(400, body.error);
  const r = await createReport(body.form, clientKey(req.headers));
  if (!r.ok) return errorResponse(r.status, r.error, r.retryAfter ? { 'retry-after': String(r.retryAfter) } : undefined);
  const url = new URL(`/r/${r.id}`, publicOrigin(req)).toString();
  return Response.json({ id: r.id, url, deleteToken: r.deleteToken }, { status: 202, headers: { 'cache-control': 'no-store', location: url } });
});
