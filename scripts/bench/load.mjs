// `npm run bench -- --only load`: bundles scripts/bench/load.ts and runs it (PostgreSQL, two instances, nginx).
// Builds the portal first when the build is missing or stale. Options: --n 200 --concurrency 20 --kill-n 100
// --crl-delay 100 --max-concurrent 4 --deadline 20.
import { bundleBench } from './bundle.mjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export async function benchLoad({ root, argv }) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--build-only'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) throw new Error('the portal build failed');
  const { outfile } = await bundleBench(root, 'load', ['pg', 'pg-native', 'better-sqlite3']);
  const r = spawnSync(process.execPath, [outfile, root, ...argv], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) process.exitCode = 1;
  return r.stdout;
}
