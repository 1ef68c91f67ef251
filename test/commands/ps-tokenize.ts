// A small PowerShell tokenizer, enough to tell where literals begin and end in the commands CBA Doctor writes. It
// follows the rules of PowerShell's own tokenizer that matter for injection: the five single-quote characters and
// the four double-quote characters, doubling inside literals, backtick escapes, `$(` subexpressions inside
// expandable strings, here-strings, comments, and the characters that end a bare word.

export type TokenKind = 'literal' | 'expandable' | 'here-literal' | 'here-expandable' | 'variable' | 'word' | 'operator' | 'newline' | 'comment';
export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  raw: string;
  /** literal / here-literal: the string value. */
  value?: string;
  /** word: true when a quote was glued into the word (abc'def'), which PowerShell reads as one argument. */
  mixed?: boolean;
}

const SQ = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);
const DQ = new Set(['"', '\u201c', '\u201d', '\u201e']);
const DASHES = new Set(['-', '\u2013', '\u2014', '\u2015']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0';
const isNewline = (c: string) => c === '\n' || c === '\r';
// Characters that end a bare word (PowerShell argument mode).
const WORD_END = new Set([...' \t\f\v\u00a0\r\n;|&(){},'.split(''), '`' /* handled */]);

export class TokenizeError extends Error {}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;

  function singleQuoted(): { value: string; end: number } {
    // src[i] is a single-quote character.
    let j = i + 1;
    let value = '';
    for (;;) {
      if (j >= n) throw new TokenizeError(`unterminated single-quoted string at ${i}`);
      const c = src[j];
      if (SQ.has(c)) {
        if (j + 1 < n && SQ.has(src[j + 1])) {
          value += src[j + 1];
          j += 2;
          continue;
        }
        return { value, end: j + 1 };
      }
      value += c;
      j++;
    }
  }

  function doubleQuoted(start: number): number {
    // Returns the index after the closing quote; `$(` nests.
    let j = start + 1;
    for (;;) {
      if (j >= n) throw new TokenizeError(`unterminated double-quoted string at ${start}`);
      const c = src[j];
      if (c === '`') {
        j += 2;
        continue;
      }
      if (DQ.has(c)) {
        if (j + 1 < n && DQ.has(src[j + 1])) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      if (c === '$' && src[j + 1] === '(') {
        j = subexpression(j + 2);
        continue;
      }
      j++;
    }
  }

  function subexpression(start: number): number {
    // Skips to the matching ')', through nested strings.
    let depth = 1;
    let j = start;
    while (j < n && depth > 0) {
      const c = src[j];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (SQ.has(c)) {
        const save = i;
        i = j;
        j = singleQuoted().end;
        i = save;
        continue;
      } else if (DQ.has(c)) {
        j = doubleQuoted(j);
        continue;
      } else if (c === '`') j++;
      j++;
    }
    if (depth) throw new TokenizeError(`unterminated subexpression at ${start}`);
    return j;
  }

  while (i < n) {
    const c = src[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '`' && isNewline(src[i + 1] ?? '')) {
      i += src[i + 1] === '\r' && src[i + 2] === '\n' ? 3 : 2; // line continuation
      continue;
    }
    if (isNewline(c)) {
      out.push({ kind: 'newline', raw: c });
      i++;
      continue;
    }
    if (c === '#') {
      let j = i;
      while (j < n && !isNewline(src[j])) j++;
      out.push({ kind: 'comment', raw: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '<' && src[i + 1] === '#') {
      const j = src.indexOf('#>', i + 2);
      if (j < 0) throw new TokenizeError('unterminated block comment');
      out.push({ kind: 'comment', raw: src.slice(i, j + 2) });
      i = j + 2;
      continue;
    }
    if (c === '@' && (SQ.has(src[i + 1]) || DQ.has(src[i + 1]))) {
      // Here-string: @' or @" then a line break; ends at a line that starts with the quote and @.
      const single = SQ.has(src[i + 1]);
      let j = i + 2;
      while (j < n && isSpace(src[j])) j++;
      if (!isNewline(src[j] ?? '')) throw new TokenizeError('here-string header must end the line');
      j += src[j] === '\r' && src[j + 1] === '\n' ? 2 : 1;
      const bodyStart = j;
      for (;;) {
        if (j >= n) throw new TokenizeError('unterminated here-string');
        const lineStart = j === bodyStart || isNewline(src[j - 1]);
        if (lineStart && (single ? SQ.has(src[j]) : DQ.has(src[j])) && src[j + 1] === '@') {
          let bodyEnd = j;
          if (src[bodyEnd - 1] === '\n') bodyEnd--;
          if (src[bodyEnd - 1] === '\r') bodyEnd--;
          out.push({ kind: single ? 'here-literal' : 'here-expandable', raw: src.slice(i, j + 2), value: src.slice(bodyStart, Math.max(bodyStart, bodyEnd)) });
          i = j + 2;
          break;
        }
        j++;
      }
      continue;
    }
    if (SQ.has(c)) {
      const { value, end } = singleQuoted();
      const glued = end < n && !WORD_END.has(src[end]) && !isSpace(src[end]);
      if (glued) {
        // 'abc'def is one argument in PowerShell: read it as a mixed word.
        i = readWord(i, true);
        continue;
      }
      out.push({ kind: 'literal', raw: src.slice(i, end), value });
      i = end;
      continue;
    }
    if (DQ.has(c)) {
      const end = doubleQuoted(i);
      out.push({ kind: 'expandable', raw: src.slice(i, end) });
      i = end;
      continue;
    }
    if (c === '$') {
      if (src[i + 1] === '(') {
        const end = subexpression(i + 2);
        out.push({ kind: 'operator', raw: src.slice(i, end) });
        i = end;
        continue;
      }
      let j = i + 1;
      if (src[j] === '{') {
        j = src.indexOf('}', j);
        if (j < 0) throw new TokenizeError('unterminated ${');
        j++;
      } else while (j < n && /[A-Za-z0-9_:?^$]/.test(src[j])) j++;
      out.push({ kind: 'variable', raw: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '@' && (src[i + 1] === '(' || src[i + 1] === '{')) {
      out.push({ kind: 'operator', raw: src.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if (';|&(){},'.includes(c)) {
      const two = src.slice(i, i + 2);
      const raw = two === '&&' || two === '||' ? two : c;
      out.push({ kind: 'operator', raw });
      i += raw.length;
      continue;
    }
    i = readWord(i, false);
  }
  return out;

  function readWord(start: number, mixedStart: boolean): number {
    let j = start;
    let mixed = mixedStart;
    while (j < n) {
      const c = src[j];
      if (isSpace(c) || isNewline(c) || ';|&(){},'.includes(c)) break;
      if (c === '`') {
        mixed = true;
        j += 2;
        continue;
      }
      if (SQ.has(c)) {
        const save = i;
        i = j;
        j = singleQuoted().end;
        i = save;
        mixed = true;
        continue;
      }
      if (DQ.has(c)) {
        j = doubleQuoted(j);
        mixed = true;
        continue;
      }
      if (c === '$') mixed = true; // a variable inside a bare word is expanded
      j++;
    }
    out.push({ kind: 'word', raw: src.slice(start, j), ...(mixed ? { mixed: true } : {}) });
    return j;
  }
}

export const isDash = (c: string) => DASHES.has(c);
