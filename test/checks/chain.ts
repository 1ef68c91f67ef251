// Test support for the chain and CRL checks: runs the real collectors and the given checks over
// generated certificates and CRLs, the way the CLI does. Imported by tests only.
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report, Target } from '@/lib/report/schema';
import type { CheckDef } from '@/lib/checks/types';

export interface DiagnoseInput {
  certs: { der: Uint8Array; name?: string }[];
  crls?: { der: Uint8Array; name?: string }[];
  now?: Date;
  offline?: boolean;
  allowPrivate?: boolean;
  upn?: string;
  target?: Target;
}

export async function diagnose(checks: CheckDef[], i: DiagnoseInput): Promise<Report> {
  return runDiagnosis(
    {
      upn: i.upn,
      files: i.certs.map((c, n) => ({ name: c.name ?? `cert${n + 1}.cer`, bytes: c.der })),
      crlFiles: (i.crls ?? []).map((c, n) => ({ name: c.name ?? `crl${n + 1}.crl`, bytes: c.der })),
      pasted: [],
    },
    { now: i.now ?? new Date(), offline: i.offline ?? true, allowPrivate: i.allowPrivate ?? false, timeoutMs: 5000, requestedTarget: i.target },
    { checks, collectors: ALL_COLLECTORS },
  );
}

export function resultOf(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`check ${id} is not in the report`);
  return c;
}
