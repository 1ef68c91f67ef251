// `npm start`: builds the portal on first use (or when the sources are newer than the build), then serves it on
// PORT (default 3000). `--build-only` stops after the build (used by scripts/e2e.mjs).
// The report store (CBA_DOCTOR_DB, default ./data/cba-doctor.db) and its directory are created by the server itself.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED = '1';
const buildId = path.join(root, '.next', 'BUILD_ID');
const SOURCE = /\.(tsx?|css|js|mjs|json)$/;

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name.endsWith('.test.ts')) continue;
    const q = path.join(p, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(q));
    else if (SOURCE.test(e.name)) t = Math.max(t, statSync(q).mtimeMs);
  }
  return t;
}

const inputs = ['app', 'components', 'lib', 'public', 'next.config.js', 'instrumentation.ts', 'postcss.config.mjs', 'package-lock.json'];
const stale = !existsSync(buildId) || inputs.some((d) => newest(path.join(root, d)) > statSync(buildId).mtimeMs);
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
if (stale) {
  const r = spawnSync(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// The worker threads' bundle (dist/worker.mjs, with the CLI's): rebuilt when lib/ changed since it was built.
const workerBundle = path.join(root, 'dist', 'worker.mjs');
if (!existsSync(workerBundle) || ['lib', 'package-lock.json'].some((d) => newest(path.join(root, d)) > statSync(workerBundle).mtimeMs)) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (process.argv.includes('--build-only')) process.exit(0);

const port = process.env.PORT || '3000';
// scripts/serve.mjs rather than `next start`: the same build, with request and header timeouts fit for uploads.
const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '-p', port], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
