// The live Graph read as the Entra collector's reader: settings from the environment, the typed address, the
// correlation ID, the diagnosis time limit. What it records is statuses and problems, never the raw answers.
import type { LiveReader } from '@/lib/entra/collect';
import type { GuardedFetchOptions } from '@/lib/net/http';
import { graphSettingsFromEnv } from './config';
import { readTenant } from './read';

export function makeGraphReader(o: { env?: Record<string, string | undefined>; fetch?: Partial<GuardedFetchOptions> } = {}): LiveReader {
  return async (a) => {
    const at = new Date().toISOString();
    const notRead = (why: string) => ({ tenant: null, record: { at, calls: [], notRead: why } });
    if (a.ctx.offline) return notRead('offline: no live Graph lookup was made');
    const s = graphSettingsFromEnv(o.env ?? process.env);
    if (s === null) return notRead('the live Graph lookup is not configured (CBA_DOCTOR_GRAPH_TENANT_ID, CBA_DOCTOR_GRAPH_CLIENT_ID and a credential)');
    if (s instanceof Error) return notRead(`the Graph settings are wrong: ${s.message}`);
    const upn = a.input.upn?.trim();
    if (!upn) return notRead('no user address was given to look up');
    const r = await readTenant(s, {
      upn,
      correlationId: a.input.graph?.correlationId,
      net: { allowPrivate: a.ctx.allowPrivate, resolve: a.input.resolve, timeoutMs: a.ctx.timeoutMs, fetch: o.fetch },
      deadline: Date.now() + a.ctx.timeoutMs,
    });
    return { tenant: r.tenant, record: { at: r.at, calls: r.calls, ...(r.tokenError ? { tokenError: r.tokenError } : {}), ...(r.userNotFound ? { userNotFound: true } : {}) } };
  };
}

export const graphReader = makeGraphReader();
