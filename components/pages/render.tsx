// The form and report pages as HTML documents, without Next's client runtime (issue 10's first-load budgets). Bundled
// by scripts/build-pages.mjs into dist/pages.mjs, which the route handlers (app/route.ts, app/r/[id]/route.ts) load
// at run time: Next does not let a route handler import react-dom/server itself. Everything is rendered here; the
// browser gets the form's React island (components/islands/form.tsx) or the report's small script (report.ts).
import type { ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import type { Report } from '@/lib/report/schema';
import { DiagnosisForm, type DiagnosisFormProps } from '@/components/form/diagnosis-form';
import { ReportView } from '@/components/report/report-view';
import { FORM_ID_PREFIX, FORM_PROPS_ID, FORM_ROOT_ID } from './ids';
import { Shell } from './shell';

declare const __PAGE_ASSETS__: { form: string; report: string; css: string };
const ASSETS = __PAGE_ASSETS__;

const TITLE = 'CBA Doctor';
const DESCRIPTION = 'Diagnose certificate-based authentication to Microsoft Entra ID';

const doc = (el: ReactElement) => `<!DOCTYPE html>${renderToString(el)}`;

/** JSON inside a <script> element: "<" escaped so no value can close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

export interface FormPage {
  deleted: boolean;
  form: DiagnosisFormProps;
}

export function renderFormPage({ deleted, form }: FormPage): string {
  // The form is its own React root, on the server as in the browser, so the ids useId gives match at hydration.
  const formHtml = renderToString(<DiagnosisForm {...form} />, { identifierPrefix: FORM_ID_PREFIX });
  return doc(
    <Shell title={TITLE} description={DESCRIPTION} assets={{ css: ASSETS.css, scripts: [ASSETS.form] }}>
      <h1 className="text-2xl font-semibold">Diagnose certificate sign-in</h1>
      <p className="mt-2 max-w-prose text-slate-700">
        Upload the user&apos;s certificate and its CA certificates, type the sign-in address, and CBA Doctor checks the certificate, its chain and
        revocation lists, realm discovery, the AD FS endpoints and any configuration you paste. You get a report with evidence and the commands to
        fix what is wrong, at a link you can share with your helpdesk.
      </p>
      {deleted && (
        <p role="status" className="mt-4 rounded-md border border-green-700 bg-green-50 p-3">
          The report was deleted.
        </p>
      )}
      <div className="mt-8" id={FORM_ROOT_ID} dangerouslySetInnerHTML={{ __html: formHtml }} />
      <script type="application/json" id={FORM_PROPS_ID} dangerouslySetInnerHTML={{ __html: scriptJson(form) }} />
    </Shell>,
  );
}

/** Without the script: every card's details shown, and no buttons that would do nothing. */
const REPORT_NOSCRIPT = '[data-disclosure-body]{display:block}[data-disclosure],[data-copy],[data-copy-action],[data-print]{display:none}';

export function renderReportPage(report: Report, total: number): string {
  return doc(
    <Shell title={`Report · ${TITLE}`} noindex noscript={REPORT_NOSCRIPT} assets={{ css: ASSETS.css, scripts: [ASSETS.report] }}>
      <h1 className="mb-4 text-2xl font-semibold">
        Diagnosis report
        {/* One unit: an id may start with "-", where the line would otherwise break on a phone. */}
        <span className="ml-2 inline-block align-middle font-mono text-sm font-normal whitespace-nowrap text-slate-600">{report.id}</span>
      </h1>
      <ReportView initial={report} total={total} />
    </Shell>,
  );
}

export function renderReportNotFound(): string {
  return doc(
    <Shell title={`Report not found · ${TITLE}`} noindex assets={{ css: ASSETS.css, scripts: [] }}>
      <div className="rounded-lg border border-slate-300 bg-white p-6">
        <h1 className="text-2xl font-semibold">Report not found</h1>
        <p className="mt-2 max-w-prose">
          No report has this link. It may have been deleted by the person who created it, removed after the retention period, or the link was
          copied incompletely.
        </p>
        <p className="mt-4">
          <a href="/" className="btn btn-primary">
            Run a new diagnosis
          </a>
        </p>
      </div>
    </Shell>,
  );
}

export function renderReportUnavailable(message: string): string {
  return doc(
    <Shell title={`Report unavailable · ${TITLE}`} noindex assets={{ css: ASSETS.css, scripts: [] }}>
      <div role="alert" className="rounded-lg border border-red-700 bg-white p-6">
        <h1 className="text-2xl font-semibold">The report cannot be read right now</h1>
        <p className="mt-2 max-w-prose">{message}</p>
      </div>
    </Shell>,
  );
}
