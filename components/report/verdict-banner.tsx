import type { Report } from '@/lib/report/schema';
import { STATUS_STYLE } from '@/components/ui/status';
import { StatusBadge } from '@/components/ui/status-badge';
import { RootCauses } from './root-causes';

const VERDICT_TEXT = {
  pass: { title: 'No problem found', tone: 'border-green-700 bg-green-50' },
  warn: { title: 'Warnings found', tone: 'border-amber-600 bg-amber-50' },
  fail: { title: 'Problems found', tone: 'border-red-700 bg-red-50' },
  incomplete: { title: 'Not diagnosed', tone: 'border-slate-600 bg-slate-100' },
} as const;

/** The heading of an interrupted report: never a pass, and "not diagnosed" when nothing finished. */
function interruptedTitle(verdict: keyof typeof VERDICT_TEXT, done: number): string {
  if (verdict === 'incomplete') return done ? 'Interrupted: no problem found in the checks that ran, the rest not diagnosed' : 'Interrupted: not diagnosed';
  return `Interrupted: ${VERDICT_TEXT[verdict].title.toLowerCase()} so far`;
}

export function VerdictBanner({ report, total }: { report: Report; total: number }) {
  const v = VERDICT_TEXT[report.summary.verdict];
  const done = report.checks.length;
  const running = report.status === 'running';
  const pct = total ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <section aria-labelledby="verdict-title" className={`rounded-lg border-l-8 p-5 ${running ? 'border-blue-700 bg-blue-50' : v.tone}`}>
      <div className="flex flex-wrap items-center gap-3">
        {running ? <StatusBadge status="running" /> : <StatusBadge status={report.summary.verdict} />}
        <h2 id="verdict-title" className="text-xl font-semibold">
          {running ? 'Diagnosis running' : report.status === 'interrupted' ? interruptedTitle(report.summary.verdict, done) : v.title}
        </h2>
      </div>
      {/* Fixed-height progress row: the page does not jump when the run finishes. */}
      <div className="mt-3 h-10">
        {running ? (
          <>
            <div className="h-2 w-full overflow-hidden rounded bg-blue-100" role="progressbar" aria-label="Checks done" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
              <div className="h-2 bg-blue-700 transition-all" style={{ width: `${pct}%` }} />
            </div>
            <p className="mt-1 text-sm text-slate-700">
              {done} of {total} checks done. This page updates by itself.
            </p>
          </>
        ) : report.status === 'interrupted' ? (
          <p className="text-sm text-slate-800">
            The server stopped before this diagnosis finished; {done} of {total} checks ran.{' '}
            <a href="/" className="font-semibold text-blue-800 underline">
              Run the diagnosis again
            </a>{' '}
            with the same files for a full report.
          </p>
        ) : (
          <p className="text-sm text-slate-800">All {done} checks finished {new Date(report.updatedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC.</p>
        )}
      </div>
      <ul aria-label="Counts by status" className="mt-2 flex flex-wrap gap-2">
        {(['fail', 'error', 'warn', 'info', 'pass', 'skip'] as const).map((s) => (
          <li key={s} data-count={s} className={`rounded-md px-2.5 py-1 text-sm ring-1 ring-inset ${STATUS_STYLE[s].className}`}>
            <span className="font-semibold">{report.summary.counts[s]}</span> {STATUS_STYLE[s].label.toLowerCase()}
          </li>
        ))}
      </ul>
      <RootCauses report={report} />
    </section>
  );
}
