'use client';
// The only interactive part of a check card: the Details toggle. The card's header and body are rendered on the
// server and passed in, so the evidence tables add no JavaScript to the report page.
import { useState, type ReactNode } from 'react';

export function CardDisclosure({ initiallyOpen, title, bodyId, header, children }: { initiallyOpen: boolean; title: string; bodyId: string; header: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <>
      <div className="flex flex-wrap items-start gap-3 p-4 sm:flex-nowrap">
        {header}
        <button type="button" className="btn ml-auto shrink-0 px-2 py-1 text-xs print:hidden" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
          {open ? 'Hide details' : 'Details'}
          <span className="sr-only"> for {title}</span>
        </button>
      </div>
      <div id={bodyId} className={`space-y-4 border-t border-slate-200 px-4 pt-3 pb-4 ${open ? '' : 'hidden print:block'}`}>
        {children}
      </div>
    </>
  );
}
