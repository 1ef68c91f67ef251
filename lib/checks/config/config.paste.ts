import type { CheckDef, Outcome } from '../types';
import { KINDS, recognisedKinds } from '@/lib/paste/kinds';
import { origin, plural } from './common';

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
    const evidence = {
      recognised: p.blocks.map((b) => ({ ...origin(b), kind: b.kind, command: KINDS[b.kind].label, lines: b.lines })),
      unrecognised: p.unknown.map((u) => ({ source: u.source ?? `paste ${u.pasteIndex + 1}`, lines: `${u.firstLine}-${u.lastLine}`, firstLine: u.preview, reason: u.reason, ...(u.command ? { command: u.command } : {}) })),
      empty: p.empty.map((e) => e.source ?? `paste ${e.pasteIndex + 1}`),
      readable: recognisedKinds(),
    };
    const seen = p.blocks.map((b) => `${KINDS[b.kind].label.split(' (')[0]} (${b.source ?? `paste ${b.pasteIndex + 1}`}, lines ${b.firstLine}-${b.lastLine})`);
    if (!p.unknown.length && !p.empty.length)
      return { status: 'pass', summary: `Recognised ${plural(p.blocks.length, 'output')}: ${seen.join('; ')}.`, evidence };
    const unk = p.unknown.map((u) => `${u.source ?? `paste ${u.pasteIndex + 1}`} lines ${u.firstLine}-${u.lastLine} ("${u.preview}"): ${u.reason}`);
    const empty = p.empty.map((e) => `${e.source ?? `paste ${e.pasteIndex + 1}`} is empty`);
    return {
      status: 'info',
      summary:
        `${[...unk, ...empty].join('; ')}.` +
        (seen.length ? ` Recognised: ${seen.join('; ')}.` : '') +
        ` CBA Doctor reads: ${recognisedKinds().map((k) => k.command).join('; ')}.`,
      evidence,
    };
  },
};
