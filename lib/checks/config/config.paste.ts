import type { CheckDef, Outcome } from '../types';
import { KINDS, recognisedKinds } from '@/lib/paste/kinds';
import { origin, plural, sourceOf } from './common';

/** Outputs named one by one in the summary; the evidence lists them all. */
const LISTED = 20;

/** Ends a part of the summary with one full stop (reasons already end with one). */
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The first LISTED items joined, and how many more there are. */
function listed(items: string[], sep: string, more: (n: number) => string): string {
  if (items.length <= LISTED) return items.join(sep);
  return `${items.slice(0, LISTED).join(sep)}${sep}${more(items.length - LISTED)}`;
}
const moreOutputs = (n: number) => `and ${plural(n, 'more output')} (see the evidence)`;

// Not a configuration verdict: it tells the user what CBA Doctor made of each pasted text, so text it
// could not read is reported instead of silently ignored.
export const configPaste: CheckDef = {
  id: 'config.paste',
  category: 'config',
  title: 'Pasted command output recognised',
  description:
    'CBA Doctor recognises the output of the usual AD FS, Entra ID, netsh and certutil commands from the text alone, even several outputs pasted together. Text it does not recognise is listed here with the commands it can read.',
  citation: 'Issue 6 (configuration analysis from pasted command output)',
  needs: ['paste'],
  applies: (a) => (a.paste ? true : 'Nothing was pasted.'),
  run(a): Outcome {
    const p = a.paste!;
    const refused = p.refused ?? [];
    const evidence = {
      // origin(): where the output is (source, line range, the command typed before it); then what it is.
      recognised: p.blocks.map((b) => ({ ...origin(b), lineCount: b.lines, kind: b.kind, label: KINDS[b.kind].label })),
      unrecognised: p.unknown.map((u) => ({ source: sourceOf(u), lines: `${u.firstLine}-${u.lastLine}`, firstLine: u.preview, reason: u.reason, ...(u.command ? { command: u.command } : {}) })),
      empty: p.empty.map((e) => sourceOf(e)),
      ...(refused.length ? { notRead: refused.map((r) => ({ source: sourceOf(r), characters: r.chars, reason: r.reason })) } : {}),
      readable: recognisedKinds(),
    };
    const seen = p.blocks.map((b) => `${KINDS[b.kind].label.split(' (')[0]} (${sourceOf(b)}${b.node ? ` from ${b.node}` : ''}, lines ${b.firstLine}-${b.lastLine})`);
    if (!p.unknown.length && !p.empty.length && !refused.length)
      return { status: 'pass', summary: `Recognised ${plural(p.blocks.length, 'output')}: ${listed(seen, '; ', moreOutputs)}.`, evidence };
    const parts = [
      ...refused.map((r) => `${sourceOf(r)} was not read: ${r.reason}`),
      ...p.unknown.map((u) => `${sourceOf(u)} lines ${u.firstLine}-${u.lastLine} ("${u.preview}"): ${u.reason}`),
      ...p.empty.map((e) => `${sourceOf(e)} is empty`),
    ].map(sentence);
    return {
      status: 'info',
      summary: [
        listed(parts, ' ', (n) => `${plural(n, 'more finding')} ${n === 1 ? 'is' : 'are'} listed in the evidence.`),
        ...(seen.length ? [`Recognised: ${listed(seen, '; ', moreOutputs)}.`] : []),
        `CBA Doctor reads: ${recognisedKinds()
          .map((k) => k.command)
          .join('; ')}.`,
      ].join(' '),
      evidence,
    };
  },
};
