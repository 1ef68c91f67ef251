'use server';
// Server actions used by the pages. The form's submission shares createReport with POST /api/reports.
import { headers } from 'next/headers';
import { clientKey, createReport } from '@/lib/report/service';
import type { FieldError } from '@/lib/report/submission';
import { UPLOADS_BUSY, uploadSlots } from '@/lib/report/upload-slots';

export type CreateReportState = { ok: true; id: string; deleteToken: string } | { ok: false; error: FieldError };

export async function createReportAction(form: FormData): Promise<CreateReportState> {
  // The same bound as POST /api/reports (Next has read the body by now; the bound still caps the checking work).
  const release = uploadSlots().take();
  if (!release) return { ok: false, error: UPLOADS_BUSY };
  try {
    const r = await createReport(form, clientKey(await headers()));
    return r.ok ? { ok: true, id: r.id, deleteToken: r.deleteToken } : { ok: false, error: r.error };
  } catch {
    // Never leak internals to the page; the user gets something to act on.
    return { ok: false, error: { field: null, reason: 'bad-request', error: 'The server could not start the diagnosis. Try again in a moment.' } };
  } finally {
    release();
  }
}
