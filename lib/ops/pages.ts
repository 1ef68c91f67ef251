// The server-rendered form and report pages (dist/pages.mjs, built by scripts/build-pages.mjs), loaded at run time by
// the route handlers: Next forbids react-dom/server in a route handler's own imports, and these pages ship without
// Next's client runtime (issue 10's first-load budgets). The import is hidden from the bundler on purpose.
import { pathToFileURL } from 'node:url';
import type * as Pages from '@/components/pages/render';
import { findDistFile } from './dist';

type PagesModule = typeof Pages;
let loaded: Promise<PagesModule> | undefined;

export function pages(): Promise<PagesModule> {
  loaded ??= (async () => {
    const file = findDistFile('pages.mjs');
    if (!file) throw new Error('dist/pages.mjs is missing: build it with `npm run build:cli` (npm ci and npm start do this)');
    return (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(file).href)) as PagesModule;
  })();
  // A failed load is tried again on the next request (the file may be being rebuilt).
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

export function htmlResponse(html: string, status = 200): Response {
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
