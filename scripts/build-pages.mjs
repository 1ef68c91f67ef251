// The portal's two pages without Next's client runtime (issue 10's first-load budgets): the form and the report are
// rendered by dist/pages.mjs (react-dom/server, called from the route handlers app/route.ts and app/r/[id]/route.ts),
// and the browser gets only what is interactive, built here into public/assets with content-hashed names:
//   form-<hash>.js    React and the form, hydrating the server-rendered form (components/islands/form.tsx)
//   report-<hash>.js  a few kB of plain script for the report page (components/islands/report.ts), and the Markdown
//                     export as a chunk loaded when asked for
//   app-<hash>.css    Tailwind, from app/globals.css (the App Router's own pages, such as not-found, load it too)
// The asset names are baked into dist/pages.mjs. Run by scripts/build-cli.mjs (npm ci, npm start, the test setup).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';
import tailwind from '@tailwindcss/postcss';

export async function buildPages(root) {
  const out = path.join(root, 'public', 'assets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const browser = await build({
    entryPoints: { form: path.join(root, 'components/islands/form.tsx'), report: path.join(root, 'components/islands/report.ts') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    jsx: 'automatic',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { '@': root },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const assets = {};
  for (const [file, meta] of Object.entries(browser.metafile.outputs)) {
    const name = meta.entryPoint && path.basename(meta.entryPoint).replace(/\.tsx?$/, '');
    if (name) assets[name] = `/assets/${path.basename(file)}`;
  }
  const cssFrom = path.join(root, 'app', 'globals.css');
  const css = await postcss([tailwind({ base: root, optimize: { minify: true } })]).process(readFileSync(cssFrom, 'utf8'), { from: cssFrom });
  const cssName = `app-${createHash('sha256').update(css.css).digest('hex').slice(0, 10)}.css`;
  writeFileSync(path.join(out, cssName), css.css);
  assets.css = `/assets/${cssName}`;

  await build({
    entryPoints: [path.join(root, 'components/pages/render.tsx')],
    outfile: path.join(root, 'dist', 'pages.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    jsx: 'automatic',
    alias: { '@': root },
    // The server's own React (the default export conditions, not the react-server build Next gives route handlers).
    external: ['react', 'react-dom'],
    define: { __PAGE_ASSETS__: JSON.stringify(assets) },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return assets;
}
