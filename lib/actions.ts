'use server';
// Server actions used by the pages. The form's submission shares createReport with POST /api/reports.
import { headers } from 'next/headers';
import { clientKey, createReport } from '@/lib/report/service';
import { prepareDeviceTest } from '@/lib/report/device-test';
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

export type DeviceTestState = { ok: true; url: string; caNames: number; dropped: string[] } | { ok: false; error: string };

/**
 * "Test with the certificate on this device": validates what was typed and returns the certauth URL to open. With a
 * CA list chosen, it registers a short-lived session whose host name makes the listener send that list.
 */
export async function startDeviceTestAction(form: FormData): Promise<DeviceTestState> {
  try {
    return await prepareDeviceTest(form, (await headers()).get('host'));
  } catch {
    return { ok: false, error: 'The server could not prepare the certificate test. Try again in a moment.' };
  }
}
