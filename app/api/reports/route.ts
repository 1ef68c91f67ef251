// POST /api/reports: multipart submission → 202 { id, url, deleteToken }; the diagnosis runs in the background.
import { clientKey, createReport, readMultipart } from '@/lib/report/service';
import { UPLOAD_RETRY_AFTER_S, UPLOADS_BUSY, uploadSlots } from '@/lib/report/upload-slots';
import { errorResponse, guarded } from './respond';

export const dynamic = 'force-dynamic';

/** The origin the client used (Next's own request URL names its bind address, not the Host the client typed). */
function publicOrigin(req: Request): string {
  const host = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || req.headers.get('host');
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || new URL(req.url).protocol.replace(':', '');
  return host ? `${proto}://${host}` : new URL(req.url).origin;
}

export const POST = guarded(async (req: Request): Promise<Response> => {
  // Refused before the body is read; `connection: close` so a client still sending it does not hold the socket.
  const release = uploadSlots().take();
  if (!release) return errorResponse(503, UPLOADS_BUSY, { 'retry-after': String(UPLOAD_RETRY_AFTER_S), connection: 'close' });
  try {
    return await receive(req);
  } finally {
    release();
  }
});

async function receive(req: Request): Promise<Response> {
  const body = await readMultipart(req);
  if (!body.ok) return errorResponse(400, body.error);
  const r = await createReport(body.form, clientKey(req.headers));
  if (!r.ok) return errorResponse(r.status, r.error, r.retryAfter ? { 'retry-after': String(r.retryAfter) } : undefined);
  const url = new URL(`/r/${r.id}`, publicOrigin(req)).toString();
  return Response.json({ id: r.id, url, deleteToken: r.deleteToken }, { status: 202, headers: { 'cache-control': 'no-store', location: url } });
}
