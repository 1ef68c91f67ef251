// Escaping for "Copy as Markdown". Every value in the copy can come from an uploaded certificate, a paste or a
// typed address; the ticket system that renders the copy must show it as text, never as a link, image or HTML.

// ASCII punctuation that starts Markdown or HTML syntax inline (CommonMark lets a backslash escape any of them):
// links and images need `[`/`]` (so `(` and `)` stay plain, which keeps URLs in the text readable), HTML and
// entities need `<`/`&`, emphasis `*`/`_`/`~`, code a backtick, tables `|`, math in GitHub `$`.
const INLINE = /[\\`*_[\]<>#!|~&$]/g;

/** A value as inline Markdown text: one line, no syntax. */
export function mdText(s: string): string {
  const line = s.replace(/[\r\n\u2028\u2029]+\s*/g, ' ').replace(INLINE, '\\$&');
  // Block markers only count at the start of a line; a value can be the first thing after a list marker.
  return line.replace(/^(\s*)([-+=]|\d+(?=[.)]))/, (_m, ws: string, mark: string) => `${ws}${/\d/.test(mark) ? `${mark}\\` : `\\${mark}`}`);
}

/** A URL shown as a link only when it is a plain http(s) address; anything else stays text. */
export function mdUrl(url: string): string {
  return /^https?:\/\/[A-Za-z0-9.:[\]-]+(?:\/[A-Za-z0-9._~/%-]*)?$/.test(url) ? `<${url}>` : mdText(url);
}

/** A fenced code block for a command: the fence is longer than any backtick run inside, so nothing can close it. */
export function mdFence(code: string, indent = ''): string[] {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}`, ...code.split('\n').map((l) => `${indent}${l}`), `${indent}${fence}`];
}
