// Bundles a bench's TypeScript driver (scripts/bench/<name>.ts) into .bench/<name>.mjs with esbuild, so the measured
// process does not transpile. Native and server packages stay external and load from node_modules.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export async function bundleBench(root, name, external = []) {
  const benchDir = path.join(root, '.bench');
  mkdirSync(benchDir, { recursive: true });
  const outfile = path.join(benchDir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(root, 'scripts', 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias: { '@': root },
    // tinypool starts its threads from its own files (lib/worker/pool.ts): never bundled.
    external: ['tinypool', ...external],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return { benchDir, outfile };
}
