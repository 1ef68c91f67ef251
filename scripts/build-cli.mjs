// Bundles the CLI into dist/cli.mjs once (npm ci runs this through "prepare"), so every run starts
// without transpiling TypeScript. Also bundles dist/store-check.mjs, the store check `npm start` runs first.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundles = [
  ['lib/cli/entry.ts', 'dist/cli.mjs'],
  ['scripts/store-check.ts', 'dist/store-check.mjs'],
];
for (const [entry, out] of bundles) await build({
  entryPoints: [path.join(root, entry)],
  outfile: path.join(root, out),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  alias: { '@': root },
  external: ['better-sqlite3', 'pg', 'pg-native'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
