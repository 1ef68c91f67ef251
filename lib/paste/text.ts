// Turning pasted console text into numbered lines. Pastes arrive from terminals, RDP clipboards, mail and
// chat clients, or files redirected by Windows PowerShell (UTF-16), so clean the transport noise first.
import type { Quoted } from './types';

export interface Line {
  /** 1-based line number in the pasted text. */
  n: number;
  text: string;
}

/** Longest paste we read; the rest is ignored (a console output the checks need is far smaller). */
export const MAX_PASTE_CHARS = 4 * 1024 * 1024;
/** Lines longer than this are cut before any pattern runs on them. */
export const MAX_LINE_CHARS = 16 * 1024;
const QUOTE_MAX = 240;

export function normalizeText(raw: string): string {
  let t = raw.length > MAX_PASTE_CHARS ? raw.slice(0, MAX_PASTE_CHARS) : raw;
  // A UTF-16LE file (Windows PowerShell's `>` redirect) read as UTF-8 keeps its ASCII with a NUL after
  // every character; drop the NULs and the mangled byte-order mark.
  let nuls = 0;
  const probe = Math.min(t.length, 4096);
  for (let i = 0; i < probe; i++) if (t.charCodeAt(i) === 0) nuls++;
  if (probe > 0 && nuls / probe > 0.2) t = t.replace(/\u0000/g, '').replace(/^\uFFFD+/, '');
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  // Rich-text clipboards (mail, chat, web pages) bring invisible and typographic characters.
  if (/[\u00A0\u2007\u202F\u200B-\u200D\u2060\uFEFF\u2018\u2019\u201C-\u201E\u00AB\u00BB]/.test(t))
    t = t
      .replace(/[\u200B\u200C\u200D\u2060\uFEFF]/g, '')
      .replace(/[\u00A0\u2007\u202F]/g, ' ')
      .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
      .replace(/[\u2018\u2019]/g, "'");
  return t;
}

export function toLines(raw: string): Line[] {
  const lines = normalizeText(raw).split('\n');
  return lines.map((text, i) => ({ n: i + 1, text: text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS).trimEnd() : text.trimEnd() }));
}

/** Lines come right-trimmed from toLines, so a blank line is an empty one. */
export function isBlank(l: Line): boolean {
  return l.text.length === 0;
}

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
