// The HTML document around the form and report pages (what app/layout.tsx is for the App Router's own pages).
import type { ReactNode } from 'react';
import { SiteChrome } from '@/components/ui/site-chrome';

export interface ShellAssets {
  css: string;
  scripts: string[];
}

/**
 * `noscript`: CSS applied when the browser runs no script, so the page stays whole without it (the report shows every
 * card's details and hides the buttons that need the script).
 */
export function Shell({ title, description, noindex, noscript, assets, children }: { title: string; description?: string; noindex?: boolean; noscript?: string; assets: ShellAssets; children: ReactNode }) {
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
        {noscript && (
          <noscript>
            <style dangerouslySetInnerHTML={{ __html: noscript }} />
          </noscript>
        )}
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased print:bg-white">
        <SiteChrome>{children}</SiteChrome>
      </body>
    </html>
  );
}
