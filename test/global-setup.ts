// Bundle the CLI once per test run, as `npm ci` (prepare) does, so CLI tests exercise the current sources.
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' }); // also dist/store-check.mjs
}
