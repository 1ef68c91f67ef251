// GET /: the diagnosis form, rendered by dist/pages.mjs (lib/ops/pages.ts); the browser hydrates only the form.
import { liveLookupForPortal } from '@/lib/graph/config';
import { certauthPort } from '@/lib/device/config';
import { htmlResponse, pages } from '@/lib/ops/pages';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  // Only a thumbprint is carried over from a report's "use this certificate as the user's" link.
  const thumb = params.get('userCertificate');
  const userCertificate = thumb && /^[0-9a-f]{64}$/i.test(thumb) ? thumb.toLowerCase() : undefined;
  const { renderFormPage } = await pages();
  return htmlResponse(
    renderFormPage({
      deleted: params.get('deleted') === '1',
      form: { liveLookup: liveLookupForPortal().allowed, deviceTest: Number.isInteger(certauthPort()), ...(userCertificate ? { userCertificate } : {}) },
    }),
  );
}
