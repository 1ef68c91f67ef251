// `npm run bench -- --only paste`: detection + parsing of pasted command output on hostile inputs of about 1 MB
// (random text, binary bytes, 512K lines of "{", very long lines, each sample repeated, all kinds concatenated).
// Bundles scripts/bench/paste.ts and runs it as its own process with --expose-gc (a collection between runs keeps
// one input's garbage out of the next one's time), then prints a Markdown table: median and max per input,
// flagged against issue 6's 100 ms. --strict exits 1 when an input's max is over the limit.
import { bundleBench } from './bundle.mjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const PASTE_LIMIT_MS = 100;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Returns the Markdown report; sets process.exitCode with `strict` when an input is over the limit. */
export async function benchPaste({ root, runs = 7, strict = false }) {
  const { outfile } = await bundleBench(root, 'paste', []);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile, path.join(root, 'test/fixtures/paste'), String(runs)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`paste bench failed: ${r.stderr}`);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

  const f = (x) => x.toFixed(1);
  const lines = [
    `Paste benchmark: detection + parsing (parsePastes), ${runs} timed runs per input after one untimed, in one process, ${new Date().toISOString().slice(0, 10)}, node ${process.version}. Limit ${PASTE_LIMIT_MS} ms per input (issue 6).`,
    '',
    '| input | size | lines | median | max | found | within limit | median, first 256K chars (portal cap) |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | ---: |',
  ];
  let over = 0;
  for (const x of rows) {
    const med = median(x.ms);
    const max = Math.max(...x.ms);
    const verdict = max <= PASTE_LIMIT_MS ? 'yes' : med <= PASTE_LIMIT_MS ? 'median only' : 'NO';
    if (max > PASTE_LIMIT_MS) over++;
    const found = x.blocks ? `${x.blocks} blocks (${x.kinds.join(', ')})${x.unknown ? `, ${x.unknown} unrecognised` : ''}` : x.unknown ? `${x.unknown} unrecognised` : 'nothing';
    lines.push(`| ${x.name} | ${(x.bytes / 1024).toFixed(0)} KB | ${x.lines.toLocaleString('en-US')} | ${f(med)} ms | ${f(max)} ms | ${found} | ${verdict} | ${f(median(x.portal))} ms |`);
  }
  const worst = rows.reduce((a, b) => (Math.max(...b.ms) > Math.max(...a.ms) ? b : a));
  lines.push(
    '',
    over
      ? `${over} of ${rows.length} inputs went over ${PASTE_LIMIT_MS} ms at least once (worst: ${worst.name}, ${f(Math.max(...worst.ms))} ms).`
      : `All ${rows.length} inputs stayed within ${PASTE_LIMIT_MS} ms (worst: ${worst.name}, ${f(Math.max(...worst.ms))} ms).`,
  );
  if (strict && over) process.exitCode = 1;
  return lines.join('\n') + '\n';
}
