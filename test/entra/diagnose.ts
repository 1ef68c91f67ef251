// Runs the real pipeline (every collector, the Entra tenant ones included) with the Entra-related checks.
import { ALL_CHECKS } from '@/lib/checks/registry';
import type { DiagnosisInput, PastedText } from '@/lib/report/artifacts';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report } from '@/lib/report/schema';

export interface EntraDiagnoseOptions {
  certs?: { der: Uint8Array }[];
  pastes: (string | PastedText)[];
  upn?: string;
  at?: Date;
  /** Network on (loopback stand-ins): offline false and private addresses allowed. */
  network?: boolean;
  ids?: string[];
}

export function diagnoseEntra(o: EntraDiagnoseOptions): Promise<Report> {
  const input: DiagnosisInput = {
    upn: o.upn,
    files: (o.certs ?? []).map((c, i) => ({ name: `cert${i + 1}.cer`, bytes: c.der })),
    crlFiles: [],
    pasted: o.pastes.map((p) => (typeof p === 'string' ? { text: p } : p)),
  };
  const prefixes = o.ids ?? ['entra.', 'signin.', 'cert.san-upn', 'cert.user-ids'];
  return runDiagnosis(input, { now: o.at ?? new Date(), offline: !o.network, allowPrivate: !!o.network, timeoutMs: 5000 }, {
    checks: ALL_CHECKS.filter((c) => prefixes.some((p) => c.id.startsWith(p))),
    collectors: ALL_COLLECTORS,
  });
}

export function check(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no result for ${id}`);
  return c;
}
