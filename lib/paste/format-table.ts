// Reader for PowerShell Format-Table output: a header line, a rule of dashes under each column, then one row
// per object. Column bounds come from the dash runs. PowerShell cuts what does not fit: a value or a header
// too wide for its column ends in "..." (Windows PowerShell) or "…" (PowerShell 7), and columns past the
// console width are left out altogether. So a table can hold less than the object: the reader says which
// values were cut, and the kinds decide whether what is left can be judged (else: "use Format-List").
import { readFormatList, type FlRecord } from './format-list';
import { cut, type Line } from './text';

export interface FtColumn {
  /** The header as printed, without a trailing "..." when it was cut. */
  name: string;
  /** The header was cut ("AllowedForPrimaryE..."): name is a prefix of the property name. */
  nameCut: boolean;
  start: number;
  /** Exclusive; Infinity for the last column. */
  end: number;
}

export interface FtTable {
  columns: FtColumn[];
  headerLine: number;
  rows: { line: number; text: string; cells: { value: string; cut: boolean }[] }[];
}

/** A line of dashes and spaces only, with at least one run of dashes (the rule under a table header). */
export function isRuleLine(s: string | undefined): boolean {
  if (!s || s.length < 2) return false;
  let dashes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) dashes++;
    else if (c !== 32 && c !== 9) return false;
  }
  return dashes >= 2;
}

const ELLIPSIS = /(?:\.\.\.|…)$/;

/** The header names above a rule line, lower-case and without "..." (for detection scores). */
export function tableHeaderNames(header: string, rule: string): { name: string; cut: boolean }[] {
  return columnsOf(header, rule).map((c) => ({ name: c.name.toLowerCase(), cut: c.nameCut }));
}

function columnsOf(header: string, rule: string): FtColumn[] {
  const runs: [number, number][] = [];
  const re = /-+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rule))) runs.push([m.index, m.index + m[0].length]);
  return runs.map(([s, e], i) => {
    // A right-aligned header (numbers, booleans) may start left of its dashes' start, never before the
    // previous column's end.
    const from = i === 0 ? 0 : runs[i - 1][1];
    const to = i === runs.length - 1 ? Infinity : runs[i + 1][0];
    const raw = header.slice(Math.min(from, s), Number.isFinite(to) ? to : undefined).trim();
    const nameCut = ELLIPSIS.test(raw);
    return { name: raw.replace(ELLIPSIS, '').trim(), nameCut, start: s, end: e };
  });
}

/**
 * The cells of one row. The dashes lie under the header only, not the whole column: a left-aligned value
 * (text) starts where its dashes start, a right-aligned one (numbers, booleans) ends where they end, and a
 * value may be wider than its header. Columns are separated by at least one space, so the row is cut into
 * pieces at runs of two or more spaces, each piece goes to the columns whose dashes it covers, and a piece
 * that covers two columns (one space between them) is split where one of the two alignments says.
 */
function rowCells(t: string, columns: FtColumn[]): string[] {
  const cells = columns.map(() => '');
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    let from = m.index;
    const to = from + m[0].length;
    let ks = columns.flatMap((c, k) => (c.start < to && from < c.end ? [k] : []));
    // A piece under no dashes sits in a gap: it belongs to the column on its left (a value wider than its header).
    if (!ks.length) {
      const left = columns.findLastIndex((c) => c.end <= from);
      ks = [left < 0 ? 0 : left];
    }
    for (let j = 0; j < ks.length - 1; j++) {
      const a = columns[ks[j]];
      const b = columns[ks[j + 1]];
      let cutAt = t[b.start - 1] === ' ' && t[b.start] !== ' ' ? b.start - 1 : t[a.end] === ' ' ? a.end : t.lastIndexOf(' ', b.start);
      if (cutAt < from) cutAt = t.indexOf(' ', from);
      if (cutAt < 0 || cutAt >= to) break;
      cells[ks[j]] = join(cells[ks[j]], t.slice(from, cutAt));
      from = cutAt + 1;
      ks = ks.slice(j + 1);
      j = -1;
    }
    cells[ks[0]] = join(cells[ks[0]], t.slice(from, to));
  }
  return cells.map((c) => c.trim());
}
const join = (a: string, b: string) => (a ? `${a} ${b}` : b);

/** The Format-Table in `lines` (its header is the first non-blank line with a rule under it), or null. */
export function readFormatTable(lines: Line[]): FtTable | null {
  let h = -1;
  for (let i = 0; i + 1 < lines.length && i < 5; i++) {
    if (lines[i].text.trim() && isRuleLine(lines[i + 1].text)) {
      h = i;
      break;
    }
  }
  if (h < 0) return null;
  const columns = columnsOf(lines[h].text, lines[h + 1].text);
  if (!columns.length) return null;
  const rows: FtTable['rows'] = [];
  for (let i = h + 2; i < lines.length; i++) {
    const t = lines[i].text;
    if (!t.trim()) continue;
    const cells = rowCells(t, columns).map((raw) => {
      const isCut = ELLIPSIS.test(raw);
      return { value: isCut ? raw.replace(ELLIPSIS, '') : raw, cut: isCut };
    });
    rows.push({ line: lines[i].n, text: cut(t), cells });
  }
  return { columns, headerLine: lines[h].n, rows };
}

/** A column's property name: a cut header is completed from the `known` names it starts. */
function fullName(c: FtColumn, known: readonly string[]): string {
  if (!c.nameCut) return c.name;
  const p = c.name.toLowerCase();
  return known.find((n) => n.toLowerCase().startsWith(p)) ?? c.name;
}

/** The rows as Format-List records (property = column), so one parser reads both shapes. Cut values are marked. */
export function tableRecords(t: FtTable, known: readonly string[] = []): FlRecord[] {
  const names = t.columns.map((c) => fullName(c, known));
  return t.rows.map((r) => ({
    firstLine: r.line,
    lastLine: r.line,
    props: t.columns.map((_, k) => ({ name: names[k], value: r.cells[k].value, line: r.line, text: r.text, ...(r.cells[k].cut ? { cut: true } : {}) })),
  }));
}

/** Format-Table or Format-List records, whichever `lines` hold. */
export function readRecords(lines: Line[], known: readonly string[] = []): FlRecord[] {
  const t = readFormatTable(lines);
  return t ? tableRecords(t, known) : readFormatList(lines);
}

/** Which of the `needed` properties the table cannot give in full: left out, header cut, or a value cut. */
export function missingFromTable(t: FtTable, needed: string[]): string[] {
  const out: string[] = [];
  for (const n of needed) {
    const k = t.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase() || (c.nameCut && n.toLowerCase().startsWith(c.name.toLowerCase())));
    if (k < 0 || t.rows.some((r) => r.cells[k].cut)) out.push(n);
  }
  return out;
}
