// A check is metadata plus a pure verdict function over collected artifacts (zlint/Lighthouse style).
import type { Remediation, Status } from '@/lib/report/schema';
import type { ArtifactKey, Artifacts } from '@/lib/report/artifacts';

export type Category = 'input' | 'cert' | 'chain' | 'crl' | 'realm' | 'adfs' | 'config' | 'device';

export interface Outcome {
  status: Status;
  summary: string;
  evidence?: Record<string, unknown>;
  remediation?: Remediation[];
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
