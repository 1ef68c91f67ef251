// Turning pasted console text into numbered lines. Pastes arrive from terminals, RDP clipboards, mail and
// chat clients, or files redirected by Windows PowerShell (UTF-16), so clean the transport noise first.
import type { Quoted } from './types';

export interface Line {
  /** 1-based line number in the pasted text. */
  n: number;
  text: string;
}

/** Lines longer than this are cut before any pattern runs on them. */
export const MAX_LINE_CHARS = 16 * 1024;
const QUOTE_MAX = 240;

// Rich-text clipboards (mail, chat, web pages) bring invisible and typographic characters.
const RICH_TEXT = /[\u00A0\u2007\u202F\u200B-\u200D\u2060\uFEFF\u2018\u2019\u201C-\u201E\u00AB\u00BB]/;

export function normalizeText(raw: string): string {
  // A UTF-16LE file (Windows PowerShell's `>` redirect) read as UTF-8 keeps its ASCII with a NUL after
  // every character; drop the NULs and the mangled byte-order mark.
  let nuls = 0;
  const probe = Math.min(raw.length, 4096);
  for (let i = 0; i < probe; i++) if (raw.charCodeAt(i) === 0) nuls++;
  const utf16 = probe > 0 && nuls / probe > 0.2;
  if (!utf16 && !raw.includes('\r') && !RICH_TEXT.test(raw)) return raw;
  return clean(raw, utf16);
}

/**
 * One pass over the text: CRLF and CR become LF; invisible characters are dropped, typographic spaces and
 * quotes made plain; with `utf16`, NULs and the leading U+FFFD are dropped. (A replace per kind of change
 * costs far more per match, and a hostile paste can hold a million of them.)
 */
function clean(t: string, utf16: boolean): string {
  const out = Buffer.allocUnsafe(t.length * 2);
  let n = 0;
  let afterCr = false;
  let leading = utf16;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    if (c === 0 && utf16) continue;
    if (leading) {
      if (c === 0xfffd) continue;
      leading = false;
    }
    if (c === 10 && afterCr) {
      afterCr = false;
      continue;
    }
    afterCr = false;
    switch (c) {
      case 13:
        c = 10;
        afterCr = true;
        break;
      case 0x200b:
      case 0x200c:
      case 0x200d:
      case 0x2060:
      case 0xfeff:
        continue;
      case 0xa0:
      case 0x2007:
      case 0x202f:
        c = 32;
        break;
      case 0x201c:
      case 0x201d:
      case 0x201e:
      case 0xab:
      case 0xbb:
        c = 34;
        break;
      case 0x2018:
      case 0x2019:
        c = 39;
        break;
    }
    // Byte by byte, little-endian whatever the machine: utf16le decoding keeps lone surrogates as they are.
    out[n++] = c & 0xff;
    out[n++] = c >> 8;
  }
  return out.toString('utf16le', 0, n);
}

/**
 * The lines of a paste, cut and right-trimmed: line n is at index n - 1. Plain strings rather than Line
 * objects, because a hostile paste can hold a million lines and detection looks at most of them only once;
 * Line objects are made for the ranges handed to a parser (linesOf).
 */
export function splitLines(raw: string): string[] {
  return splitNormalized(normalizeText(raw));
}

/** splitLines of a text normalizeText has already cleaned. */
export function splitNormalized(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let s = lines[i];
    if (s.length > MAX_LINE_CHARS) s = s.slice(0, MAX_LINE_CHARS);
    // Most lines end in a visible ASCII character: nothing to trim, no call made.
    const last = s.charCodeAt(s.length - 1);
    if (last <= 32 || last >= 0x80) lines[i] = s.trimEnd();
    else if (s !== lines[i]) lines[i] = s;
  }
  return lines;
}

/** Line objects for lines[from..to] (inclusive, 0-based). */
export function linesOf(lines: string[], from: number, to: number): Line[] {
  const out: Line[] = [];
  for (let i = from; i <= to; i++) out.push({ n: i + 1, text: lines[i] });
  return out;
}

export function toLines(raw: string): Line[] {
  const lines = splitLines(raw);
  return linesOf(lines, 0, lines.length - 1);
}

/**
 * The first character of a line after its leading spaces and tabs, as a character code, for cheap checks
 * made before a pattern runs: -1 when it could be other white space (a control or non-ASCII character),
 * so that the pattern still decides. NaN for an empty line.
 */
export function leadCode(s: string): number {
  let i = 0;
  let c = s.charCodeAt(0);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  return c < 32 || c >= 0x80 ? -1 : c;
}

/** s.trim() === '', without making a string: only a line that ends in white space can be blank. */
export function isBlankText(s: string): boolean {
  if (!s) return true;
  const last = s.charCodeAt(s.length - 1);
  return (last <= 32 || last >= 0x80) && s.trim() === '';
}

/** Lines come right-trimmed from toLines, so a blank line is an empty one. */
export function isBlank(l: Line): boolean {
  return l.text.length === 0;
}

/**
 * The first two characters of a (trimmed) line, ASCII letters lower-cased, as one number: lineScore functions
 * look it up in the heads of their patterns before running any (detection scores every line of a paste).
 */
export const head2 = (t: string): number => ((t.charCodeAt(0) | 0x20) << 8) | (t.charCodeAt(1) | 0x20);
export const heads = (...prefixes: string[]): Set<number> => new Set(prefixes.map(head2));

export function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

export function cut(s: string, max = QUOTE_MAX): string {
  const t = s.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function quote<T>(value: T, l: Line): Quoted<T> {
  return { value, line: l.n, text: cut(l.text) };
}

/** Splits lines into runs separated by blank lines (blank lines dropped). */
export function paragraphs(lines: Line[]): Line[][] {
  const out: Line[][] = [];
  let cur: Line[] = [];
  for (const l of lines) {
    if (isBlank(l)) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(l);
  }
  if (cur.length) out.push(cur);
  return out;
}

export function parseBool(v: string | undefined | null): boolean | null {
  if (v == null) return null;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === 'yes' || t === 'enabled') return true;
  if (t === 'false' || t === 'no' || t === 'disabled') return false;
  return null;
}

/** netsh and certutil print "(null)" for unset values. */
export function nullish(v: string | undefined | null): string | null {
  if (v == null) return null;
  const t = v.trim();
  return t === '' || /^\(null\)$/i.test(t) ? null : t;
}

/** Lower-case hex without spaces or colons, or null if the value is not hex. */
export function hexId(v: string | undefined | null): string | null {
  if (!v) return null;
  const t = v.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(t) ? t : null;
}

export function hostOfUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#\s]+)/i.exec(u.trim());
  return m ? m[1].toLowerCase() : null;
}
