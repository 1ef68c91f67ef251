// Server-only: what each check rests on (the KB 4032987 step, RFC section or Entra document), from the checks'
// own metadata. It reaches the page as data, so the report page's JavaScript does not grow.
import { ALL_CHECKS } from '@/lib/checks/registry';

function userFacing(citation: string): string {
  // Internal pointers (the catalog, an issue number) mean nothing to the reader of a report.
  return citation
    .split(/;\s*/)
    .filter((part) => part && !/^(CHECKS\.md|Issue \d|CBA Doctor)/.test(part))
    .join('; ');
}

export const CHECK_BASIS: Record<string, string> = Object.fromEntries(
  ALL_CHECKS.map((c) => [c.id, userFacing(c.citation)]).filter(([, basis]) => basis),
);
