import type { Category } from '@/lib/checks/types';
import type { CheckResult } from '@/lib/report/schema';
import { rankRootCauses } from '@/lib/report/root-causes';
import { SEVERITY } from '@/components/ui/status';

/** The heading shown to people for each category: a Record, so a new category cannot be added without one. */
const LABELS: Record<Category, string> = {
  device: 'Certificate on this device',
  input: 'Uploaded files',
  cert: 'User certificate',
  chain: 'Certificate chain',
  crl: 'Certificate revocation lists (CRL)',
  realm: 'Realm discovery',
  adfs: 'AD FS and Web Application Proxy endpoints',
  config: 'Configuration (pasted command output)',
  entra: 'Entra tenant (native CBA)',
  signin: 'Sign-in error',
};

/** Report order of the categories (CHECKS.md) with their headings. */
export const CATEGORIES: { id: Category; label: string }[] = (Object.keys(LABELS) as Category[]).map((id) => ({ id, label: LABELS[id] }));

export function categoryLabel(id: string): string {
  return LABELS[id as Category] ?? id;
}

/** Checks grouped by category in catalogue order, failures first inside each group (stable otherwise). */
export function groupChecks(checks: CheckResult[]): { id: string; label: string; checks: CheckResult[] }[] {
  const known: string[] = CATEGORIES.map((c) => c.id);
  const ids = [...known.filter((k) => checks.some((c) => c.category === k)), ...new Set(checks.map((c) => c.category).filter((k) => !known.includes(k)))];
  return ids.map((id) => ({
    id,
    label: categoryLabel(id),
    checks: checks
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.category === id)
      .sort((a, b) => SEVERITY[a.c.status] - SEVERITY[b.c.status] || a.i - b.i)
      .map(({ c }) => c),
  }));
}

/** Root causes first, most important first (lib/report/root-causes), then the rest by severity. */
export function needsAttention(checks: CheckResult[]): CheckResult[] {
  const causes = rankRootCauses(checks);
  const rest = checks
    .filter((c) => (c.status === 'fail' || c.status === 'error' || c.status === 'warn') && !causes.includes(c))
    .sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
  return [...causes, ...rest];
}
