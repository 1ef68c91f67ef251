// The paste benchmark's measuring program (bundled by scripts/bench/paste.mjs, run as its own process): times
// detection + parsing (parsePastes, what the `paste` collector runs) on hostile inputs of about 1 MB, and prints
// one JSON line per input. Issue 6 asks that no input keeps a parser busy for more than 100 ms; tests do not
// assert time, so this measures it.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePastes } from '@/lib/paste/detect';
import { LIMITS } from '@/lib/report/submission';
import { SAMPLE_COMMANDS } from '@/test/paste/variants';

const [sampleDir, runsArg] = process.argv.slice(2);
const RUNS = Math.max(1, Number(runsArg) || 7);
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

/** Repeats `s` (joined by `sep`) until it reaches `size` characters, cut there. */
const fill = (s: string, size = MB, sep = '') => {
  const unit = s + sep;
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
};

// A seeded generator, so every run of the bench times the same random text.
let seed = 0x2545f491;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};

function randomText(size: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :.,-_=>"[]{}()/\\@';
  const out: string[] = [];
  let n = 0;
  while (n < size) {
    const len = Math.floor(rnd() * 120);
    let line = '';
    for (let i = 0; i < len; i++) line += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(line);
    n += len + 1;
  }
  return out.join('\n').slice(0, size);
}

function randomUnicode(size: number): string {
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const r = rnd();
    out.push(r < 0.05 ? '\n' : String.fromCharCode(r < 0.5 ? 0x20 + Math.floor(rnd() * 0x5f) : Math.floor(rnd() * 0xffff)));
  }
  return out.join('');
}

const files = readdirSync(sampleDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const samples = Object.fromEntries(files.map((f) => [f.replace(/\.txt$/, ''), readFileSync(path.join(sampleDir, f), 'utf8')]));
const withPrompt = (name: string) => {
  const cmd = SAMPLE_COMMANDS[name.replace(/\.(broken|healthy)$/, '')];
  return cmd ? `PS C:\\> ${cmd}\n${samples[name]}` : samples[name];
};
const allKinds = Object.keys(samples).map(withPrompt).join('\n');
const bytes = randomBytes(MB);

const inputs: [string, string][] = [
  ['random text (printable, 0-120 columns)', randomText(MB)],
  ['random UTF-16 code units (512K)', randomUnicode(MB / 2)],
  ['1 MB of random bytes read as UTF-8', bytes.toString('utf8')],
  ['1 MB of random bytes read as Latin-1', bytes.toString('latin1')],
  ['512K lines of "{"', '{\n'.repeat(MB / 2)],
  ['512K lines of "x"', 'x\n'.repeat(MB / 2)],
  ['1M empty lines', '\n'.repeat(MB)],
  ['one 1 MB line of "["', '['.repeat(MB)],
  ['one 1 MB line of "x"', 'x'.repeat(MB)],
  ['64 lines of 16 KB', fill(`${'y'.repeat(16 * 1024)}\n`)],
  ['unterminated JSON string of \\"', `{"a":"${'\\"'.repeat(MB / 4)}`],
  ['claim rule opener + 1 MB', `c:[Type == "${'a'.repeat(MB)}`],
  ['Format-List continuation lines', `AuthorityType : RootAuthority\n${'    x\n'.repeat(MB / 6)}`],
  ['"A: b" lines', 'A: b\n'.repeat(MB / 5)],
  ['prompt lines only', fill('PS C:\\> netsh http show sslcert\n')],
  ...Object.keys(samples).map((k): [string, string] => [`${k} repeated to 1 MB`, fill(samples[k], MB, '\n')]),
  ['all kinds concatenated, with prompts, to 1 MB', fill(allKinds, MB, '\n')],
  ['all kinds concatenated, CRLF, to 1 MB', fill(allKinds.replace(/\n/g, '\r\n'), MB, '\r\n')],
];

function time(text: string) {
  // One untimed run, so the first timed run does not pay for compiling the parsers.
  let r = parsePastes([{ name: 'bench', text }]);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc?.();
    const t = performance.now();
    r = parsePastes([{ name: 'bench', text }]);
    ms.push(performance.now() - t);
  }
  return { r, ms };
}

for (const [name, text] of inputs) {
  const { r, ms } = time(text);
  // The portal refuses a paste over LIMITS.maxPasteBytes; the CLI reads --paste files up to lib/paste's own cap.
  const portal = time(text.slice(0, LIMITS.maxPasteBytes)).ms;
  const lines = text.split(/\r\n|\r|\n/).length;
  const kinds = [...new Set(r.blocks.map((b) => b.kind))];
  process.stdout.write(
    JSON.stringify({ name, chars: text.length, bytes: Buffer.byteLength(text), lines, ms, portal, blocks: r.blocks.length, unknown: r.unknown.length, kinds }) + '\n',
  );
}
