import type { Report } from '@/lib/report/schema';
import { countLine, rootCauses } from '@/lib/report/root-causes';
import { StatusBadge } from '@/components/ui/status-badge';

/** The verdict banner's list of root causes, most important first, each with its one-line fix. */
export function RootCauses({ report }: { report: Report }) {
  const causes = rootCauses(report);
  const line = countLine(report);
  if (!causes.length) return null;
  const failing = causes[0].check.status === 'fail';
  return (
    <div className="mt-3">
      <p className="text-sm font-medium text-slate-900" data-testid="root-cause-count">
        {line}
      </p>
      <ol aria-label={failing ? 'Root causes, most important first' : 'Warnings, most important first'} className="mt-2 space-y-2">
        {causes.map(({ check, fix, blocked }) => (
          <li key={check.id} data-root-cause={check.id} className="flex min-w-0 items-start gap-2">
            <StatusBadge status={check.status} size="sm" />
            <div className="min-w-0 break-words">
              <a href={`#check-${check.id}`} className="font-medium text-blue-800 underline">
                {check.title}
              </a>{' '}
              <span className="font-mono text-xs text-slate-600">{check.id}</span>
              {fix && <p className="text-sm text-slate-800">Fix: {fix}</p>}
              {blocked.length > 0 && (
                <p className="text-xs text-slate-600">
                  Not tested because of it: {blocked.map((b) => b.id).join(', ')}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
