// Arguments of native command lines (certutil, netsh, nslookup, certreq, openssl...). Such a line may be pasted into
// cmd.exe or into PowerShell, and the two quote differently (cmd expands %VAR% even inside double quotes, PowerShell
// expands $ and backticks in them), so no quoting makes a hostile value safe in both. A value therefore reaches such
// a line only when it is a plain word that neither shell interprets; otherwise the builder leaves the command out and
// says why.

/** Letters, digits and . _ : / + = @ - , starting with a letter, digit or underscore (so never an option). */
const INERT_WORD = /^[A-Za-z0-9_][A-Za-z0-9._:/+=@-]{0,252}$/;

/** Characters that make cmd.exe or PowerShell do something with an argument. */
const SPECIAL = /["%^&|<>\r\n$`;'(){},\s\u2018-\u201e*?!#[\]~\\]/gu;

/** The value when it is inert in both cmd.exe and PowerShell, else undefined. */
export function inertArg(value: string | undefined | null): string | undefined {
  return value != null && INERT_WORD.test(value) ? value : undefined;
}

/** A sentence saying why a command was left out, naming the offending characters (not the whole value). */
export function leftOutNote(what: string, value: string): string {
  const found = [...new Set(value.match(SPECIAL) ?? [])].map((c) => (/\s/.test(c) ? (c === ' ' ? 'a space' : 'a line break or other white space') : `"${c}"`));
  const why = found.length ? `characters a command prompt or PowerShell would interpret (${found.slice(0, 6).join(', ')})` : 'characters that are not safe on a command line';
  return `The ready-made command is left out because ${what} contains ${why}; type the value by hand after checking it.`;
}

/** A file name for a command line: the name as given when inert, else a safe stand-in the text can tell the user to use. */
export function inertFileName(name: string | undefined, fallback: string): string {
  return inertArg(name) ?? fallback;
}

/** A file name made from a CA name (CN): letters, digits, dot, dash and underscore only. */
export function fileNameFrom(label: string, ext = '.cer'): string {
  const base = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return `${base || 'ca'}${ext}`;
}
