// Browser and API tests against the production build: makes sure Chromium is there (installs Debian's package
// when running as root), builds the portal when the build is missing or stale, then runs e2e/*.e2e.test.ts.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CBA_DOCTOR_CHROMIUM || '/usr/bin/chromium';
process.env.NEXT_TELEMETRY_DISABLED = '1';

if (!existsSync(chromium)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('e2e: Chromium is missing; installing Debian\'s chromium package…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }).status === 0;
    if (!ok || !existsSync(chromium)) {
      console.error('e2e: installing chromium failed. Install it by hand: apt-get install -y chromium');
      process.exit(1);
    }
  } else {
    console.error(`e2e: no Chromium at ${chromium}. Install Debian's package (as root: apt-get update && apt-get install -y chromium),\n     or point CBA_DOCTOR_CHROMIUM at a Chromium binary.`);
    process.exit(1);
  }
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--build-only'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CBA_DOCTOR_CHROMIUM: chromium },
});
process.exit(r.status ?? 1);
