// PowerShell quoting for ready-to-run commands. Values from certificates, pastes and typed fields are hostile by
// default: they only ever enter a command as a single-quoted literal, never inside a double-quoted (expandable)
// string, where `$(...)` and backticks are code.

/**
 * Every character PowerShell's tokenizer takes as a single quote: the ASCII apostrophe and the typographic quotes
 * U+2018–U+201B. Inside a single-quoted string any of them ends the string unless it is doubled.
 */
export const PS_SINGLE_QUOTES = ["'", '\u2018', '\u2019', '\u201a', '\u201b'] as const;
const SINGLE_QUOTE = /['\u2018\u2019\u201a\u201b]/g;
/** And the double quotes (ASCII and U+201C–U+201E), which start expandable strings. */
export const PS_DOUBLE_QUOTES = ['"', '\u201c', '\u201d', '\u201e'] as const;

/** A value as one PowerShell single-quoted literal, whatever it holds (each single-quote character doubled). */
export function psLiteral(s: string): string {
  return `'${s.replace(SINGLE_QUOTE, (q) => q + q)}'`;
}

/**
 * An Active Directory `-Filter` with values, as `('mail -eq ''{0}''' -f 'value')`: the filter text is our own
 * single-quoted literal and each value enters through `-f` as a literal of its own, with its apostrophes doubled once
 * more for the filter parser. Undefined when a value holds a typographic quote, whose meaning inside an AD filter is
 * not documented: such a value gets no ready-made command.
 */
export function adFilter(template: string, values: string[]): string | undefined {
  if (values.some((v) => /[\u2018\u2019\u201a\u201b]/.test(v))) return undefined;
  return `(${psLiteral(template)} -f ${values.map((v) => psLiteral(v.replace(/'/g, "''"))).join(', ')})`;
}

/** Several values as a PowerShell array of literals: @('a', 'b'). */
export function psArray(values: string[]): string {
  return `@(${values.map(psLiteral).join(', ')})`;
}

/**
 * A value as a PowerShell argument: bare when it is a plain word PowerShell reads as the same string (starts with a
 * letter, then letters, digits and . _ : / + = @ -), else a single-quoted literal. Keeps ordinary commands readable.
 */
export function psArg(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9._:/+=@-]{0,252}$/.test(s) ? s : psLiteral(s);
}
