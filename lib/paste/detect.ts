// Splits a paste into the outputs it holds and recognises each one. People paste without saying what
// the text is, often several outputs at once, with or without the prompt and command lines, so:
// 1. prompt / command lines cut the paste into segments (and say which command ran);
// 2. JSON documents are taken whole;
// 3. the rest is cut at blank lines into paragraphs, each scored against every kind, and consecutive
//    paragraphs of the same kind become one block.
import { hintFor, type CommandHint } from './commands';
import { entraJson } from './entra';
import { federationJsonObject, parseFederationJson } from './federation';
import { readFormatTable, missingFromTable } from './format-table';
import { KINDS, type KindSpec } from './kinds';
import { MAX_PASTE_CHARS, PasteRefusal, refusal } from './limits';
import { NONE, Scores, kindAt, kindIndex, scoreParagraph } from './score';
import { cut, linesOf, normalizeText, splitNormalized, type Line } from './text';
import { CaCertificates, parseTrustedCaJson, trustedCaJsonObjects } from './trusted-ca';
import type { BlockBase, PasteBlock, PasteKind, PasteResult, UnrecognizedBlock } from './types';
import { JSON_SCAN_BUDGET, UnitReader, mayClose, segments, type Segment } from './units';

/** A paragraph needs this score to start a block of its own. */
const START = 3;

export interface PastedInput {
  name?: string;
  text: string;
  /** The AD FS or WAP server the text came from, when the user labelled it (issue 14). */
  node?: string;
}

interface Building {
  kind: PasteKind;
  /** kindIndex(kind) */
  k: number;
  start: number;
  end: number;
  closed: boolean;
}

export function detectPaste(input: PastedInput, pasteIndex: number, out: PasteResult): void {
  const source = input.name;
  const node = input.node;
  // Refused before any work that grows with its size, but measured cleaned: a UTF-16 file read as UTF-8
  // (a NUL after every character) halves.
  const text = input.text.length > 2 * MAX_PASTE_CHARS ? input.text : normalizeText(input.text);
  const why = refusal(text.length);
  if (why) {
    out.refused.push({ pasteIndex, ...(source ? { source } : {}), ...(node ? { node } : {}), chars: text.length, reason: why });
    return;
  }
  const reader = new PasteReader(splitNormalized(text), pasteIndex, source, node, out);
  for (const seg of segments(reader.lines)) reader.segment(seg);
  if (!reader.found && !reader.unread) out.empty.push({ pasteIndex, ...(source ? { source } : {}), ...(node ? { node } : {}) });
}

/**
 * Reads the segments of one paste into `out`. A class rather than closures: its methods are compiled once,
 * not made anew for each paste (which also keeps optimised code from being thrown away between pastes).
 */
class PasteReader {
  found = 0;
  unread = 0;
  private readonly budget = { left: JSON_SCAN_BUDGET };
  private readonly scores = new Scores();
  private readonly certificates = new CaCertificates();
  // A paste repeats its commands (and a hostile one repeats one command thousands of times).
  private readonly hints = new Map<string, CommandHint>();
  // The segment being read: its command, the block being built, and the paragraphs no kind claims
  // (consecutive ones are reported as one; unknownStart -1: none).
  private hint: CommandHint | undefined = undefined;
  private cur: Building | null = null;
  private unknownStart = -1;
  private unknownEnd = -1;

  constructor(
    readonly lines: string[],
    private readonly pasteIndex: number,
    private readonly source: string | undefined,
    private readonly node: string | undefined,
    private readonly out: PasteResult,
  ) {}

  segment(seg: Segment): void {
    const { lines, scores } = this;
    const hint = seg.command ? this.hintOf(seg.command) : undefined;
    const hintKind = kindIndex(hint?.kind);
    this.hint = hint;
    this.cur = null;
    this.unknownStart = -1;
    const u = new UnitReader(lines, seg, this.budget);
    while (u.next()) {
      if (u.type === 'json') {
        this.finish();
        this.flushUnknown();
        this.json(u.start, u.end, u.value);
        continue;
      }
      scoreParagraph(lines, u.start, u.end, scores);
      scores.raise(hintKind, 2);
      const c: Building | null = this.cur;
      const open: Building | null = c && !c.closed ? c : null;
      const openKind: number = open ? open.k : NONE;
      const top = scores.best(c ? c.k : NONE, hintKind);
      const topScore = scores.get(top);
      const curScore = scores.get(openKind);
      if (open && curScore > 0 && (top === openKind || topScore < START || curScore >= topScore)) {
        open.end = u.end;
      } else if (top !== NONE && topScore >= START) {
        this.finish();
        this.flushUnknown();
        this.cur = { kind: kindAt(top), k: top, start: u.start, end: u.end, closed: false };
      } else if (open && KINDS[open.kind].sticky) {
        open.end = u.end;
      } else {
        this.finish();
        if (this.unknownStart < 0) this.unknownStart = u.start;
        this.unknownEnd = u.end;
        continue;
      }
      const b = this.cur;
      const term = b ? KINDS[b.kind].terminal : undefined;
      if (b && term && closes(lines, u.start, u.end, term)) b.closed = true;
    }
    this.finish();
    this.flushUnknown();
  }

  private hintOf(command: string): CommandHint {
    let h = this.hints.get(command);
    if (!h) this.hints.set(command, (h = hintFor(command)));
    return h;
  }

  /** A JSON document: the Graph certificate authorities or federation configuration. */
  private json(start: number, end: number, value: unknown): void {
    const ls = linesOf(this.lines, start, end);
    const entra = entraJson(value, ls);
    if (entra) return this.emit(entra.kind, start, end, () => entra.data);
    const cas = trustedCaJsonObjects(value);
    const fed = cas.length ? null : federationJsonObject(value);
    if (cas.length) this.emit('trusted-ca', start, end, () => parseTrustedCaJson(cas, ls, this.certificates));
    else if (fed) this.emit('mg-federation', start, end, () => parseFederationJson(fed, ls));
    else this.unknown(start, end, 'A JSON document, but not one CBA Doctor reads (the Graph certificate authorities, federation configuration, x509Certificate method configuration, user, group list or sign-in log).');
  }

  private finish(): void {
    const c = this.cur;
    this.cur = null;
    if (!c) return;
    const { kind, start, end } = c;
    const hint = this.hint;
    this.emit(kind, start, end, () => {
      const ls = linesOf(this.lines, start, end);
      tableCheck(KINDS[kind], ls);
      return KINDS[kind].parse(ls, hint);
    });
  }

  private flushUnknown(): void {
    if (this.unknownStart < 0) return;
    const hint = this.hint;
    const list = hint?.kind ? KINDS[hint.kind].formatList : undefined;
    const table = list && readFormatTable(linesOf(this.lines, this.unknownStart, Math.min(this.unknownEnd, this.unknownStart + 8)));
    const why = table
      ? `This is Format-Table output of "${cut(hint!.command, 80)}", which cuts and leaves out what CBA Doctor needs. Run this instead and paste its output: ${list}`
      : hint
        ? `The output of "${cut(hint.command, 80)}" is not one CBA Doctor reads, or it was cut.`
        : 'Not recognised as the output of a command CBA Doctor reads.';
    this.unknown(this.unknownStart, this.unknownEnd, why);
    this.unknownStart = -1;
  }

  /** Where a block is: from its first to its last non-blank line (from..to, 0-based). */
  private base(from: number, to: number): BlockBase {
    const b: BlockBase = { lines: to - from + 1, pasteIndex: this.pasteIndex, firstLine: from + 1, lastLine: to + 1 };
    if (this.source) b.source = this.source;
    if (this.node) b.node = this.node;
    if (this.hint) b.command = cut(this.hint.command, 300);
    return b;
  }

  private unknown(start: number, end: number, reason: string): void {
    const [from, to] = trimBlank(this.lines, start, end);
    if (from > to) return;
    const block = this.base(from, to) as UnrecognizedBlock;
    block.preview = cut(this.lines[from], 120);
    block.reason = reason;
    this.out.unknown.push(block);
    this.unread++;
  }

  private emit(kind: PasteKind, start: number, end: number, parse: () => unknown): void {
    const [from, to] = trimBlank(this.lines, start, end);
    if (from > to) return;
    let data: unknown;
    try {
      data = parse();
    } catch (e) {
      this.unknown(from, to, e instanceof PasteRefusal ? e.message : `It looked like ${KINDS[kind].label} output but could not be read.`);
      return;
    }
    if ((KINDS[kind].isEmpty as (d: unknown) => boolean)(data)) {
      this.unknown(from, to, `It looked like ${KINDS[kind].label} output but held nothing that could be read.`);
      return;
    }
    this.out.blocks.push({ kind, data, ...this.base(from, to) } as PasteBlock);
    this.found++;
  }
}

/**
 * Format-Table output of an object kind is read only when it shows what the checks need in full; otherwise
 * the block is refused with the Format-List command that prints it (PowerShell cuts table cells with "...").
 */
function tableCheck(spec: Pick<KindSpec, 'formatList' | 'tableNeeds' | 'label'>, ls: Line[]): void {
  if (!spec.formatList) return;
  const t = readFormatTable(ls);
  if (!t) return;
  const missing = spec.tableNeeds ? missingFromTable(t, spec.tableNeeds) : null;
  if (missing && !missing.length) return;
  const what = missing ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} cut ("...") or left out` : 'a table cuts the values CBA Doctor needs';
  throw new PasteRefusal(`This is Format-Table output of ${spec.label.split(' (')[0]}, and ${what}. Run this instead and paste its output: ${spec.formatList}`);
}

/** Does a line of lines[start..end] close the output? Only lines that may start with "CertUtil:" are asked (KindSpec.terminal). */
function closes(lines: string[], start: number, end: number, term: (t: string) => boolean): boolean {
  for (let i = start; i <= end; i++) if (mayClose(lines[i]) && term(lines[i].trim())) return true;
  return false;
}

/** lines[start..end] without the blank lines at either end, as [from, to] (from > to when all are blank). */
function trimBlank(lines: string[], start: number, end: number): [number, number] {
  let a = start;
  let b = end;
  while (a <= b && !lines[a]) a++;
  while (b >= a && !lines[b]) b--;
  return [a, b];
}

/** Reads every pasted text. Never throws: what cannot be read is listed in `unknown` (or `refused`). */
export function parsePastes(inputs: PastedInput[]): PasteResult {
  const out: PasteResult = { blocks: [], unknown: [], empty: [], refused: [] };
  inputs.forEach((p, i) => {
    try {
      detectPaste(p, i, out);
    } catch {
      out.unknown.push({ pasteIndex: i, ...(p.name ? { source: p.name } : {}), ...(p.node ? { node: p.node } : {}), lines: 0, firstLine: 1, lastLine: 1, preview: '', reason: 'This text could not be read.' });
    }
  });
  return out;
}

export function parsePaste(text: string, name?: string): PasteResult {
  return parsePastes([{ text, name }]);
}
