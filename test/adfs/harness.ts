// Runs the real runner with the real collectors (PKI, chain, federation probes) and some checks, against
// stand-ins on loopback: what the checks' tests use to get real artifacts instead of hand-made ones.
import type { CheckDef } from '@/lib/checks/types';
import { makeAiaCollector } from '@/lib/net/collect-aia';
import { chainCollector } from '@/lib/pki/chain/collect';
import { filesCollector, userCollector } from '@/lib/pki/collect';
import type { DiagnosisContext, DiagnosisInput } from '@/lib/report/artifacts';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report } from '@/lib/report/schema';
import type { GenCert } from '@/test/pki/gen';
import { createFederationCollectors } from '@/lib/adfs/collect';
import type { FederationOptions } from '@/lib/adfs/plan';

export interface HarnessOptions {
  checks: CheckDef[];
  ctx?: Partial<DiagnosisContext>;
  federation?: FederationOptions;
  certs?: GenCert[];
  /** Run only these federation collectors (by name); the others then provide nothing. */
  only?: string[];
}

export async function diagnose(input: Partial<DiagnosisInput>, o: HarnessOptions): Promise<Report> {
  const full: DiagnosisInput = {
    files: (o.certs ?? []).map((c, i) => ({ name: `cert${i}.cer`, bytes: c.der })),
    crlFiles: [],
    pasted: [],
    ...input,
  };
  const ctx: DiagnosisContext = { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000, ...o.ctx };
  return runDiagnosis(full, ctx, {
    checks: o.checks,
    collectors: [
      filesCollector,
      userCollector,
      makeAiaCollector(),
      chainCollector,
      ...createFederationCollectors(o.federation).map((c) => (!o.only || o.only.includes(c.name) ? c : { ...c, run: async () => ({}) })),
    ],
  });
}

export function result(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no result for ${id}`);
  return c;
}

/** Evidence of the per-target list, typed loosely for assertions. */
export function targets(c: CheckResult): Record<string, unknown>[] {
  return (c.evidence.targets as Record<string, unknown>[]) ?? [];
}
