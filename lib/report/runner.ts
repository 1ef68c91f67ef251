// collect → checks → report. Collectors run as soon as their inputs are ready; each check runs as soon as
// the artifacts it needs are settled, so the stored report fills in progressively.
import { randomUUID } from 'node:crypto';
import type { CheckDef } from '@/lib/checks/types';
import type { ArtifactKey, Artifacts, DiagnosisContext, DiagnosisInput } from './artifacts';
import type { Collector } from './collector';
import { reportSchema, summarize, type CheckResult, type Report } from './schema';
import { reportInput } from './report-input';
import { boundReport, inputBytes } from './bound';
import { applyPrerequisites, type Blocked } from './blocked';
import { backgroundTurn } from './turns';

export interface RunOptions {
  id?: string;
  checks: CheckDef[];
  collectors: Collector[];
  /**
   * Called with the report so far after a change (checks finished), at most once every `progressEveryMs` and never
   * while the previous call is still running; the last change before the end is not published (the final report,
   * returned, supersedes it). Errors in it are ignored.
   */
  onUpdate?: (r: Report) => void | Promise<void>;
  /** Least time between two progress updates; default 1 s (the report page polls about as often). */
  progressEveryMs?: number;
}

const DEFAULT_PROGRESS_EVERY_MS = 1000;

/** Lets timers and other requests run between two checks: a check over thousands of certificates takes a while. */
const yieldToLoop = backgroundTurn;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runDiagnosis(input: DiagnosisInput, ctx: DiagnosisContext, opts: RunOptions): Promise<Report> {
  const created = new Date().toISOString();
  const a: Artifacts = { ctx, input, target: ctx.requestedTarget ?? 'unknown' };
  const settled = new Set<ArtifactKey>();
  const failed = new Map<ArtifactKey, string>();
  const collectTime = new Map<ArtifactKey, number>();
  const results = new Map<string, CheckResult>();
  const order = new Map(opts.checks.map((c, i) => [c.id, i]));

  const given = inputBytes(input);
  // The input section changes only when the certificates, the user choice, the chain or the paste do; rebuilt for
  // every progress update it cost ~130 ms for 5,000 certificates (and a new object defeats the JSON cache, json.ts).
  let inputMemo: { key: unknown[]; value: Report['input'] } | undefined;
  const inputSection = (): Report['input'] => {
    const key = [a.certs, a.user, a.chain, a.paste];
    if (!inputMemo || key.some((k, i) => k !== inputMemo!.key[i])) inputMemo = { key, value: reportInput(a) };
    return inputMemo.value;
  };
  // Every report that leaves the runner (progress and final) is bounded in size (see bound.ts).
  const report = (status: Report['status']): Report => boundReport(unbounded(status), given);
  const unbounded = (status: Report['status']): Report => {
    const checks = [...results.values()].sort((x, y) => order.get(x.id)! - order.get(y.id)!);
    return {
      schemaVersion: 1,
      id: opts.id ?? randomUUID(),
      createdAt: created,
      updatedAt: new Date().toISOString(),
      status,
      target: a.target,
      input: inputSection(),
      summary: summarize(checks),
      checks,
    };
  };

  // Progress goes out at most every `progressEveryMs`, one write at a time: each is the whole report (several MB for
  // an upload of thousands of certificates), and writing it after every check kept the server busy for seconds.
  const everyMs = opts.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS;
  let lastPublished = -Infinity;
  let inFlight: Promise<void> | undefined;
  let later: NodeJS.Timeout | undefined;
  let ended = false;
  const send = () => {
    lastPublished = performance.now();
    inFlight = (async () => {
      try {
        // Building the report and writing it are each a task of their own, apart from the check that triggered them,
        // so other requests get their turn in between.
        await yieldToLoop();
        if (ended) return;
        const r = report('running');
        await yieldToLoop();
        if (ended) return;
        await opts.onUpdate!(r);
      } catch {
        /* storage trouble must not stop the diagnosis */
      }
    })().finally(() => {
      inFlight = undefined;
    });
  };
  const publish = () => {
    if (!opts.onUpdate || ended || later) return;
    const wait = lastPublished + everyMs - performance.now();
    if (wait <= 0 && !inFlight) return send();
    later = setTimeout(async () => {
      await inFlight;
      later = undefined;
      if (!ended) send();
    }, Math.max(0, wait));
  };
  const endPublishing = async () => {
    ended = true;
    clearTimeout(later);
    later = undefined;
    await inFlight;
  };

  const pendingChecks = new Set(opts.checks);
  const planned = new Set(opts.checks.map((c) => c.id));
  // A prerequisite that is part of this run must have its result first (root causes, lib/report/blocked.ts).
  const prerequisitesDone = (c: CheckDef) => (c.prerequisites ?? []).every((p) => !planned.has(p.check) || results.has(p.check));
  const runReadyChecks = async (force = false) => {
    let ran = 0;
    for (;;) {
      let ready = [...pendingChecks].filter((c) => c.needs.every((k) => settled.has(k)) && prerequisitesDone(c));
      // Only at the very end, and only if prerequisites form a cycle: run the rest rather than never.
      if (!ready.length && force) ready = [...pendingChecks].filter((c) => c.needs.every((k) => settled.has(k)));
      if (!ready.length) break;
      for (const c of ready) {
        pendingChecks.delete(c);
        results.set(c.id, await runCheck(c, a, failed, collectTime, (id) => results.get(id)));
        ran++;
        await yieldToLoop();
      }
    }
    if (ran) publish();
  };

  const pendingCollectors = new Set(opts.collectors);
  const running = new Map<Collector, Promise<void>>();
  const start = (col: Collector) => {
    const t0 = performance.now();
    const p = (async () => {
      try {
        // Each collector starts in a task of its own: some work synchronously for a while on a big upload.
        await yieldToLoop();
        const out = await col.run(a);
        Object.assign(a, out);
      } catch (e) {
        for (const k of col.provides) failed.set(k, `${col.name}: ${errorMessage(e)}`);
      }
      const ms = performance.now() - t0;
      for (const k of col.provides) {
        settled.add(k);
        collectTime.set(k, ms);
      }
    })();
    running.set(col, p);
  };

  await runReadyChecks();
  for (;;) {
    for (const col of [...pendingCollectors]) {
      if (col.needs.every((k) => settled.has(k))) {
        pendingCollectors.delete(col);
        start(col);
      }
    }
    if (running.size === 0) break;
    const done = await Promise.race([...running.entries()].map(([c, p]) => p.then(() => c)));
    running.delete(done);
    await runReadyChecks();
  }
  // Anything left waits on an artifact no collector provides: report it as a tool error, not a user problem.
  for (const col of pendingCollectors) for (const k of col.provides) failed.set(k, `${col.name} never ran (missing inputs)`);
  for (const c of pendingChecks) {
    const missing = c.needs.filter((k) => !settled.has(k));
    for (const k of missing) {
      settled.add(k);
      if (!failed.has(k)) failed.set(k, `no collector provides ${k}`);
    }
  }
  await runReadyChecks(true);
  // No progress write may land after the caller stores the final report.
  await endPublishing();
  const final = report('complete');
  return reportSchema.parse(final);
}

async function runCheck(
  c: CheckDef,
  a: Artifacts,
  failed: Map<ArtifactKey, string>,
  collectTime: Map<ArtifactKey, number>,
  results: (id: string) => CheckResult | undefined,
): Promise<CheckResult> {
  const t0 = performance.now();
  const collectMs = Math.max(0, ...c.needs.map((k) => collectTime.get(k) ?? 0));
  let out: Blocked;
  const brokenInput = c.needs.find((k) => failed.has(k));
  if (brokenInput) {
    out = { status: 'error', summary: `The tool could not gather what this check needs (${failed.get(brokenInput)}).` };
  } else {
    try {
      const applies = c.applies ? c.applies(a) : true;
      out = applies === true ? applyPrerequisites(c, await c.run(a), results, a) : { status: 'skip', summary: applies };
    } catch (e) {
      out = { status: 'error', summary: `This check crashed, so the tool could not test it: ${errorMessage(e)}` };
    }
  }
  return {
    id: c.id,
    category: c.category,
    title: c.title,
    status: out.status,
    summary: out.summary,
    evidence: out.evidence ?? {},
    remediation: out.remediation ?? [],
    reference: c.reference,
    durationMs: Math.round((collectMs + performance.now() - t0) * 10) / 10,
    ...(out.blockedBy?.length ? { blockedBy: out.blockedBy } : {}),
  };
}
