// `npm run bench`: times CRL processing as whole processes, ours against openssl, on CRLs of 10k, 100k
// and 1M entries (generated once and cached under .bench/), and prints a Markdown table.
//
//   openssl           openssl crl -inform DER -in X -noout                (parse only)
//   openssl -CAfile   openssl crl -inform DER -in X -CAfile ca.pem -noout (parse + signature)
//   probe             node .bench/probe.mjs: our parse + signature verification + full entry walk
//                     looking up the user's serial (scripts/bench/probe.ts, bundled)
//   cli               bin/cba-doctor diagnose --offline --json --cert user.cer --cert ca.cer --crl X
//
// Targets on the 1M-entry CRL: wall time at most 0.5x openssl's (plain parse, the stricter comparison)
// and peak RSS at most 150 MB. Options: --runs N (default 5), --sizes 10000,100000, --fresh (regenerate),
// --strict (exit 1 when a 1M target is not met).
//
// Then the path-building benchmark (scripts/bench/path.mjs): 50 cross-signed CAs in one upload, time to verdict.
// Then the paste benchmark (scripts/bench/paste.mjs): parsing pasted command output, hostile 1 MB inputs, against
// issue 6's 100 ms. --only crl or --only paste runs one part; --runs and --strict apply to both.
//
// `--only load` (not part of the default run: it needs PostgreSQL and nginx) runs scripts/bench/load.mjs: two portal
// instances on PostgreSQL behind deploy/nginx.conf, throughput and time to a complete report, then one instance killed.
// Then the heavy-upload benchmark (scripts/bench/uploads.mjs): latency of unrelated portal requests while 4 clients
// upload 20 files of 250 certificates each, against issue 16's 100 ms p99. --only uploads runs it alone; --root DIR
// measures another checkout's build (e.g. an older commit) with this one's data and client; --profile DIR writes the
// portal's CPU profiles (main thread and workers, .cpuprofile) to DIR.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPaste } from './bench/paste.mjs';
import { benchLoad } from './bench/load.mjs';
import { benchPath } from './bench/path.mjs';
import { benchUploads } from './bench/uploads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const dataDir = path.join(benchDir, 'data');
const FORMAT = 2; // bump when the generated files change shape

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const runs = Number(option('runs', '5'));
const sizes = option('sizes', '10000,100000,1000000').split(',').map(Number);
const fresh = process.argv.includes('--fresh');
const TARGET_RATIO = 0.5;
const TARGET_RSS_MB = 150;

async function bundle() {
  mkdirSync(benchDir, { recursive: true });
  for (const n of ['generate', 'probe']) {
    await build({
      entryPoints: [path.join(root, 'scripts/bench', `${n}.ts`)],
      outfile: path.join(benchDir, `${n}.mjs`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      alias: { '@': root },
      logLevel: 'warning',
    });
  }
}

function ensureData() {
  const manifestPath = path.join(dataDir, 'manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    manifest = undefined;
  }
  const ok =
    !fresh &&
    manifest?.format === FORMAT &&
    Date.now() - manifest.created < 30 * 86_400_000 &&
    sizes.every((n) => manifest.files[n] && existsSync(manifest.files[n]));
  if (ok) return manifest;
  rmSync(dataDir, { recursive: true, force: true });
  const all = [...new Set([...sizes, 10_000, 100_000, 1_000_000])].sort((a, b) => a - b);
  process.stderr.write(`generating CRLs with ${all.join(', ')} entries in .bench/data ...\n`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [path.join(benchDir, 'generate.mjs'), dataDir, ...all.map(String)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generator failed: ${r.stderr}`);
  manifest = { format: FORMAT, created: Date.now(), ...JSON.parse(r.stdout) };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  process.stderr.write(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return manifest;
}

const haveGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

/** Runs a command once as a whole process: wall time (ms), peak RSS (MB), exit status, output. */
function measure(cmd, args, rssFromStdout) {
  const full = haveGnuTime ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 64 << 20, cwd: root });
  const ms = performance.now() - t;
  let rssMb;
  const m = haveGnuTime && /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (m) rssMb = Number(m[1]) / 1024;
  else if (rssFromStdout) {
    try {
      rssMb = JSON.parse(r.stdout.trim().split('\n').pop()).maxRssKb / 1024;
    } catch {
      /* no RSS figure */
    }
  }
  return { ms, rssMb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function cliUsesCrl(out) {
  // The CLI reads the CRL once its --crl collector and CRL checks are wired; until then its time says
  // nothing about CRLs.
  try {
    const checks = JSON.parse(out).checks ?? [];
    return checks.some((c) => (c.id === 'crl.signature' || c.id === 'crl.revocation') && ['pass', 'warn', 'fail'].includes(c.status));
  } catch {
    return false;
  }
}

async function main() {
  await bundle();
  const data = ensureData();
  const cliBundle = path.join(root, 'dist', 'cli.mjs');
  if (!existsSync(cliBundle)) spawnSync(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
  const rows = [];
  for (const n of sizes) {
    const crl = data.files[n];
    const mb = statSync(crl).size / 1e6;
    const variants = {
      openssl: ['openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout']],
      'openssl -CAfile': ['openssl', ['crl', '-inform', 'DER', '-in', crl, '-CAfile', data.caPem, '-noout']],
      probe: [process.execPath, [path.join(benchDir, 'probe.mjs'), crl, data.ca, data.user]],
      cli: [process.execPath, [path.join(root, 'bin', 'cba-doctor'), 'diagnose', '--offline', '--json', '--cert', data.user, '--cert', data.ca, '--crl', crl]],
    };
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    let cliReadsCrl = false;
    // Interleaved so that noise from other work on the machine spreads over every variant alike.
    for (let i = 0; i < runs; i++) {
      for (const [k, [cmd, args]] of Object.entries(variants)) {
        const r = measure(cmd, args, k === 'probe');
        if (k === 'probe' && r.status !== 0) throw new Error(`probe failed on ${n} entries: ${r.stdout} ${r.stderr}`);
        if (k.startsWith('openssl') && r.status !== 0) throw new Error(`openssl failed on ${n} entries: ${r.stderr}`);
        if (k === 'cli' && i === 0) cliReadsCrl = cliUsesCrl(r.stdout);
        samples[k].push(r);
      }
    }
    const stat = (k) => ({ ms: median(samples[k].map((s) => s.ms)), rss: Math.max(...samples[k].map((s) => s.rssMb ?? NaN)) });
    rows.push({ n, mb, openssl: stat('openssl'), opensslCa: stat('openssl -CAfile'), probe: stat('probe'), cli: stat('cli'), cliReadsCrl });
    process.stderr.write(`${n} entries done\n`);
  }

  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const lines = [
    `CRL benchmark: median of ${runs} runs each, whole processes, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim()}`,
    '',
    '| entries | CRL size | openssl crl (parse) | openssl crl -CAfile (parse + signature) | cba-doctor CRL path (parse + signature + walk) | ratio to openssl parse | ratio to openssl -CAfile | cba-doctor diagnose (whole CLI) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.n.toLocaleString('en-US')} | ${f(r.mb, 1)} MB | ${f(r.openssl.ms)} ms, ${f(r.openssl.rss)} MB | ${f(r.opensslCa.ms)} ms, ${f(r.opensslCa.rss)} MB | ` +
        `${f(r.probe.ms)} ms, ${f(r.probe.rss)} MB | ${f(r.probe.ms / r.openssl.ms, 2)}x | ${f(r.probe.ms / r.opensslCa.ms, 2)}x | ` +
        `${f(r.cli.ms)} ms, ${f(r.cli.rss)} MB${r.cliReadsCrl ? '' : ' (CRL not yet read by the CLI)'} |`,
    );
  }
  const big = rows.find((r) => r.n === 1_000_000);
  lines.push('');
  if (big) {
    const ratio = big.probe.ms / big.openssl.ms;
    const timeOk = ratio <= TARGET_RATIO;
    const rssOk = big.probe.rss <= TARGET_RSS_MB;
    lines.push(`1M-entry targets (CRL path): time ${f(ratio, 2)}x openssl (target <= ${TARGET_RATIO}x) ${timeOk ? 'MET' : 'NOT MET'}; peak RSS ${f(big.probe.rss)} MB (target <= ${TARGET_RSS_MB} MB) ${rssOk ? 'MET' : 'NOT MET'}.`);
    if (process.argv.includes('--strict') && !(timeOk && rssOk)) process.exitCode = 1;
    if (big.cliReadsCrl) {
      const cliRatio = big.cli.ms / big.openssl.ms;
      lines.push(
        `1M-entry targets (whole CLI): time ${f(cliRatio, 2)}x openssl ${cliRatio <= TARGET_RATIO ? 'MET' : 'NOT MET'}; peak RSS ${f(big.cli.rss)} MB ${big.cli.rss <= TARGET_RSS_MB ? 'MET' : 'NOT MET'}.`,
      );
    } else lines.push('The CLI does not read --crl files yet, so its column times the CLI without CRL work.');
  } else lines.push('(1M-entry targets not judged: run with the 1000000 size.)');
  process.stdout.write(lines.join('\n') + '\n');
}

const only = option('only', 'all');
async function run() {
  if (!['all', 'crl', 'paste', 'load', 'path', 'uploads'].includes(only)) throw new Error(`--only takes crl, paste, load, path or uploads, not "${only}"`);
  if (only === 'load') {
    const i = process.argv.indexOf('--only');
    process.stdout.write(await benchLoad({ root, argv: process.argv.slice(2).filter((_, j) => j !== i - 2 && j !== i - 1) }));
    return;
  }
  if (only === 'path') return void process.stdout.write(await benchPath({ root, runs }));
  const strict = process.argv.includes('--strict');
  if (only === 'all' || only === 'crl') await main();
  if (only === 'all') process.stdout.write('\n');
  if (only === 'all' || only === 'paste') process.stdout.write(await benchPaste({ root, runs: option('runs') ? runs : 7, strict }));
  if (only === 'all') process.stdout.write('\n' + (await benchPath({ root, runs })) + '\n');
  if (only === 'all' || only === 'uploads') process.stdout.write(await benchUploads({ root, serverRoot: path.resolve(option('root', root)), clients: Number(option('clients', '4')), strict, profileDir: option('profile') && path.resolve(option('profile')) }));
}

run().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}${e?.cause ? ` (${e.cause.message ?? e.cause})` : ''}\n`);
  process.exitCode = 1;
});
