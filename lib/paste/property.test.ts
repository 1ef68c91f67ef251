// Property-based tests: no input crashes the parsers, and detection does not depend on line endings or
// on how many blank lines separate outputs. (Speed is measured by the bench script, not asserted here.)
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePaste, parsePastes } from './detect';
import { digestAll } from '@/test/paste/digest';
import { SAMPLE_DIR, crlf, sample, withPrompt } from '@/test/paste/variants';
import { PASTE_KINDS, type PasteResult } from './types';

const FILES = readdirSync(SAMPLE_DIR).filter((f) => f.endsWith('.txt'));
const LINES = [...new Set(FILES.flatMap((f) => sample(f).split('\n')))];
const COMMANDS = ['Get-AdfsAuthenticationProvider', 'netsh http show urlacl', 'certutil -verifystore root', '(Get-AdfsRelyingPartyTrust -Name "x").IssuanceTransformRules', 'Get-Foo'];

function wellFormed(r: PasteResult, text: string) {
  const total = text.split(/\r\n|\r|\n/).length;
  for (const b of [...r.blocks, ...r.unknown]) {
    expect(b.firstLine).toBeGreaterThanOrEqual(1);
    expect(b.lastLine).toBeGreaterThanOrEqual(b.firstLine);
    expect(b.lastLine).toBeLessThanOrEqual(Math.max(total, 1));
    expect(b.lines).toBe(b.lastLine - b.firstLine + 1);
  }
  for (const b of r.blocks) expect(PASTE_KINDS).toContain(b.kind);
  const ranges = [...r.blocks, ...r.unknown].map((b) => [b.firstLine, b.lastLine]).sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1]);
  // Results are plain data: they survive a JSON round trip unchanged (the report and the store keep them that way),
  // so no Date, Map, Set or NaN hides in them.
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

const noisyLine = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '{', '[', '}', '"', 'PS C:\\>', ...COMMANDS.map((c) => `PS C:\\> ${c}`), '=>', 'c:[Type == "', '@RuleName = "') },
);

describe('parsers never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => wellFormed(parsePaste(s), s)),
      { numRuns: 300 },
    );
  });

  it('on arbitrary bytes read as UTF-8 or Latin-1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.boolean(), (bytes, latin) => {
        const s = Buffer.from(bytes).toString(latin ? 'latin1' : 'utf8');
        wellFormed(parsePaste(s), s);
      }),
      { numRuns: 200 },
    );
  });

  it('on sample lines mixed, cut and shuffled with noise', () => {
    fc.assert(
      fc.property(fc.array(noisyLine, { maxLength: 400 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const s = lines.join(eol);
        wellFormed(parsePaste(s), s);
      }),
      { numRuns: 300 },
    );
  });

  it('on every prefix and suffix cut of every sample', () => {
    for (const f of FILES) {
      const t = sample(f);
      for (let cut = 0; cut < t.length; cut += 97) {
        wellFormed(parsePaste(t.slice(0, cut)), t.slice(0, cut));
        wellFormed(parsePaste(t.slice(cut)), t.slice(cut));
      }
    }
  });

  it('on megabyte inputs and hostile shapes', () => {
    const mb = 1024 * 1024;
    const big = [
      sample('certutil-urlfetch.broken.txt').repeat(Math.ceil(mb / 6000)),
      'x'.repeat(mb),
      ' '.repeat(mb - 1) + 'x',
      `${' '.repeat(mb / 2)}:${' '.repeat(mb / 2)}`,
      '{\n'.repeat(mb / 2),
      '['.repeat(mb),
      `{"a":"${'\\"'.repeat(mb / 4)}`,
      'A: b\n'.repeat(mb / 5),
      `AuthorityType : RootAuthority\n${'    x\n'.repeat(mb / 6)}`,
      '=> issue(claim = c);\n'.repeat(mb / 22),
      `c:[Type == "${'a'.repeat(mb)}`,
      Buffer.from(Array.from({ length: mb }, (_, i) => (i * 7919) % 256)).toString('utf8'),
    ];
    for (const s of big) wellFormed(parsePaste(s), s);
    fc.assert(
      fc.property(fc.array(noisyLine, { minLength: 20000, maxLength: 25000 }), (lines) => {
        const s = lines.join('\n');
        wellFormed(parsePaste(s), s);
      }),
      { numRuns: 3 },
    );
  });

  it('on many pasted texts at once', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), text: fc.string({ maxLength: 300 }) }), { maxLength: 20 }), (inputs) => {
        const r = parsePastes(inputs);
        for (const b of [...r.blocks, ...r.unknown]) expect(b.pasteIndex).toBeLessThan(inputs.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('detection is stable', () => {
  const output = fc.record({
    file: fc.constantFrom(...FILES.filter((f) => !f.startsWith('claim-rules'))),
    prompt: fc.boolean(),
  });
  const paste = fc.array(output, { minLength: 1, maxLength: 5 }).map((outs) =>
    outs.map((o) => (o.prompt ? withPrompt(sample(o.file), COMMANDS[o.file.length % COMMANDS.length]) : sample(o.file))).join('\n\n'),
  );
  const moreBlank = (t: string, k: number) => `${'\n'.repeat(k)}${t.replace(/\n\n/g, `\n\n${'\n'.repeat(k)}`)}${'\n'.repeat(k)}`;
  const trailingSpaces = (t: string) => t.replace(/\n/g, '   \n');

  it('under CRLF, extra blank lines and trailing spaces', () => {
    fc.assert(
      fc.property(paste, fc.integer({ min: 1, max: 3 }), (text, k) => {
        const ref = digestAll(parsePaste(text));
        expect(ref.length).toBeGreaterThan(0);
        expect(digestAll(parsePaste(crlf(text)))).toEqual(ref);
        expect(digestAll(parsePaste(moreBlank(text, k)))).toEqual(ref);
        expect(digestAll(parsePaste(crlf(moreBlank(trailingSpaces(text), k))))).toEqual(ref);
      }),
      { numRuns: 60 },
    );
  });

  it('finds every pasted output, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FILES.filter((f) => !f.startsWith('claim-rules'))), { minLength: 1, maxLength: 6 }), (files) => {
        // Two certutil or verifystore runs one after the other stay two blocks; same-kind Format-List outputs merge.
        const each = files.map((f) => parsePaste(sample(f)).blocks.map((b) => b.kind));
        const joined = parsePaste(files.map((f) => sample(f)).join('\n\n')).blocks.map((b) => b.kind);
        const dedup = each.flat().filter((k, i, all) => i === 0 || k !== all[i - 1] || k === 'certutil-urlfetch' || k === 'verifystore');
        expect(joined).toEqual(dedup);
      }),
      { numRuns: 60 },
    );
  });
});
