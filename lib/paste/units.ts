// Cutting a paste into the pieces detection scores: segments (the output after each prompt or command line),
// and in each segment JSON documents and paragraphs (runs of non-blank lines, also cut where a line says it
// opens or closes an output). Works on the plain line strings of splitLines, by index: a hostile paste can
// hold a million lines, so nothing here makes an object per line or a pattern run on most of them.
import { commandOf } from './commands';
import { leadCode } from './text';

/** Lines from..to (inclusive, 0-based) of the paste, after one command line or at the start. */
export interface Segment {
  /** The command typed on the line before; absent after a bare prompt and at the start. */
  command?: string;
  from: number;
  to: number;
}

/** The segments that hold output: a command whose output was left out (e.g. the trailing prompt) says nothing. */
export function segments(lines: string[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment = { from: 0, to: -1 };
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    if (!s) continue;
    const cmd = commandOf(s);
    if (cmd === null) {
      content = true;
      continue;
    }
    cur.to = i - 1;
    if (content) out.push(cur);
    cur = cmd ? { command: cmd, from: i + 1, to: -1 } : { from: i + 1, to: -1 };
    content = false;
  }
  cur.to = lines.length - 1;
  if (content) out.push(cur);
  return out;
}

/** Total characters the JSON scanner may look at per paste (keeps hostile input linear). */
export const JSON_SCAN_BUDGET = 2 * 1024 * 1024;
const MAX_JSON_CHARS = 2 * 1024 * 1024;

/** Finds the end of a JSON document starting at lines[i] (string-aware bracket matching), at most lines[to]. */
function scanJson(lines: string[], i: number, to: number, budget: { left: number }): { end: number; value: unknown } | null {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let size = 0;
  budget.left -= 1;
  for (let j = i; j <= to; j++) {
    const s = lines[j];
    size += s.length + 1;
    budget.left -= s.length + 1;
    if (budget.left < 0 || size > MAX_JSON_CHARS) return null;
    for (let k = 0; k < s.length; k++) {
      const ch = s.charCodeAt(k);
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) inString = false;
      } else if (ch === 34) inString = true;
      else if (ch === 123 || ch === 91) depth++;
      else if (ch === 125 || ch === 93) {
        depth--;
        if (depth === 0) {
          if (s.slice(k + 1).trim()) return null;
          try {
            return { end: j, value: JSON.parse(lines.slice(i, j + 1).join('\n')) };
          } catch {
            return null;
          }
        }
      }
    }
  }
  return null;
}

/** First lines of outputs that say what they are: netsh's headers, certutil's first lines, the first property of each Format-List kind. */
const OPENING = /^\s*(?:(?:URL Reservations:|SSL Certificate bindings:|Issuer:|[A-Za-z]{1,20} "[^"]{1,80}")\s*$|(?:AdminName|ExtensionData|ActiveSignInUri|AuthorityType)\s*:)/;
const CLOSING = /^\s*CertUtil: -\w+ command\b/i;
/** A line that can open a JSON document: "{" or "[" alone, or followed by a key, an object or an array. */
const JSON_START = /^[[{]\s*(?:$|["{[])/;
const JSON_ALONE = /^\s*[[{]$/;

// Cheap first looks (lines are right-trimmed): each is false only where its pattern cannot match, so the
// patterns run only on the few lines that could be what they look for.
/** CLOSING, and the terminal lines of the kinds, start with "CertUtil:". */
export const mayClose = (s: string) => {
  const c = leadCode(s);
  return c === -1 || c === 67 || c === 99; // C c
};
const mayStartJson = (s: string) => {
  const c = leadCode(s);
  return c === -1 || c === 91 || c === 123; // [ {
};
const endsInBracket = (s: string) => {
  const c = s.charCodeAt(s.length - 1);
  return c === 91 || c === 123;
};
const mayOpen = (s: string) => {
  const last = s.charCodeAt(s.length - 1);
  if (last === 58 || last === 34) return true; // ends in : or "
  const c = leadCode(s);
  return c === -1 || c === 65 || c === 69; // AdminName, AuthorityType, ActiveSignInUri, ExtensionData
};

/**
 * Walks the units of one segment: JSON documents taken whole, and paragraphs. One reader, its fields
 * overwritten by each next(), so that a paste of a million one-line paragraphs makes no object per paragraph.
 */
export class UnitReader {
  type: 'para' | 'json' = 'para';
  start = 0;
  end = -1;
  /** The parsed document, for 'json'. */
  value: unknown = undefined;
  private i: number;

  constructor(
    private readonly lines: string[],
    private readonly seg: Segment,
    private readonly budget: { left: number },
  ) {
    this.i = seg.from;
  }

  next(): boolean {
    const { lines, budget } = this;
    const to = this.seg.to;
    let i = this.i;
    while (i <= to && !lines[i]) i++;
    if (i > to) {
      this.i = i;
      return false;
    }
    const s = lines[i];
    if (budget.left > 0 && mayStartJson(s) && JSON_START.test(s.trim())) {
      const j = scanJson(lines, i, to, budget);
      if (j) {
        this.type = 'json';
        this.start = i;
        this.end = j.end;
        this.value = j.value;
        this.i = j.end + 1;
        return true;
      }
    }
    let end = i;
    while (end < to && lines[end + 1]) {
      // certutil's verdict line closes its output; whatever follows belongs to the next one.
      if (mayClose(lines[end]) && CLOSING.test(lines[end])) break;
      const nt = lines[end + 1];
      // A JSON document right after text without a blank line still starts its own unit.
      if (budget.left > 0 && endsInBracket(nt) && JSON_ALONE.test(nt)) break;
      // So does an output whose first line says what it is (files concatenated without a blank line).
      if (mayOpen(nt) && OPENING.test(nt)) break;
      end++;
    }
    this.type = 'para';
    this.start = i;
    this.end = end;
    this.value = undefined;
    this.i = end + 1;
    return true;
  }
}
