// Test helpers for the config.* checks: artifacts from real pastes, and the whole pipeline when a check
// also needs the uploaded chain.
import { ALL_CHECKS } from '@/lib/checks/registry';
import type { CheckDef, Outcome } from '@/lib/checks/types';
import { parsePastes } from '@/lib/paste/detect';
import type { Artifacts, DiagnosisInput, PastedText } from '@/lib/report/artifacts';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report } from '@/lib/report/schema';

export function pasteArtifacts(pastes: (string | PastedText)[], o: { input?: Partial<DiagnosisInput>; now?: Date } = {}): Artifacts {
  const pasted = pastes.map((p) => (typeof p === 'string' ? { text: p } : p));
  return {
    ctx: { now: o.now ?? new Date(), offline: true, allowPrivate: false, timeoutMs: 1000 },
    input: { files: [], crlFiles: [], pasted, ...o.input },
    target: 'adfs',
    ...(pasted.length ? { paste: parsePastes(pasted) } : {}),
  };
}

/** Runs one check the way the runner does (applies → skip). */
export async function runCheck(c: CheckDef, a: Artifacts): Promise<Outcome> {
  const applies = c.applies ? c.applies(a) : true;
  return applies === true ? await c.run(a) : { status: 'skip', summary: applies };
}

export interface PipelineOptions {
  pastes: (string | PastedText)[];
  certs?: { der: Uint8Array }[];
  upn?: string;
  domain?: string;
  federationHost?: string;
  tlsClientPort?: number;
  at?: Date;
}

/** The real pipeline (every collector, offline) with only the config.* checks. */
export function diagnosePastes(o: PipelineOptions): Promise<Report> {
  const input: DiagnosisInput = {
    upn: o.upn,
    domain: o.domain,
    federationHost: o.federationHost,
    tlsClientPort: o.tlsClientPort,
    files: (o.certs ?? []).map((c, i) => ({ name: `cert${i + 1}.cer`, bytes: c.der })),
    crlFiles: [],
    pasted: o.pastes.map((p) => (typeof p === 'string' ? { text: p } : p)),
  };
  return runDiagnosis(input, { now: o.at ?? new Date(), offline: true, allowPrivate: false, timeoutMs: 2000 }, {
    checks: ALL_CHECKS.filter((c) => c.id.startsWith('config.')),
    collectors: ALL_COLLECTORS,
  });
}

export function resultOf(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no result for ${id}`);
  return c;
}
