// The root causes of a report (failing checks that no other check blocked), most important first, each with its
// one-line fix and the checks it left untested. One function, so the verdict banner, the Markdown copy and the
// CLI text list them in the same order.
// No runtime import of the zod schema here: the report page's client bundle uses this module.
import type { CheckResult, Report } from './schema';

/** Category order of importance for a sign-in: what the user holds first, then what the servers do. */
const CATEGORY_RANK = ['input', 'cert', 'chain', 'crl', 'realm', 'adfs', 'config'];

/**
 * Root causes, most important first: the failing checks (or, when none failed, the warning ones) that no other
 * check blocked; the one that blocked the most other checks first, then by category (certificate, chain, CRL,
 * realm, AD FS, configuration), then in report order.
 */
export function rankRootCauses<T extends Pick<CheckResult, 'status' | 'id'> & Partial<Pick<CheckResult, 'category' | 'blockedBy'>>>(checks: T[]): T[] {
  const status = checks.some((c) => c.status === 'fail') ? 'fail' : 'warn';
  const blocks = (id: string) => checks.filter((c) => c.blockedBy?.includes(id)).length;
  const cat = (c: T) => {
    const i = CATEGORY_RANK.indexOf(c.category ?? c.id.split('.')[0]);
    return i < 0 ? CATEGORY_RANK.length : i;
  };
  return checks
    .map((c, i) => ({ c, i, blocks: blocks(c.id) }))
    .filter(({ c }) => c.status === status && !(c.blockedBy?.length))
    .sort((x, y) => y.blocks - x.blocks || cat(x.c) - cat(y.c) || x.i - y.i)
    .map(({ c }) => c);
}


export interface RootCause {
  check: CheckResult;
  /** The first sentence of the check's first remediation. */
  fix?: string;
  /** Checks not tested because of this one (status skip with blockedBy naming it). */
  blocked: CheckResult[];
}

/**
 * A remediation text as one line: its first sentence (a dot followed by a space, or the end), without the
 * parenthesised details, ending with a dot instead of the colon that introduces a command.
 */
export function oneLine(text: string, max = 220): string {
  let t = text.trim().replace(/\s+/g, ' ');
  // Drop parenthesised details, innermost first (bounded: a few nesting levels at most).
  for (let i = 0; i < 4 && /\([^()]*\)/.test(t); i++) t = t.replace(/\s*\([^()]*\)/g, '');
  const m = /^(.+?)\.(\s|$)/.exec(t);
  let s = (m ? m[1] : t).replace(/[\s:;,]+$/, '');
  if (s.length > max) s = `${s.slice(0, max - 1).trimEnd()}…`;
  return `${s}.`;
}

export function rootCauses(r: Pick<Report, 'checks'>): RootCause[] {
  return rankRootCauses(r.checks).map((check) => ({
    check,
    fix: check.remediation[0] ? oneLine(check.remediation[0].text) : undefined,
    blocked: r.checks.filter((c) => c.status === 'skip' && c.blockedBy?.includes(check.id)),
  }));
}

/** How many checks were not tested because of a root cause. */
export function notTestedCount(r: Pick<Report, 'checks'>): number {
  return r.checks.filter((c) => c.status === 'skip' && c.blockedBy?.length).length;
}

/** "2 root causes · 5 not tested because of them" (or "1 warning to review" when nothing failed). */
export function countLine(r: Pick<Report, 'checks'>): string | undefined {
  const causes = rootCauses(r);
  if (!causes.length) return undefined;
  const failing = causes[0].check.status === 'fail';
  const n = causes.length;
  const head = failing ? `${n} root cause${n === 1 ? '' : 's'}` : `${n} warning${n === 1 ? '' : 's'} to review`;
  const blocked = notTestedCount(r);
  return blocked ? `${head} · ${blocked} check${blocked === 1 ? '' : 's'} not tested because of ${n === 1 ? 'it' : 'them'}` : head;
}
