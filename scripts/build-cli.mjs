// Bundles the CLI into dist/cli.mjs, the worker threads' module into dist/worker.mjs and dist/store-check.mjs (the store
// check `npm start` runs first) once (npm ci runs this through "prepare"; `npm start` and the test setup run it again when
// the sources changed), so none transpiles TypeScript when it starts. The portal's worker pool (lib/worker) loads dist/worker.mjs;
// the form and report pages are dist/pages.mjs with public/assets (scripts/build-pages.mjs).
import { build } from 'esbuild';
import { buildPages } from './build-pages.mjs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  alias: { '@': root },
  // tinypool starts threads from its own files, so it is loaded from node_modules, never bundled.
  external: ['better-sqlite3', 'pg', 'pg-native', 'tinypool'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
};
await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'lib/cli/entry.ts')], outfile: path.join(root, 'dist/cli.mjs') }),
  build({ ...common, entryPoints: [path.join(root, 'scripts/store-check.ts')], outfile: path.join(root, 'dist/store-check.mjs') }),
  build({ ...common, entryPoints: [path.join(root, 'lib/worker/entry.ts')], outfile: path.join(root, 'dist/worker.mjs') }),
  // The form and report pages: dist/pages.mjs and their browser assets in public/assets (build-pages.mjs).
  buildPages(root),
]);
