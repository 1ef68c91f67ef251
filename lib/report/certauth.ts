// Starts the certauth listener (lib/device) inside the portal's process, so it shares the report store, the diagnosis
// queue and the rate limit with the portal's routes. Called from instrumentation.ts when the server starts.
import { certauthConfigFromEnv, type CertauthConfig } from '@/lib/device/config';
import { startCertauthListener, type CertauthHandler, type CertauthListener } from '@/lib/device/listener';
import { sessionFromJson, sessionKey } from '@/lib/device/sessions';
import { getStore } from '@/lib/store';
import { createDeviceReport } from './service';
import type { ReportStore } from './store';

export function deviceHandler(store?: ReportStore): CertauthHandler {
  return async (r) => {
    const out = await createDeviceReport(r, r.client, store);
    return out.ok ? { ok: true, id: out.id, deleteToken: out.deleteToken } : { ok: false, status: out.status, error: out.error.error, retryAfter: out.retryAfter };
  };
}

export function startCertauth(config: CertauthConfig, store?: ReportStore): Promise<CertauthListener> {
  return startCertauthListener(config, deviceHandler(store), {
    // A CA list chosen through another instance is in the shared store (prepareDeviceTest puts it there).
    findSession: async (token) => {
      const text = await (store ?? (await getStore())).getTransient(sessionKey(token));
      return text ? sessionFromJson(text) : undefined;
    },
  });
}

const KEY = Symbol.for('cba-doctor.certauth-listener');

/** Starts the listener once per process when CBA_DOCTOR_CERTAUTH_PORT is set; a bad setting is logged, not fatal. */
export async function startCertauthFromEnv(env: Record<string, string | undefined> = process.env): Promise<void> {
  const g = globalThis as { [KEY]?: Promise<CertauthListener | undefined> };
  if (g[KEY]) return;
  const c = certauthConfigFromEnv(env);
  if (!c) return;
  if (!c.ok) {
    console.error(`cba-doctor: the certauth listener is not started: ${c.error}`);
    return;
  }
  g[KEY] = startCertauth(c.config).then(
    (l) => {
      console.log(`cba-doctor: certauth listener (client certificate test) on port ${l.port}`);
      return l;
    },
    (e) => {
      console.error(`cba-doctor: the certauth listener could not start on port ${c.config.port}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    },
  );
  await g[KEY];
}
