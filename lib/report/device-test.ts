// Prepares "Test with the certificate on this device" for the form: the certauth URL with the API's field names, and
// for a chosen CA list, a session host (lib/device/sessions.ts) that selects it.
import { caCertsFromFiles, caCertsFromPaste } from '@/lib/device/ca-source';
import { canUseSessionHosts, certauthPublicUrl } from '@/lib/device/config';
import { createCaListSession, sessionHost, sessionKey, sessionToJson } from '@/lib/device/sessions';
import { getStore, type ReportStore } from '@/lib/store';
import { checkTextFields } from './submission';

export type DeviceTestResult = { ok: true; url: string; caNames: number; dropped: string[] } | { ok: false; error: string };

export async function prepareDeviceTest(form: FormData, hostHeader: string | null, env: Record<string, string | undefined> = process.env, store?: ReportStore): Promise<DeviceTestResult> {
  const base = certauthPublicUrl(env, hostHeader);
  if (!base) return { ok: false, error: 'The certificate test is not set up on this server (CBA_DOCTOR_CERTAUTH_PORT).' };
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const fields = { upn: text('upn'), federationHost: text('federationHost'), target: text('target') };
  const problem = checkTextFields(fields)[0];
  if (problem) return { ok: false, error: problem.error };

  const url = new URL('/certauth', base);
  let caNames = 0;
  let dropped: string[] = [];
  const source = text('caSource') ?? 'any';
  if (source === 'uploaded' || source === 'pasted') {
    if (!canUseSessionHosts(url.hostname))
      return { ok: false, error: `Asking for a CA list needs a host name for the test address (it is ${url.hostname}); see CBA_DOCTOR_CERTAUTH_URL in the README, or choose "any CA".` };
    let certs;
    if (source === 'uploaded') {
      const files = [];
      for (const f of form.getAll('certificates')) if (typeof f !== 'string') files.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      if (!files.length) return { ok: false, error: 'Upload the CA certificates to ask for (the issuing and root CA), or choose "any CA".' };
      certs = caCertsFromFiles(files);
    } else certs = caCertsFromPaste(text('trustStore') ?? '');
    if (!certs.ok) return certs;
    const s = createCaListSession(certs.certs, source);
    if (!s.ok) return s;
    // Also in the shared store: behind a load balancer another instance may answer the browser's handshake.
    await (store ?? (await getStore())).putTransient(sessionKey(s.session.token), sessionToJson(s.session), s.session.expires);
    url.hostname = sessionHost(s.session.token, url.hostname);
    caNames = s.session.info.names.length;
    dropped = s.session.info.dropped;
  }
  for (const [k, v] of Object.entries(fields)) if (v && !(k === 'target' && v === 'auto')) url.searchParams.set(k, v);
  return { ok: true, url: url.toString(), caNames, dropped };
}
