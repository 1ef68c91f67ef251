// POST /api/device-test: "Test with the certificate on this device" on the form. Checks what was typed (and a chosen
// CA list) and answers { ok: true, url } with the certauth address to open, or { ok: false, error }.
import { prepareDeviceTest } from '@/lib/report/device-test';
import { readMultipart } from '@/lib/report/service';
import { errorResponse, guarded } from '../reports/respond';

export const dynamic = 'force-dynamic';

export const POST = guarded(async (req: Request): Promise<Response> => {
  const body = await readMultipart(req);
  if (!body.ok) return errorResponse(400, body.error);
  const r = await prepareDeviceTest(body.form, req.headers.get('host'));
  return Response.json(r, { status: r.ok ? 200 : 400, headers: { 'cache-control': 'no-store' } });
});
