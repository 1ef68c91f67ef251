// Reader for PowerShell Format-List output ("Name : value" records separated by blank lines).
// Long values wrap at the console width with the continuation indented to the value column: words
// wrap at spaces (the space is dropped), unbroken strings (base64, URLs, DNs) are cut mid-word at the
// last column. Collections print as {a, b, c...}, cut after $FormatEnumerationLimit items with "...".
import { cut, indentOf, isBlankText, type Line } from './text';

export interface FlProperty {
  name: string;
  /** The value with wrapped lines joined. */
  value: string;
  line: number;
  /** The property's first line as printed (trimmed, cut). */
  text: string;
  /** For {a, b, c} values: the items, and whether PowerShell cut the list ("..."). */
  collection?: { items: string[]; truncated: boolean };
  /** Read from a Format-Table cell that PowerShell cut ("..."): the value is only its beginning. */
  cut?: boolean;
}

export interface FlRecord {
  props: FlProperty[];
  firstLine: number;
  lastLine: number;
}

const PROP = /^([A-Za-z_][A-Za-z0-9_.-]{0,127})\s*:(?:\s(.*)|)$/;

export function propertyLine(text: string): { indent: number; name: string; value: string } | null {
  // Detection asks this of most lines of a paste; without a colon there is no property.
  if (text.indexOf(':') < 0) return null;
  const indent = indentOf(text);
  const m = PROP.exec(text.slice(indent));
  return m ? { indent, name: m[1], value: (m[2] ?? '').trim() } : null;
}

/** Case-insensitive property lookup. */
export function prop(r: FlRecord, name: string): FlProperty | undefined {
  // Parsers look up several names in every record: compared in place, without lower-cased copies.
  for (const p of r.props) if (sameName(p.name, name)) return p;
  return undefined;
}

/** a.toLowerCase() === b.toLowerCase() for ASCII names (property names are [A-Za-z0-9_.-]). */
function sameName(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && ((x | 0x20) !== (y | 0x20) || (x | 0x20) < 97 || (x | 0x20) > 122)) return false;
  }
  return true;
}

export function propNames(r: FlRecord): Set<string> {
  return new Set(r.props.map((p) => p.name.toLowerCase()));
}

interface Piece {
  text: string;
  /** Physical length of the line the piece came from (to tell hard cuts from word wraps). */
  len: number;
  /** Column the piece starts at: the value column for continuation lines. */
  indent: number;
  /** A blank line came before this piece (multi-line string values). */
  afterBlank: boolean;
}

function joinPieces(pieces: Piece[], width: number): string {
  let out = pieces[0].text;
  for (let i = 1; i < pieces.length; i++) {
    const prev = pieces[i - 1];
    const p = pieces[i];
    let sep: string;
    if (p.afterBlank) sep = '\n';
    else if (prev.text === '' || /[,;]$/.test(prev.text)) sep = prev.text === '' ? '' : ' ';
    else {
      // PowerShell cuts a word only when it is longer than a whole line; any other word moves to the next
      // line and the space before it is dropped. So a break is a cut when the line before it is full and
      // the word across the break could not have fitted on a line of its own. The value column comes from
      // the continuation line, so a property line whose alignment spaces became a tab is measured right.
      const capacity = p.indent > 0 ? width - p.indent : width;
      const full = prev.len >= width || prev.text.length >= capacity;
      const word = prev.text.length - prev.text.lastIndexOf(' ') - 1 + (p.text.indexOf(' ') < 0 ? p.text.length : p.text.indexOf(' '));
      sep = full && word > capacity ? '' : ' ';
    }
    out += sep + p.text;
  }
  return out;
}

function parseCollection(v: string): FlProperty['collection'] | undefined {
  if (!(v.startsWith('{') && v.endsWith('}'))) return undefined;
  const inner = v.slice(1, -1).trim();
  if (!inner) return { items: [], truncated: false };
  const items = inner.split(/,\s*/).map((s) => s.trim());
  let truncated = false;
  const last = items[items.length - 1];
  if (last.endsWith('...') || last.endsWith('…')) {
    truncated = true;
    items[items.length - 1] = last.replace(/(\.\.\.|…)$/, '').trim();
    if (!items[items.length - 1]) items.pop();
  }
  return { items, truncated };
}

/**
 * Reads Format-List records. `width` is the console width the output was wrapped at; by default the
 * longest line of the input (a hard cut always fills the line).
 */
export function readFormatList(lines: Line[], width?: number): FlRecord[] {
  const w = width ?? lines.reduce((m, l) => Math.max(m, l.text.length), 0);
  const records: FlRecord[] = [];
  let rec: { props: { name: string; line: Line; pieces: Piece[] }[]; first: number; last: number; indent: number } | null = null;
  let pendingBlank = false;

  const finish = () => {
    if (!rec || !rec.props.length) return;
    records.push({
      firstLine: rec.first,
      lastLine: rec.last,
      props: rec.props.map((p) => {
        const pieces = p.pieces[0].text === '' && p.pieces.length > 1 ? p.pieces.slice(1).map((x, i) => (i === 0 ? { ...x, afterBlank: false } : x)) : p.pieces;
        const value = joinPieces(pieces, w).trim();
        const collection = parseCollection(value);
        return { name: p.name, value, line: p.line.n, text: cut(p.line.text), ...(collection ? { collection } : {}) };
      }),
    });
    rec = null;
  };

  for (const l of lines) {
    const t = l.text;
    if (isBlankText(t)) {
      pendingBlank = true;
      continue;
    }
    const pl = propertyLine(t);
    const cur = rec as typeof rec;
    const lastProp = cur?.props[cur.props.length - 1];
    const ind = indentOf(t);
    const lastPiece = lastProp?.pieces[lastProp.pieces.length - 1];
    // Deeper than the property column: a continuation. At the property column, a line that is not a
    // property only continues a value that was cut at the console width (a paste that lost its
    // indentation); otherwise it is text pasted after the output and ends the record.
    const isContinuation =
      !!lastProp && !pendingBlank ? ind > cur!.indent || (!pl && !!lastPiece && lastPiece.len >= w) : !!lastProp && ind > cur!.indent;
    if (isContinuation) {
      lastProp!.pieces.push({ text: t.trim(), len: t.length, indent: ind, afterBlank: pendingBlank });
      cur!.last = l.n;
      pendingBlank = false;
      continue;
    }
    if (!pl) {
      // Not part of a record (a header, a stray line): it ends the current record.
      finish();
      pendingBlank = false;
      continue;
    }
    if (pendingBlank || !cur) {
      finish();
      rec = { props: [], first: l.n, last: l.n, indent: pl.indent };
    }
    const r = rec!;
    r.props.push({ name: pl.name, line: l, pieces: [{ text: pl.value, len: t.length, indent: 0, afterBlank: false }] });
    r.last = l.n;
    pendingBlank = false;
  }
  finish();
  return records;
}
