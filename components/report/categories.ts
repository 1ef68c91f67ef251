import type { CheckResult } from '@/lib/report/schema';
import { rankRootCauses } from '@/lib/report/root-causes';
import { SEVERITY } from '@/components/ui/status';

/** Report order of the categories (CHECKS.md) with the headings shown to people. */
export const CATEGORIES: { id: string; label: string }[] = [
  { id: 'device', label: 'Certificate on this device' },
  { id: 'input', label: 'Uploaded files' },
  { id: 'cert', label: 'User certificate' },
  { id: 'chain', label: 'Certificate chain' },
  { id: 'crl', label: 'Certificate revocation lists (CRL)' },
  { id: 'realm', label: 'Realm discovery' },
  { id: 'adfs', label: 'AD FS and Web Application Proxy endpoints' },
  { id: 'config', label: 'Configuration (pasted command output)' },
];

export function categoryLabel(id: string): string {
  return CATEGORIES.find((c) => c.id === id)?.label ?? id;
}

/** Checks grouped by category in catalogue order, failures first inside each group (stable otherwise). */
export function groupChecks(checks: CheckResult[]): { id: string; label: string; checks: CheckResult[] }[] {
  const known = CATEGORIES.map((c) => c.id);
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
