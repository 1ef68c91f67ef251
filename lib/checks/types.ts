// A check is metadata plus a pure verdict function over collected artifacts (zlint/Lighthouse style).
import type { CheckResult, Remediation, Status } from '@/lib/report/schema';
import type { ArtifactKey, Artifacts } from '@/lib/report/artifacts';

export type Category = 'input' | 'cert' | 'chain' | 'crl' | 'realm' | 'adfs' | 'config' | 'entra' | 'signin' | 'device';

export interface Outcome {
  status: Status;
  summary: string;
  evidence?: Record<string, unknown>;
  remediation?: Remediation[];
  /** Per-target verdicts (per host, node, URL or certificate) of a check that judges several targets. They let
   *  the runner tell which failing targets a failed prerequisite explains (see `Prerequisite`). */
  parts?: OutcomePart[];
}

export interface OutcomePart {
  /** Names the target the same way the prerequisite's `explains` does (a host, a node, a certificate ref...). */
  key: string;
  /** How the target is shown to people, when the key is an internal reference. */
  label?: string;
  status: Status;
  /** Short words on that target, used when the runner rewrites the summary. */
  reason?: string;
}

/**
 * A check whose failure can follow from another check's failure. The runner runs the prerequisite first; when
 * it failed and it explains every failing part of this check (or the whole check, when it has no parts), this
 * check becomes `skip` with `blockedBy` and a "Not tested: ..." summary instead of a second failure. A check
 * with a failure of its own keeps its verdict.
 */
export interface Prerequisite {
  /** Id of the prerequisite check. */
  check: string;
  /**
   * Why the prerequisite's failure explains this failing part (or the whole check when `part` is undefined),
   * in words that complete "Not tested: ..." (e.g. "sts.contoso.com does not resolve"); undefined when it
   * does not explain it. Asked only when the prerequisite's status is `fail`.
   */
  explains: (x: { prereq: CheckResult; a: Artifacts; part?: OutcomePart }) => string | undefined;
}

export interface CheckDef {
  id: string;
  category: Category;
  title: string;
  /** What the check looks at and why it matters, in our words. */
  description: string;
  /** Where the rule comes from (KB 4032987, Entra docs, RFC 5280...). */
  citation: string;
  /** Link shown in the report. */
  reference?: string;
  /** Artifacts that must be collected before the check runs. Missing input → the check decides (usually skip). */
  needs: ArtifactKey[];
  /** Whether the check has anything to look at; a string is the skip reason. */
  applies?: (a: Artifacts) => true | string;
  run: (a: Artifacts) => Outcome | Promise<Outcome>;
  /** Checks whose failure can explain this one's (root causes first, DESIGN.md "Root causes"). */
  prerequisites?: Prerequisite[];
  /** Where a threshold or rule of this check is documented, when it has several sources (DOMAIN.md keys and pages). */
  sources?: { key: string; url: string; says: string }[];
}

/** Worst status wins when a check runs over several targets. */
const RANK: Record<Status, number> = { skip: 0, pass: 1, info: 2, warn: 3, error: 4, fail: 5 };
export function worst(statuses: Status[], empty: Status = 'skip'): Status {
  let w: Status | undefined;
  for (const s of statuses) if (w === undefined || RANK[s] > RANK[w]) w = s;
  return w ?? empty;
}

export function skip(summary: string): Outcome {
  return { status: 'skip', summary };
}
