// A check's card, rendered on the server; only the Details toggle (CardDisclosure) and the copy buttons hydrate.
import type { CheckResult } from '@/lib/report/schema';
import { StatusBadge } from '@/components/ui/status-badge';
import { CopyButton } from '@/components/ui/copy-button';
import { Evidence } from './evidence';
import { CardDisclosure } from './card-disclosure';
import { withCertNames, type CertNames } from './cert-names';

const OPEN_BY_DEFAULT = new Set(['fail', 'error', 'warn']);

export function CheckCard({ check, basis, names = new Map() }: { check: CheckResult; basis?: string; names?: CertNames }) {
  const bodyId = `check-${check.id}-details`;
  const header = (
    <>
      <StatusBadge status={check.status} />
      {/* On a phone the title and summary take the full width on their own row, below the badge and the button. */}
      <div className="min-w-0 flex-1 max-sm:order-last max-sm:basis-full">
        <h3 className="font-semibold [overflow-wrap:anywhere] text-slate-900">
          {check.title} <span className="ml-1 font-mono text-xs font-normal text-slate-600">{check.id}</span>
        </h3>
        <p className="mt-1 whitespace-pre-line [overflow-wrap:anywhere] text-slate-800">{withCertNames(names, check.summary)}</p>
      </div>
    </>
  );
  return (
    <li id={`check-${check.id}`} className="check-card scroll-mt-4 rounded-lg border border-slate-300 bg-white" data-check={check.id} data-status={check.status}>
      <CardDisclosure initiallyOpen={OPEN_BY_DEFAULT.has(check.status)} title={check.title} bodyId={bodyId} header={header}>
        {check.remediation.length > 0 && (
          <section aria-label={`What to do: ${check.title}`}>
            <h4 className="font-semibold text-slate-900">What to do</h4>
            <ol className="mt-2 list-decimal space-y-3 pl-5">
              {check.remediation.map((r, i) => (
                <li key={i}>
                  <p className="[overflow-wrap:anywhere]">{withCertNames(names, r.text)}</p>
                  {r.command && (
                    <div className="mt-2 flex items-start gap-2">
                      <pre className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-900 p-3 text-sm text-slate-50" tabIndex={0} aria-label="Command">
                        <code>{r.command}</code>
                      </pre>
                      <CopyButton text={r.command} label="Copy command" className="shrink-0 text-xs print:hidden" />
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>
        )}
        <section aria-label={`Evidence: ${check.title}`}>
          <h4 className="font-semibold text-slate-900">Evidence</h4>
          <div className="mt-2">
            <Evidence evidence={check.evidence} checkTitle={check.title} names={names} />
          </div>
        </section>
        {basis && <p className="text-xs text-slate-600">Based on: {basis}</p>}
        <p className="text-xs [overflow-wrap:anywhere] text-slate-600">
          {check.reference && (
            <>
              Reference:{' '}
              {/^https?:\/\//.test(check.reference) ? (
                <a className="print-url text-blue-800 underline" href={check.reference} rel="noreferrer noopener" target="_blank">
                  {check.reference}
                </a>
              ) : (
                check.reference
              )}
              {' · '}
            </>
          )}
          Took {check.durationMs} ms
        </p>
      </CardDisclosure>
    </li>
  );
}
