import type { Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import { aadsts, errorLookupUrl } from '@/lib/entra/aadsts';
import type { SignInEntry } from '@/lib/entra/types';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import { PASTE, liveMiss, tenantOf } from '../entra/common';
// Read at run time only (the registry lists this check too): the checks that test each code are re-run on the
// same artifacts, so this check knows whether the report reproduces the failure without depending on order.
import { ALL_CHECKS } from '../registry';

const REPRODUCES: Status[] = ['fail', 'warn'];

async function outcomeOf(id: string, a: Artifacts): Promise<Outcome | null> {
  const c = ALL_CHECKS.find((x) => x.id === id);
  if (!c) return null;
  try {
    const applies = c.applies ? c.applies(a) : true;
    return applies === true ? await c.run(a) : { status: 'skip', summary: applies };
  } catch (e) {
    return { status: 'error', summary: (e as Error).message };
  }
}

export const signinError: CheckDef = {
  id: 'signin.error',
  category: 'signin',
  title: 'The sign-in error, decoded',
  description:
    'The AADSTS code on the error page or in the sign-in log says which step of certificate sign-in failed. This check explains the code, its likely causes and which checks test them, and says plainly when none of them reproduces the failure (the cause is then outside what the report could see).',
  citation: 'Microsoft Entra authentication and authorization error codes (AADSTS); Microsoft Entra certificate-based authentication: technical deep dive and troubleshooting',
  reference: 'https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes',
  needs: ['entra', 'user', 'certs', 'files', 'chain', 'crls', 'revocation', 'crlFiles', 'crlDownloads', 'realm', 'paste'],
  applies: (a) => (tenantOf(a)?.signIns.length ? true : `${a.input.graph?.correlationId ? liveMiss(a, 'signIns') || 'The live Graph lookup found no sign-in with that correlation ID (sign-in logs can take a few minutes to appear). ' : ''}${PASTE.signIn()}`),
  async run(a) {
    const entries = tenantOf(a)!.signIns;
    const rows: { entry: SignInEntry; status: Status; text: string; code: ReturnType<typeof aadsts> | null; checks: { id: string; status: Status | 'not run'; summary: string }[] }[] = [];
    const cache = new Map<string, Outcome | null>();
    for (const e of entries) {
      const when = [e.correlationId && `correlation ID ${e.correlationId}`, e.timestamp && `at ${e.timestamp}`, e.appDisplayName && `app ${e.appDisplayName}`, e.source === 'graph' && 'read live from Microsoft Graph'].filter(Boolean).join(', ');
      const head = `${e.from === 'error-page' ? 'Error page' : 'Sign-in log'}${when ? ` (${when})` : ''}`;
      if (e.errorCode === 0) {
        rows.push({ entry: e, status: 'pass', text: `${head}: the sign-in succeeded${e.appDisplayName ? ` to ${e.appDisplayName}` : ''}.`, code: null, checks: [] });
        continue;
      }
      if (e.errorCode === null) {
        rows.push({ entry: e, status: 'info', text: `${head}: no AADSTS code was found in it${e.message ? ` (message: ${e.message.slice(0, 200)})` : ''}.`, code: null, checks: [] });
        continue;
      }
      const code = aadsts(e.errorCode);
      if (!code) {
        rows.push({ entry: e, status: 'info', text: `${head}: AADSTS${e.errorCode} is not a certificate-based authentication code CBA Doctor knows${e.failureReason ? ` (${e.failureReason})` : ''}; look it up at ${errorLookupUrl(e.errorCode)}.`, code: null, checks: [] });
        continue;
      }
      const checks: { id: string; status: Status | 'not run'; summary: string }[] = [];
      for (const id of code.checks) {
        if (!cache.has(id)) cache.set(id, await outcomeOf(id, a));
        const o = cache.get(id);
        checks.push({ id, status: o?.status ?? 'not run', summary: o?.summary.slice(0, 300) ?? '' });
      }
      const hits = checks.filter((c) => REPRODUCES.includes(c.status as Status));
      const tested = checks.filter((c) => c.status !== 'skip' && c.status !== 'not run' && c.status !== 'error');
      const base = `${head}: AADSTS${code.code}: ${code.meaning}${e.failureReason && e.failureReason !== 'Other.' ? ` (logged reason: ${e.failureReason.slice(0, 200)})` : ''}${e.certificateDetails.length ? ` Certificate details logged: ${e.certificateDetails.slice(0, 3).join('; ')}.` : ''} Likely causes: ${code.causes.join('; ')}.`;
      if (hits.length)
        rows.push({ entry: e, status: 'info', text: `${base} This report finds the cause: ${hits.map((h) => `${h.id} (${h.status})`).join(', ')}.`, code, checks });
      else
        rows.push({
          entry: e,
          status: 'fail',
          text: `${base} No other check of this report reproduces this failure${checks.length ? ` (${tested.length ? `${tested.map((c) => c.id).join(', ')} found nothing wrong` : 'none of the checks that test it had their input'}${checks.length > tested.length ? `; not tested: ${checks.filter((c) => !tested.includes(c)).map((c) => c.id).join(', ')}` : ''})` : ' (no check tests it)'}: the cause lies outside what was given to the report, so look at the sign-in log entry for this correlation ID.`,
          code,
          checks,
        });
    }
    const status = worst(rows.map((r) => r.status), 'info');
    return {
      status,
      summary: rows.map((r) => r.text).join(' '),
      evidence: {
        entries: rows.map((r) => ({
          from: r.entry.from,
          source: r.entry.source,
          where: r.entry.where,
          correlationId: r.entry.correlationId,
          requestId: r.entry.requestId,
          timestamp: r.entry.timestamp,
          errorCode: r.entry.errorCode,
          appDisplayName: r.entry.appDisplayName,
          failureReason: r.entry.failureReason,
          certificateDetails: r.entry.certificateDetails,
          status: r.status,
          meaning: r.code?.meaning ?? null,
          causes: r.code?.causes ?? [],
          checks: r.checks,
          lookup: r.entry.errorCode ? errorLookupUrl(r.entry.errorCode) : null,
        })),
      },
    };
  },
};
