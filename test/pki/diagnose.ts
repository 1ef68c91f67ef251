/**
 * Runs the real pipeline (ALL_COLLECTORS → checks → report) on generated inputs, offline, for tests.
 *   const report = await diagnose({ certs: [pki.user, pki.ca, pki.root], upn: 'alice@contoso.com', ids: ['cert.'] });
 *   const r = result(report, 'cert.validity');
 * `ids` keeps only checks whose id starts with one of the prefixes (default: every registered check).
 */
import { ALL_CHECKS } from '@/lib/checks/registry';
import type { DiagnosisContext, DiagnosisInput } from '@/lib/report/artifacts';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report, Target } from '@/lib/report/schema';

export interface DiagnoseOptions {
  /** Certificates, each uploaded as its own DER file (cert1.cer, ...). */
  certs?: { der: Uint8Array }[];
  /** Files uploaded as they are. */
  files?: { name: string; bytes: Uint8Array }[];
  crlFiles?: { name: string; bytes: Uint8Array }[];
  upn?: string;
  domain?: string;
  at?: Date;
  target?: Target;
  ids?: string[];
  offline?: boolean;
  /** Which certificate is the user's (API userCertificate: 0-based index or SHA-256). */
  userCertificate?: string;
}

export async function diagnose(o: DiagnoseOptions): Promise<Report> {
  const input: DiagnosisInput = {
    upn: o.upn,
    domain: o.domain,
    userCertificate: o.userCertificate,
    files: [...(o.certs ?? []).map((c, i) => ({ name: `cert${i + 1}.cer`, bytes: c.der })), ...(o.files ?? [])],
    crlFiles: o.crlFiles ?? [],
    pasted: [],
  };
  const ctx: DiagnosisContext = { now: o.at ?? new Date(), requestedTarget: o.target, offline: o.offline ?? true, allowPrivate: false, timeoutMs: 5000 };
  const checks = o.ids ? ALL_CHECKS.filter((c) => o.ids!.some((p) => c.id.startsWith(p))) : ALL_CHECKS;
  return runDiagnosis(input, ctx, { checks, collectors: ALL_COLLECTORS });
}

export function result(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`check ${id} is not in the report (${r.checks.map((x) => x.id).join(', ')})`);
  return c;
}
