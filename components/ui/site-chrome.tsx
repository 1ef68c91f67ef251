// What every page has around its content: the skip link, the header and the main landmark. Used by the form and report
// pages' document (components/pages/shell.tsx) and by the App Router's layout (its not-found and error pages).
import type { ReactNode } from 'react';

export function SiteChrome({ children }: { children: ReactNode }) {
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:p-2 focus:shadow">
        Skip to content
      </a>
      {/* Plain <a> links: nothing here needs client-side navigation. */}
      <header className="border-b border-slate-300 bg-white print:border-0">
        <div className="mx-auto flex max-w-4xl flex-wrap items-baseline justify-between gap-x-4 px-4 py-3">
          <a href="/" className="text-lg font-semibold text-slate-900">
            CBA Doctor
          </a>
          <span className="text-sm text-slate-600">Certificate-based authentication diagnostics for Microsoft Entra ID</span>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-4xl px-4 py-8 print:py-0">
        {children}
      </main>
    </>
  );
}
