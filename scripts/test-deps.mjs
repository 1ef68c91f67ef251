// `npm test` needs a few Debian packages besides node_modules: Chromium (browser tests), PostgreSQL's server binaries
// (the store and queue tests start a throwaway cluster) and nginx with its stream module (the deploy config test).
// On a fresh machine, as root with apt-get, install whichever are missing in one go, as scripts/e2e.mjs does for
// Chromium; otherwise say exactly what to install. Nothing is installed when everything is there.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const hasPgBinaries = () => {
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
};
const wanted = [
  ['chromium', () => existsSync(process.env.CBA_DOCTOR_CHROMIUM || '/usr/bin/chromium')],
  ['postgresql', hasPgBinaries],
  ['nginx', () => existsSync('/usr/sbin/nginx')],
  ['libnginx-mod-stream', () => existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')],
];
const missing = wanted.filter(([, present]) => !present()).map(([name]) => name);
if (missing.length) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`test: installing Debian packages the tests need: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const ok =
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env }).status === 0;
    if (!ok) {
      console.error(`test: installing failed. Install them by hand: apt-get install -y ${missing.join(' ')}`);
      process.exit(1);
    }
    // Debian's postgresql package starts a system cluster; the tests run their own.
    if (missing.includes('postgresql')) spawnSync('service', ['postgresql', 'stop'], { stdio: 'ignore' });
  } else {
    console.error(`test: these Debian packages are missing: ${missing.join(' ')}. As root: apt-get update && apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
}
