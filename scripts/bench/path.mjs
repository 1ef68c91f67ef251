// `npm run bench -- --only path`: time to verdict for path building over 50 cross-signed CAs in one upload
// (scripts/bench/path.ts, bundled and run as its own process). Prints a Markdown table.
import { bundleBench } from './bundle.mjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchPath({ root, runs = 5 }) {
  const { outfile } = await bundleBench(root, 'path', ['better-sqlite3']);
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
