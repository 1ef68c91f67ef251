import { useId, type ReactNode } from 'react';

/**
 * A section that opens and closes (disclosure button + region). Not <details>: while a closed <details> is on the
 * page, Chromium takes seconds to select all text in a large textarea (40 s for a 1 MB paste, measured headless),
 * and pastes are exactly that.
 */
export function Disclosure({ title, open, onToggle, children }: { title: string; open: boolean; onToggle: (open: boolean) => void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="rounded-md border border-slate-300 bg-white p-4">
      <button type="button" className="flex w-full cursor-pointer items-center gap-2 text-left font-medium" aria-expanded={open} aria-controls={id} onClick={() => onToggle(!open)}>
        <span aria-hidden="true" className="inline-block w-3 text-slate-600">
          {open ? '▾' : '▸'}
        </span>
        {title}
      </button>
      <div id={id} hidden={!open}>
        {children}
      </div>
    </div>
  );
}
