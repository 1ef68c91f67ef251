// A check card's Details toggle, as server-rendered markup: the report page's script (components/islands/report.ts)
// toggles it. The card's header and body are passed in, so the evidence adds no JavaScript to the page.
import type { ReactNode } from 'react';

export function CardDisclosure({ initiallyOpen, title, bodyId, header, children }: { initiallyOpen: boolean; title: string; bodyId: string; header: ReactNode; children: ReactNode }) {
  return (
    <>
      <div className="flex flex-wrap items-start gap-3 p-4 sm:flex-nowrap">
        {header}
        <button type="button" className="btn ml-auto shrink-0 px-2 py-1 text-xs print:hidden" aria-expanded={initiallyOpen} aria-controls={bodyId} data-disclosure="">
          <span data-disclosure-label="">{initiallyOpen ? 'Hide details' : 'Details'}</span>
          <span className="sr-only"> for {title}</span>
        </button>
      </div>
      <div id={bodyId} data-disclosure-body="" className={`space-y-4 border-t border-slate-200 px-4 pt-3 pb-4 ${initiallyOpen ? '' : 'hidden print:block'}`}>
        {children}
      </div>
    </>
  );
}
