// The HTML document around the form and report pages (what app/layout.tsx is for the App Router's own pages).
import type { ReactNode } from 'react';

export interface ShellAssets {
  css: string;
  scripts: string[];
}

export function Shell({ title, description, noindex, assets, children }: { title: string; description?: string; noindex?: boolean; assets: ShellAssets; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {description && <meta name="description" content={description} />}
        {noindex && <meta name="robots" content="noindex, nofollow" />}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={assets.css} />
        {assets.scripts.map((src) => (
          <script key={src} type="module" src={src} />
        ))}
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased print:bg-white">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:p-2 focus:shadow">
          Skip to content
        </a>
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
      </body>
    </html>
  );
}
