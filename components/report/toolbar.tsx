// Report actions, as server-rendered markup; components/islands/report.ts wires them. Delete stays hidden unless this
// browser holds the report's deletion token (kept by the form, or handed over by the certauth listener).
import { CopyButton } from '@/components/ui/copy-button';

export function Toolbar({ id }: { id: string }) {
  return (
    <div className="flex flex-wrap gap-2 print:hidden" role="toolbar" aria-label="Report actions" data-toolbar={id}>
      <CopyButton action="link" label="Copy link" />
      {/* Loaded on demand: most visitors never copy Markdown, so it stays out of the first load. */}
      <CopyButton action="markdown" label="Copy as Markdown" />
      <a className="btn" href={`/api/reports/${id}`} download={`cba-doctor-${id}.json`}>
        Download JSON
      </a>
      <button type="button" className="btn" data-print="">
        Print or save as PDF
      </button>
      <button type="button" className="btn btn-danger" data-delete="" hidden>
        Delete report
      </button>
      <p role="status" className="w-full text-sm text-red-800 empty:hidden" data-toolbar-message="" />
    </div>
  );
}
