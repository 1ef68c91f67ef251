// Splits a paste into the outputs it holds and recognises each one. People paste without saying what
// the text is, often several outputs at once, with or without the prompt and command lines, so:
// 1. prompt / command lines cut the paste into segments (and say which command ran);
// 2. JSON documents are taken whole;
// 3. the rest is cut at blank lines into paragraphs, each scored against every kind, and consecutive
//    paragraphs of the same kind become one block.
import { commandOf, hintFor, type CommandHint } from './commands';
import { federationFlavour, federationJsonObject, parseFederationJson } from './federation';
import { propertyLine } from './format-list';
import { KINDS, KIND_LIST } from './kinds';
import { cut, indentOf, isBlank, toLines, type Line } from './text';
import { parseTrustedCaJson, trustedCaJsonObjects } from './trusted-ca';
import type { PasteBlock, PasteKind, PasteResult, UnrecognizedBlock } from './types';

/** A paragraph needs this score to start a block of its own. */
const START = 3;
/** Total characters the JSON scanner may look at per paste (keeps hostile input linear). */
const JSON_SCAN_BUDGET = 2 * 1024 * 1024;
const MAX_JSON_CHARS = 2 * 1024 * 1024;

interface Segment {
  hint?: CommandHint;
  lines: Line[];
}

type Unit =
  | { type: 'para'; start: number; end: number }
  | { type: 'json'; start: number; end: number; value: unknown };

export interface PastedInput {
  name?: string;
  text: string;
}

function segments(lines: Line[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment = { lines: [] };
  for (const l of lines) {
    const cmd = commandOf(l.text);
    if (cmd === null) {
      cur.lines.push(l);
      continue;
    }
    if (cur.lines.some((x) => !isBlank(x)) || cur.hint) out.push(cur);
    cur = cmd ? { hint: hintFor(cmd), lines: [] } : { lines: [] };
  }
  if (cur.lines.some((x) => !isBlank(x)) || cur.hint) out.push(cur);
  return out;
}

/** Finds the end of a JSON document starting at lines[i] (string-aware bracket matching). */
function scanJson(lines: Line[], i: number, budget: { left: number }): { end: number; value: unknown } | null {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let size = 0;
  budget.left -= 1;
  for (let j = i; j < lines.length; j++) {
    const s = lines[j].text;
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
            return { end: j, value: JSON.parse(lines.slice(i, j + 1).map((l) => l.text).join('\n')) };
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

function units(lines: Line[], budget: { left: number }): Unit[] {
  const out: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    if (isBlank(lines[i])) {
      i++;
      continue;
    }
    const t = lines[i].text.trim();
    if (budget.left > 0 && JSON_START.test(t)) {
      const j = scanJson(lines, i, budget);
      if (j) {
        out.push({ type: 'json', start: i, end: j.end, value: j.value });
        i = j.end + 1;
        continue;
      }
    }
    let end = i;
    while (end + 1 < lines.length && !isBlank(lines[end + 1])) {
      // certutil's verdict line closes its output; whatever follows belongs to the next one.
      if (CLOSING.test(lines[end].text)) break;
      const nt = lines[end + 1].text;
      // A JSON document right after text without a blank line still starts its own unit.
      if (budget.left > 0 && /^\s*[[{]$/.test(nt)) break;
      // So does an output whose first line says what it is (files concatenated without a blank line).
      if (OPENING.test(nt)) break;
      end++;
    }
    out.push({ type: 'para', start: i, end });
    i = end + 1;
  }
  return out;
}

type Scores = Partial<Record<PasteKind, number>>;

/** Lines of a paragraph looked at to recognise it (real outputs show what they are long before this). */
const SCORE_LINES = 200;
// First look at a line: could it be a marker of any kind? Most lines of arbitrary text are not.
const MAYBE_MARKER =
  /^(?:[-=@]|URL |Reserved|Listen|Delegate|SDDL|SSL |Hostname|IP:|Central|CCS|Certificate|Application|Ctl |Negotiate|DS |CertContext|CertUtil|ChainContext|SimpleChain|dwFlags|ChainFlags|Cert |Exclude|Full |Leaf|HCCE|Error|Element|Name Hash|CERT_|Root|Non-root|Signature|No |c\d*\s*:|NOT |EXISTS|[A-Za-z][A-Za-z ]{0,30}"|[A-Za-z]{1,31} ")|=>/i;
// Format-List property names that say something about the kind (everything else is ignored).
const KNOWN_NAMES = new Set([
  'allowedforprimaryextranet', 'allowedforprimaryintranet', 'adminname', 'authenticationmethods', 'requiresidentity',
  'authoritytype', 'trustedissuer', 'trustedissuerski', 'trustedcertificate', 'crldistributionpoint',
  'acceptancetransformrules', 'issuancetransformrules', 'promptloginbehavior',
  'activelogonuri', 'passivelogonuri', 'logoffuri', 'federationbrandname', 'supportsmfa', 'defaultinteractiveauthenticationmethod',
  'extensiondata', 'passwordchangeuri', 'passwordreseturi', 'openidconnectdiscoveryendpoint',
  'activesigninuri', 'passivesigninuri', 'signouturi', 'federatedidpmfabehavior', 'issignedauthenticationrequestrequired',
  'additionalproperties', 'displayname', 'issueruri', 'metadataexchangeuri', 'signingcertificate', 'nextsigningcertificate',
  'preferredauthenticationprotocol', 'signingcertificateupdatestatus',
]);

function scoreParagraph(lines: Line[]): Scores {
  const s: Scores = {};
  const add = (k: PasteKind, v: number) => {
    if (v > 0) s[k] = Math.min(12, (s[k] ?? 0) + v);
  };
  const n = Math.min(lines.length, SCORE_LINES);
  const baseIndent = lines.length ? indentOf(lines[0].text) : 0;
  let names: Set<string> | null = null;
  let promptValue: string | undefined;
  for (let i = 0; i < n; i++) {
    const raw = lines[i].text;
    const t = raw.length > 4000 ? '' : raw.trim();
    if (!t) continue;
    if (MAYBE_MARKER.test(t)) for (const spec of KIND_LIST) if (spec.lineScore) add(spec.kind, spec.lineScore(t));
    // Format-List property names, read from lines at the record's own indentation.
    if (indentOf(raw) <= baseIndent) {
      const p = propertyLine(raw);
      const name = p?.name.toLowerCase();
      if (name && KNOWN_NAMES.has(name)) {
        (names ??= new Set()).add(name);
        if (name === 'promptloginbehavior') promptValue ??= p!.value;
      }
    }
  }
  if (names) {
    for (const spec of KIND_LIST) if (spec.listScore) add(spec.kind, spec.listScore(names));
    const f = federationFlavour(names, promptValue);
    add('msol-federation', f.msol);
    add('mg-federation', f.mg);
  }
  return s;
}

function best(scores: Scores, prefer: (PasteKind | undefined | null)[]): { kind: PasteKind | null; score: number } {
  let kind: PasteKind | null = null;
  let score = 0;
  for (const [k, v] of Object.entries(scores) as [PasteKind, number][]) {
    if (v > score || (v === score && v > 0 && prefer.includes(k) && !prefer.includes(kind))) {
      kind = k;
      score = v;
    }
  }
  return { kind, score };
}

interface Building {
  kind: PasteKind | null;
  start: number;
  end: number;
  closed: boolean;
}

export function detectPaste(input: PastedInput, pasteIndex: number, out: PasteResult): void {
  const lines = toLines(input.text);
  const budget = { left: JSON_SCAN_BUDGET };
  const source = input.name;
  const base = (ls: Line[], hint?: CommandHint) => {
    const firstLine = ls[0].n;
    const lastLine = ls[ls.length - 1].n;
    return { lines: lastLine - firstLine + 1, pasteIndex, firstLine, lastLine, ...(source ? { source } : {}), ...(hint ? { command: cut(hint.command, 300) } : {}) };
  };
  const unknown = (ls: Line[], reason: string, hint?: CommandHint) => {
    const body = ls.filter((l) => !isBlank(l));
    if (!body.length) return;
    const block: UnrecognizedBlock = { ...base(body, hint), preview: cut(body[0].text, 120), reason };
    out.unknown.push(block);
  };
  let found = 0;

  const emit = (kind: PasteKind, ls: Line[], hint: CommandHint | undefined, parse: () => unknown) => {
    const body = trimBlank(ls);
    if (!body.length) return;
    let data: unknown;
    try {
      data = parse();
    } catch {
      unknown(body, `It looked like ${KINDS[kind].label} output but could not be read.`, hint);
      return;
    }
    if ((KINDS[kind].isEmpty as (d: unknown) => boolean)(data)) {
      unknown(body, `It looked like ${KINDS[kind].label} output but held nothing that could be read.`, hint);
      return;
    }
    out.blocks.push({ kind, data, ...base(body, hint) } as PasteBlock);
    found++;
  };

  for (const seg of segments(lines)) {
    const hint = seg.hint;
    const hintKind = hint?.kind ?? undefined;
    const notRecognised = hint ? `The output of "${cut(hint.command, 80)}" is not one CBA Doctor reads, or it was cut.` : 'Not recognised as the output of a command CBA Doctor reads.';
    let cur: Building | null = null;
    let pendingUnknown: { start: number; end: number } | null = null;

    const flushUnknown = () => {
      if (pendingUnknown) unknown(seg.lines.slice(pendingUnknown.start, pendingUnknown.end + 1), notRecognised, hint);
      pendingUnknown = null;
    };
    const finish = () => {
      if (cur?.kind) {
        const kind = cur.kind;
        const ls = seg.lines.slice(cur.start, cur.end + 1);
        emit(kind, ls, hint, () => KINDS[kind].parse(ls, hint));
      }
      cur = null;
    };

    for (const u of units(seg.lines, budget)) {
      const ls = seg.lines.slice(u.start, u.end + 1);
      if (u.type === 'json') {
        finish();
        flushUnknown();
        const cas = trustedCaJsonObjects(u.value);
        const fed = cas.length ? null : federationJsonObject(u.value);
        if (cas.length) emit('trusted-ca', ls, hint, () => parseTrustedCaJson(cas, ls));
        else if (fed) emit('mg-federation', ls, hint, () => parseFederationJson(fed, ls));
        else unknown(ls, 'A JSON document, but not the Microsoft Graph certificate authorities or federation configuration CBA Doctor reads.', hint);
        continue;
      }
      const scores = scoreParagraph(ls);
      if (hintKind && (scores[hintKind] ?? 0) > 0) scores[hintKind] = (scores[hintKind] ?? 0) + 2;
      const c = cur as Building | null;
      const top = best(scores, [c?.kind, hintKind]);
      const open = c && !c.closed ? c : null;
      const curScore = open?.kind ? (scores[open.kind] ?? 0) : 0;
      if (open && curScore > 0 && (top.kind === open.kind || top.score < START || curScore >= top.score)) {
        open.end = u.end;
      } else if (top.kind && top.score >= START) {
        finish();
        flushUnknown();
        cur = { kind: top.kind, start: u.start, end: u.end, closed: false };
      } else if (open?.kind && KINDS[open.kind].sticky) {
        open.end = u.end;
      } else {
        finish();
        pendingUnknown = pendingUnknown ? { start: pendingUnknown.start, end: u.end } : { start: u.start, end: u.end };
        continue;
      }
      const b = cur as Building | null;
      const term = b?.kind ? KINDS[b.kind].terminal : undefined;
      if (b && term && ls.some((l) => term(l.text.trim()))) b.closed = true;
    }
    finish();
    flushUnknown();
    // A command whose output was left out entirely (e.g. the trailing prompt) says nothing.
  }
  if (!found && !out.unknown.some((u) => u.pasteIndex === pasteIndex)) out.empty.push({ pasteIndex, ...(source ? { source } : {}) });
}

function trimBlank(ls: Line[]): Line[] {
  let a = 0;
  let b = ls.length - 1;
  while (a <= b && isBlank(ls[a])) a++;
  while (b >= a && isBlank(ls[b])) b--;
  return ls.slice(a, b + 1);
}

/** Reads every pasted text. Never throws: what cannot be read is listed in `unknown`. */
export function parsePastes(inputs: PastedInput[]): PasteResult {
  const out: PasteResult = { blocks: [], unknown: [], empty: [] };
  inputs.forEach((p, i) => {
    try {
      detectPaste(p, i, out);
    } catch {
      out.unknown.push({ pasteIndex: i, ...(p.name ? { source: p.name } : {}), lines: 0, firstLine: 1, lastLine: 1, preview: '', reason: 'This text could not be read.' });
    }
  });
  return out;
}

export function parsePaste(text: string, name?: string): PasteResult {
  return parsePastes([{ text, name }]);
}
