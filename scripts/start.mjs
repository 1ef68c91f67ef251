// `npm start`: builds the portal on first use (or when the sources are newer than the build), then serves it on
// PORT (default 3000). `--build-only` stops after the build (used by scripts/e2e.mjs).
// The report store (CBA_DOCTOR_DB, default ./data/cba-doctor.db, or CBA_DOCTOR_DATABASE_URL) is checked first
// (dist/store-check.mjs): a store that cannot be used stops here with one line naming the setting and the problem.
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

// The store first: a store that cannot be used is reported in one line, before a build of several minutes.
if (!process.argv.includes('--build-only')) {
  const storeCheck = path.join(root, 'dist', 'store-check.mjs');
  if (!existsSync(storeCheck)) spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
  const checked = spawnSync(process.execPath, [storeCheck], { cwd: root, stdio: 'inherit' });
  if (checked.status !== 0) process.exit(checked.status ?? 1);
}

// The bundles of scripts/build-cli.mjs: the worker threads' module (dist/worker.mjs, with the CLI's) and the form and
// report pages (dist/pages.mjs and public/assets): rebuilt when their sources changed since they were built.
const bundles = ['worker.mjs', 'pages.mjs'].map((f) => path.join(root, 'dist', f));
const bundleSources = ['lib', 'components', 'app/globals.css', 'scripts/build-pages.mjs', 'package-lock.json'];
const built = Math.min(...bundles.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
if (bundleSources.some((d) => newest(path.join(root, d)) > built)) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// Then the Next build (public/ holds the page assets just built, so they come first).
const inputs = ['app', 'components', 'lib', 'public', 'next.config.js', 'instrumentation.ts', 'postcss.config.mjs', 'package-lock.json'];
const stale = !existsSync(buildId) || inputs.some((d) => newest(path.join(root, d)) > statSync(buildId).mtimeMs);
const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
if (stale) {
  const r = spawnSync(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (process.argv.includes('--build-only')) process.exit(0);

// The certauth listener (CBA_DOCTOR_CERTAUTH_PORT) needs a server certificate; for local use, make a self-signed one
// under ./data once, next to the report store, and say so.
if (process.env.CBA_DOCTOR_CERTAUTH_PORT && !(process.env.CBA_DOCTOR_CERTAUTH_CERT && process.env.CBA_DOCTOR_CERTAUTH_KEY)) {
  const { ensureCertauthPair } = await import('./certauth-cert.mjs');
  const dir = path.join(root, 'data');
  const pair = await ensureCertauthPair(dir);
  process.env.CBA_DOCTOR_CERTAUTH_CERT = pair.certFile;
  process.env.CBA_DOCTOR_CERTAUTH_KEY = pair.keyFile;
  console.warn(
    `cba-doctor: WARNING: the certauth listener uses a self-signed certificate (${path.relative(root, pair.certFile)}${pair.created ? ', created now' : ''}); ` +
      'browsers will warn before the certificate test. Set CBA_DOCTOR_CERTAUTH_CERT and CBA_DOCTOR_CERTAUTH_KEY for anything but local use.',
  );
}

const port = process.env.PORT || '3000';
// scripts/serve.mjs rather than `next start`: the same build, with request and header timeouts fit for uploads.
const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '-p', port], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
