// Helpers shared by the config.* checks (pasted command output).
import type { Artifacts } from '@/lib/report/artifacts';
import { KINDS } from '@/lib/paste/kinds';
import type { PasteBlock, PasteBlockOf, PasteKind, Quoted } from '@/lib/paste/types';

export function blocksOf<K extends PasteKind>(a: Artifacts, ...kinds: K[]): PasteBlockOf<K>[] {
  return (a.paste?.blocks ?? []).filter((b): b is PasteBlockOf<K> => (kinds as PasteKind[]).includes(b.kind));
}

/** applies(): true when a block of one of the kinds was pasted, else the skip reason. */
export function pasted(...kinds: PasteKind[]) {
  return (a: Artifacts): true | string => {
    if (blocksOf(a, ...kinds).length) return true;
    const what = kinds.map((k) => KINDS[k].label).join(' or ');
    if (!a.paste) return `Nothing was pasted (paste the output of ${what} to run this check).`;
    return `No output of ${what} was found in what was pasted.`;
  };
}

/** Where a block came from, for evidence. */
export function origin(b: PasteBlock) {
  return {
    ...(b.node ? { node: b.node } : {}),
    source: sourceOf(b),
    lines: `${b.firstLine}-${b.lastLine}`,
    ...(b.command ? { command: b.command } : {}),
  };
}

/** The name of the pasted text a block came from: its file or box name, or "paste N". */
export function sourceOf(b: Pick<PasteBlock, 'source' | 'pasteIndex'>): string {
  return b.source ?? `paste ${b.pasteIndex + 1}`;
}

/**
 * `line 14`, or `paste 2 line 14` / `server.txt line 14`: a line of a block, for summaries. The text is
 * named whenever it could be told apart from another (it has a name, or it is not the first paste).
 */
export function lineAt(line: number, b?: Pick<PasteBlock, 'source' | 'pasteIndex' | 'node'>): string {
  // A labelled paste is named by its server first: findings are read node by node (issue 14).
  if (b?.node) return `${sourceOf(b)} from ${b.node}, line ${line}`;
  const where = b && (b.source || b.pasteIndex > 0) ? `${sourceOf(b)} ` : '';
  return `${where}line ${line}`;
}

/** `line 14: "PromptLoginBehavior : Disabled"` — the evidence line quoted for summaries. */
export function said(q: Pick<Quoted<unknown>, 'line' | 'text'>, b?: PasteBlock): string {
  // Console alignment is noise inside a sentence; the evidence keeps the line exactly as printed.
  return `${lineAt(q.line, b)}: "${q.text.replace(/\s{2,}/g, ' ')}"`;
}

export function lineRef(q: Pick<Quoted<unknown>, 'line' | 'text'> | null | undefined) {
  return q ? { line: q.line, text: q.text } : null;
}

/** Distinguished names compared the way people read them: case, spaces and quotes ignored. */
export function sameDn(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const n = (s: string) => s.toLowerCase().replace(/"/g, '').replace(/\s*([,=+])\s*/g, '$1').replace(/\s+/g, ' ').trim();
  return n(a) === n(b);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A CA of the user's chain, as the config checks compare it with pasted lists. */
export interface ChainCa {
  ref: string;
  subject: string;
  /** SHA-1 thumbprint, lower-case hex. */
  sha1: string;
  ski: string | null;
  root: boolean;
  notAfter: Date;
  /** HTTP(S) URLs of this CA's CRL: the CDP of the certificate below it in the path. */
  crlUrls: string[];
  /** Every CDP URL of that certificate (LDAP, file...). */
  cdpUrls: string[];
}

/** The CAs of the built chain (issuers of the user certificate, up to the root), or null when there is no chain. */
export function chainCas(a: Artifacts): ChainCa[] | null {
  const path = a.chain?.path;
  if (!path || path.length < 2) return null;
  return path.slice(1).map((e, i) => {
    const below = path[i].cert;
    const cdpUrls = (below.cdp ?? []).flatMap((d) => d.urls);
    return {
      ref: e.ref,
      subject: e.cert.subject.display,
      sha1: e.cert.sha1.toLowerCase(),
      ski: e.cert.ski ?? null,
      root: i === path.length - 2 && e.cert.selfIssued,
      notAfter: e.cert.notAfter,
      crlUrls: cdpUrls.filter((u) => /^https?:\/\//i.test(u)),
      cdpUrls,
    };
  });
}
