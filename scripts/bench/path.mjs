// `npm run bench -- --only path`: time to verdict for path building over 50 cross-signed CAs in one upload
// (scripts/bench/path.ts, bundled and run as its own process). Prints a Markdown table.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchPath({ root, runs = 5 }) {
  const benchDir = path.join(root, '.bench');
  mkdirSync(benchDir, { recursive: true });
  const outfile = path.join(benchDir, 'path.mjs');
  await build({
    entryPoints: [path.join(root, 'scripts/bench/path.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias: { '@': root },
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, [outfile, String(runs)], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`path bench failed: ${r.stderr}`);
  const x = JSON.parse(r.stdout.trim().split('\n').pop());
  const f = (v) => v.toFixed(0);
  return [
    `Path building: 50 CAs cross-signed in a ring (${x.certs} certificates in one upload, files shuffled each run), whole offline diagnosis to verdict, ${runs} timed runs after one untimed, ${new Date().toISOString().slice(0, 10)}, node ${process.version}.`,
    '',
    '| certificates | candidate paths built | search bounded | chosen path | median | max | same verdict in every order |',
    '| ---: | ---: | --- | ---: | ---: | ---: | --- |',
    `| ${x.certs} | ${x.tried} | ${x.bounded ? 'yes' : 'no'} | ${x.length} certificates | ${f(median(x.ms))} ms | ${f(Math.max(...x.ms))} ms | ${x.sameVerdict ? 'yes' : 'NO'} |`,
    '',
  ].join('\n');
}
