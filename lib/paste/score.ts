// Scoring a paragraph against every kind: the marker lines each kind's lineScore knows, and the Format-List
// property names its listScore knows. Detection scores every paragraph of a paste, and a hostile paste can
// hold hundreds of thousands, so one Scores is reused for all of them.
import { federationFlavour } from './federation';
import { propertyLine } from './format-list';
import { isRuleLine, tableHeaderNames } from './format-table';
import { KIND_LIST } from './kinds';
import { head2, heads, indentOf } from './text';
import { PASTE_KINDS, type PasteKind } from './types';

const INDEX = new Map<PasteKind, number>(PASTE_KINDS.map((k, i) => [k, i]));
/** The index of a kind, or NONE. */
export const kindIndex = (k: PasteKind | null | undefined): number => (k ? (INDEX.get(k) ?? NONE) : NONE);
export const NONE = -2;
const MSOL = kindIndex('msol-federation');
const MG = kindIndex('mg-federation');

const LINE_SCORERS = KIND_LIST.flatMap((s) => (s.lineScore ? [{ k: kindIndex(s.kind), score: s.lineScore }] : []));
const LIST_SCORERS = KIND_LIST.flatMap((s) => (s.listScore ? [{ k: kindIndex(s.kind), score: s.listScore }] : []));

/** A score no kind goes over from its markers alone. */
const CAP = 12;

export class Scores {
  private readonly v = new Int32Array(PASTE_KINDS.length);
  /** The kinds in the order they first scored: a tie that no preference settles goes to the first. */
  private readonly order = new Int8Array(PASTE_KINDS.length);
  private n = 0;

  reset(): void {
    for (let i = 0; i < this.n; i++) this.v[this.order[i]] = 0;
    this.n = 0;
  }

  add(k: number, x: number): void {
    if (x <= 0) return;
    if (this.v[k] === 0) this.order[this.n++] = k;
    this.v[k] = Math.min(CAP, this.v[k] + x);
  }

  get(k: number): number {
    return k >= 0 ? this.v[k] : 0;
  }

  /** Raises a kind that scored (the command line named it), past the cap. */
  raise(k: number, x: number): void {
    if (this.get(k) > 0) this.v[k] += x;
  }

  /** The kind with the highest score (NONE when none scored); on a tie, one of the preferred kinds. */
  best(prefer1: number, prefer2: number): number {
    let kind = NONE;
    let score = 0;
    for (let i = 0; i < this.n; i++) {
      const k = this.order[i];
      const v = this.v[k];
      if (v > score || (v === score && (k === prefer1 || k === prefer2) && kind !== prefer1 && kind !== prefer2)) {
        kind = k;
        score = v;
      }
    }
    return kind;
  }
}

export const kindAt = (k: number): PasteKind => PASTE_KINDS[k];

/** Lines of a paragraph looked at to recognise it (real outputs show what they are long before this). */
const SCORE_LINES = 200;
// First look at a line: could it be a marker of any kind? Most lines of arbitrary text are not. Three parts
// that together match what one pattern would, cheaper: the start matched anchored (one unanchored pattern is
// tried at every position of every line), the quoted names (status lines, store headers) only where there is
// a quote (their letter runs backtrack on every long word), and "=>" (claim rules) anywhere.
const MARKER_START =
  /^(?:[-=@]|URL |Reserved|Listen|Delegate|SDDL|SSL |Hostname|IP:|Central|CCS|Certificate|Application|Ctl |Negotiate|DS |CertContext|CertUtil|ChainContext|SimpleChain|dwFlags|ChainFlags|Cert |Exclude|Full |Leaf|HCCE|Error|Element|Name Hash|CERT_|Root|Non-root|Signature|No |c\d*\s*:|NOT |EXISTS|Request Id|Correlation Id|Timestamp|Trace Id|AADSTS)/i;
const MARKER_QUOTED = /^(?:[A-Za-z][A-Za-z ]{0,30}"|[A-Za-z]{1,31} ")/i;
/** How the alternatives of MARKER_START begin: one or two characters, letters lower-cased (see head2). */
const MARKER_HEADS = heads('UR', 'Re', 'Li', 'De', 'SD', 'SS', 'Ho', 'IP', 'Ce', 'CC', 'Ap', 'Ct', 'Ne', 'DS', 'Ch', 'Si', 'dw', 'Ex', 'Fu', 'Le', 'HC', 'Er', 'El', 'Na', 'Ro', 'No', 'Ti', 'Tr', 'AA');
const mayStartMarker = (t: string) => {
  const c = t.charCodeAt(0) | 0x20;
  return c === 45 || c === 61 || c === 96 || c === 99 || MARKER_HEADS.has(head2(t)); // - = @ c (c: claim conditions)
};
/** Marker heads that kinds registered later declare (KindSpec.markerHeads): their lineScore decides. */
const KIND_HEADS = heads(...KIND_LIST.flatMap((k) => k.markerHeads ?? []));
const mayBeMarker = (t: string) =>
  (mayStartMarker(t) && MARKER_START.test(t)) || (t.includes('"') && MARKER_QUOTED.test(t)) || t.includes('=>') || KIND_HEADS.has(head2(t)) || t.includes('AADSTS');
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
  // Kinds registered later name their own (KindSpec.listNames).
  ...KIND_LIST.flatMap((k) => k.listNames ?? []),
]);
/** The known property names of the paragraph being scored (read only by the list scorers, cleared for each paragraph). */
const names = new Set<string>();

function tableNames(header: string, rule: string): void {
  for (const c of tableHeaderNames(header, rule)) {
    if (KNOWN_NAMES.has(c.name)) names.add(c.name);
    else if (c.cut && c.name.length >= 4) for (const n of KNOWN_NAMES) if (n.startsWith(c.name)) names.add(n);
  }
}

/** Scores lines[start..end] (a paragraph: no blank line) into `s`. */
export function scoreParagraph(lines: string[], start: number, end: number, s: Scores): void {
  s.reset();
  if (names.size) names.clear(); // clear() allocates a new table even when empty
  const last = Math.min(end, start + SCORE_LINES - 1);
  const baseIndent = indentOf(lines[start]);
  let promptValue: string | undefined;
  for (let i = start; i <= last; i++) {
    const raw = lines[i];
    const t = raw.length > 4000 ? '' : raw.trim();
    if (!t) continue;
    if (mayBeMarker(t)) for (const x of LINE_SCORERS) s.add(x.k, x.score(t));
    // Format-List property names, read from lines at the record's own indentation.
    if (indentOf(raw) <= baseIndent) {
      const p = propertyLine(raw);
      const name = p?.name.toLowerCase();
      if (name && KNOWN_NAMES.has(name)) {
        names.add(name);
        if (name === 'promptloginbehavior') promptValue ??= p!.value;
      }
    }
  }
  // Format-Table output: the header names above the rule of dashes.
  if (start < end && isRuleLine(lines[start + 1])) tableNames(lines[start], lines[start + 1]);
  if (names.size) {
    for (const x of LIST_SCORERS) s.add(x.k, x.score(names));
    const f = federationFlavour(names, promptValue);
    s.add(MSOL, f.msol);
    s.add(MG, f.mg);
  }
}
