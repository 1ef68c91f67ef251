// Root causes first (DESIGN.md "Root causes"): a check whose failure is fully explained by a failed prerequisite
// check is not a second failure. Checks declare their prerequisites as data (CheckDef.prerequisites); this pure
// function applies them to one outcome, given the results of the checks that ran before it.
import { worst, type CheckDef, type Outcome, type OutcomePart } from '@/lib/checks/types';
import type { Artifacts } from './artifacts';
import type { CheckResult, Status } from './schema';

const BAD: ReadonlySet<Status> = new Set(['fail', 'warn', 'error']);

export interface Blocked extends Outcome {
  blockedBy?: string[];
}

interface Why {
  check: string;
  reason: string;
  part?: string;
  label?: string;
}

function explain(def: CheckDef, prereqs: CheckResult[], a: Artifacts, part?: OutcomePart): Why | undefined {
  for (const p of def.prerequisites ?? []) {
    const prereq = prereqs.find((r) => r.id === p.check);
    if (!prereq || prereq.status !== 'fail') continue;
    let reason: string | undefined;
    try {
      reason = p.explains({ prereq, a, part });
    } catch {
      reason = undefined; // a predicate that cannot decide explains nothing: the check keeps its own verdict
    }
    if (reason) return { check: p.check, reason, part: part?.key, label: part?.label ?? part?.key };
  }
  return undefined;
}

function listReasons(whys: Why[]): string {
  // One line per distinct reason: several targets blocked for the same reason are said once.
  const seen = new Map<string, Why>();
  for (const w of whys) if (!seen.has(`${w.reason}|${w.check}`)) seen.set(`${w.reason}|${w.check}`, w);
  return [...seen.values()].map((w) => `${w.reason.replace(/\.$/, '')} (${w.check})`).join('; ');
}

/**
 * The outcome as reported: unchanged when nothing explains its failure; `skip` with `blockedBy` when failed
 * prerequisites explain all of it; the verdict over the other targets when they explain every failing target
 * but some targets could be tested.
 */
export function applyPrerequisites(def: CheckDef, out: Outcome, results: (id: string) => CheckResult | undefined, a: Artifacts): Blocked {
  if (!def.prerequisites?.length || !BAD.has(out.status)) return out;
  const prereqs = def.prerequisites.map((p) => results(p.check)).filter((r): r is CheckResult => !!r);
  if (!prereqs.some((r) => r.status === 'fail')) return out;

  let whys: Why[];
  let rest: OutcomePart[] = [];
  if (out.parts?.length) {
    const failing = out.parts.filter((p) => BAD.has(p.status));
    const explained = failing.map((p) => explain(def, prereqs, a, p));
    if (!failing.length || explained.some((w) => !w)) return out;
    whys = explained as Why[];
    const done = new Set(failing.map((p) => p.key));
    rest = out.parts.filter((p) => !done.has(p.key));
  } else {
    const w = explain(def, prereqs, a);
    if (!w) return out;
    whys = [w];
  }
  const blockedBy = [...new Set(whys.map((w) => w.check))];
  const evidence = { ...out.evidence, notTested: whys.map((w) => ({ ...(w.label !== undefined ? { target: w.label } : {}), reason: w.reason, blockedBy: w.check })) };
  const tested = rest.filter((p) => p.status !== 'skip');
  if (!tested.length) return { status: 'skip', summary: `Not tested: ${listReasons(whys)}.`, evidence, remediation: [], parts: out.parts, blockedBy };
  // Part of the check was not tested, so a clean result on the rest is information, not a pass of the whole.
  const status = worst(tested.map((p) => (p.status === 'pass' ? 'info' : p.status)));
  const others = tested.map((p) => `${p.label ?? p.key}: ${p.status}${p.reason ? ` (${p.reason.replace(/\.$/, '')})` : ''}`).join('; ');
  return {
    status,
    summary: `Not tested on ${[...new Set(whys.map((w) => w.label))].join(', ')}: ${listReasons(whys)}. Tested on the other target${tested.length === 1 ? '' : 's'}: ${others}.`,
    evidence,
    remediation: [],
    parts: out.parts,
    blockedBy,
  };
}
