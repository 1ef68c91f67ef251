// The report body, rendered on the server (dist/pages.mjs): the report ships as HTML, and a small script
// (components/islands/report.ts) runs the toolbar, copy buttons, Details toggles and, while the report runs, the poller.
import type { Report } from '@/lib/report/schema';
import { StatusBadge } from '@/components/ui/status-badge';
import { STATUS_STYLE } from '@/components/ui/status';
import { rankRootCauses } from '@/lib/report/root-causes';
import { categoryLabel, groupChecks, needsAttention } from './categories';
import { CheckCard } from './check-card';
import { Certificates } from './certificates';
import { Toolbar } from './toolbar';
import { VerdictBanner } from './verdict-banner';
import { ReportPoller } from './report-poller';
import { certNames } from './cert-names';

type Props = { initial: Report; total: number; pasteLabels: Record<string, string>; basis: Record<string, string> };

/** The report; while it runs, ReportPoller refreshes the page as checks finish. Rendered by ReportView (report-view.tsx). */
export function LiveReportView({ initial: report, total, pasteLabels, basis }: Props) {
  // The device checks lead a report whose certificate came from the device; for uploads they are two skips, so their
  // section goes last instead of opening the report.
  const grouped = groupChecks(report.checks);
  const groups = report.input.source === 'device' ? grouped : [...grouped.filter((g) => g.id !== 'device'), ...grouped.filter((g) => g.id === 'device')];
  // The root causes are named in the verdict banner; this list holds the other findings.
  const causes = new Set(rankRootCauses(report.checks));
  const attention = needsAttention(report.checks).filter((c) => !causes.has(c));
  const i = report.input;
  const names = certNames(i.certificates);
  return (
    <div className="space-y-6" id="report-body">
      <p className="sr-only" role="status" aria-live="polite">
        {report.status === 'running' ? '' : report.status === 'complete' ? `Diagnosis complete. Verdict: ${report.summary.verdict}.` : 'Diagnosis interrupted.'}
      </p>
      <VerdictBanner report={report} total={total} />
      {report.status === 'running' && <ReportPoller report={report} />}
      <Toolbar id={report.id} />

      <section aria-labelledby="input-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="input-title" className="text-lg font-semibold">
          What was tested
        </h2>
        <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm [overflow-wrap:anywhere]">
          <dt className="font-medium">Sign-in address</dt>
          <dd>{i.upn ?? '—'}</dd>
          <dt className="font-medium">Federation host</dt>
          <dd>{i.federationHost ?? '—'}</dd>
          {i.nodes && (
            <>
              <dt className="font-medium">Nodes</dt>
              <dd>{i.nodes.join(', ')}</dd>
            </>
          )}
          {i.tlsClientPort && (
            <>
              <dt className="font-medium">TLS client port</dt>
              <dd>{i.tlsClientPort}</dd>
            </>
          )}
          <dt className="font-medium">Target</dt>
          <dd>{report.target === 'adfs' ? 'Federated through AD FS' : report.target === 'entra' ? 'Entra native CBA' : 'Not known (stricter limits shown as warnings)'}</dd>
          {i.cloud && (
            <>
              <dt className="font-medium">Cloud</dt>
              <dd>{i.cloud === 'usgov' ? 'US Government (GCC High, DoD)' : 'Public'}</dd>
            </>
          )}
          <dt className="font-medium">Certificates</dt>
          <dd data-testid="certificate-source">
            {i.source === 'device'
              ? `${i.certificates.length}, presented by the device in the TLS handshake (not uploaded)`
              : i.certificates.length}
          </dd>
          {i.pasted.length > 0 && (
            <>
              <dt className="font-medium">Pasted output</dt>
              {/* Which paste held what, and what was not recognised: the config.paste check. */}
              <dd data-testid="pasted-summary">
                {i.pasted.map((p) => `${pasteLabels[p.kind] ?? p.kind} (${p.lines} line${p.lines === 1 ? '' : 's'}${p.node ? `, ${p.node}` : ''})`).join('; ')}{' '}
                <a href="#check-config.paste" className="text-blue-800 underline print:hidden">
                  Details<span className="sr-only"> of the pasted output</span>
                </a>
              </dd>
            </>
          )}
          <dt className="font-medium">Created</dt>
          <dd>{report.createdAt.replace('T', ' ').slice(0, 19)} UTC</dd>
        </dl>
      </section>

      {attention.length > 0 && (
        <section aria-labelledby="attention-title" className="rounded-lg border border-slate-300 bg-white p-4">
          <h2 id="attention-title" className="text-lg font-semibold">
            Needs attention
          </h2>
          <ul className="mt-2 space-y-1">
            {attention.map((c) => (
              <li key={c.id} className="flex items-start gap-2">
                <StatusBadge status={c.status} size="sm" />
                {/* Title and category flow as one text, so on a phone the category wraps under the title. */}
                <span className="min-w-0">
                  <a href={`#check-${c.id}`} className="text-blue-800 underline">
                    {c.title}
                  </a>{' '}
                  <span className="text-sm text-slate-600">({categoryLabel(c.category)})</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <Certificates certs={i.certificates} fromDevice={i.source === 'device'} />

      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`cat-${g.id}`} data-category={g.id}>
          <h2 id={`cat-${g.id}`} className="text-lg font-semibold">
            {g.label}{' '}
            <span className="text-sm font-normal text-slate-600">
              ({g.checks.length} check{g.checks.length === 1 ? '' : 's'}
              {(['fail', 'warn', 'error'] as const).map((s) => {
                const n = g.checks.filter((c) => c.status === s).length;
                return n ? `, ${n} ${STATUS_STYLE[s].label.toLowerCase()}` : '';
              })}
              )
            </span>
          </h2>
          <ul className="mt-2 space-y-2">
            {g.checks.map((c) => (
              <CheckCard key={c.id} check={c} basis={basis[c.id]} names={names} />
            ))}
          </ul>
        </section>
      ))}
      {report.status === 'running' && total > report.checks.length && (
        <p className="text-sm text-slate-600" aria-hidden="true">
          {total - report.checks.length} more check{total - report.checks.length === 1 ? '' : 's'} to come…
        </p>
      )}
    </div>
  );
}
