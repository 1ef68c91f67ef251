// Pasted server output labelled with its node (issue 14): a server-side config check runs once per node over
// that node's outputs, names the node in every finding, and shows nodes that disagree side by side. Pastes
// without a label are judged together as before (they form one group of their own, "unlabelled").
import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import type { PasteBlock } from '@/lib/paste/types';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';

const UNLABELLED = 'unlabelled pastes';

interface NodeOutcome {
  node: string;
  outcome: Outcome;
}

/** The paste blocks by node, in the order the nodes first appear; null when no block carries a node. */
export function blocksByNode(blocks: PasteBlock[]): Map<string, PasteBlock[]> | null {
  if (!blocks.some((b) => b.node)) return null;
  const m = new Map<string, PasteBlock[]>();
  for (const b of blocks) {
    const k = b.node ?? UNLABELLED;
    const list = m.get(k);
    if (list) list.push(b);
    else m.set(k, [b]);
  }
  return m;
}

async function runGuarded(c: CheckDef, a: Artifacts): Promise<Outcome | null> {
  const applies = c.applies ? c.applies(a) : true;
  if (applies !== true) return null;
  try {
    return await c.run(a);
  } catch (e) {
    return { status: 'error', summary: `The check could not judge this node's output: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** One remediation per distinct step, naming the nodes it is for. */
function mergeRemediation(per: NodeOutcome[]): Remediation[] {
  const steps = new Map<string, { r: Remediation; nodes: string[] }>();
  for (const { node, outcome } of per)
    for (const r of outcome.remediation ?? []) {
      const key = `${r.text}\u0000${r.command ?? ''}`;
      const s = steps.get(key);
      if (s) s.nodes.push(node);
      else steps.set(key, { r, nodes: [node] });
    }
  return [...steps.values()].map(({ r, nodes }) => ({ ...r, text: `${nodes.length === 1 ? `On ${nodes[0]}` : `On ${nodes.slice(0, -1).join(', ')} and ${nodes[nodes.length - 1]}`}: ${r.text}` }));
}

/** Combines the per-node outcomes: worst status, every node named, side by side when they disagree. */
export function combineNodes(per: NodeOutcome[]): Outcome {
  const status: Status = worst(per.map((p) => p.outcome.status));
  const statuses = new Set(per.map((p) => p.outcome.status));
  const summary = [
    ...(statuses.size > 1 ? [`The nodes disagree: ${per.map((p) => `${p.node} ${p.outcome.status}`).join(', ')}.`] : []),
    ...per.map((p) => `${p.node}: ${p.outcome.summary}`),
  ].join(' ');
  const remediation = mergeRemediation(per);
  return {
    status,
    summary,
    evidence: {
      // One row per node: what the reader compares first.
      sideBySide: per.map((p) => ({ node: p.node, status: p.outcome.status, summary: p.outcome.summary })),
      nodes: per.map((p) => ({ node: p.node, status: p.outcome.status, ...(p.outcome.evidence ?? {}) })),
    },
    ...(remediation.length ? { remediation } : {}),
  };
}

/** The check, run per node when the pastes are labelled (the check itself is unchanged). */
export function perNode(c: CheckDef): CheckDef {
  return {
    ...c,
    async run(a: Artifacts): Promise<Outcome> {
      const groups = a.paste ? blocksByNode(a.paste.blocks) : null;
      if (!groups || !a.paste) return c.run(a);
      const per: NodeOutcome[] = [];
      for (const [node, blocks] of groups) {
        const outcome = await runGuarded(c, { ...a, paste: { ...a.paste, blocks } });
        if (outcome) per.push({ node, outcome });
      }
      // No node alone has what the check needs (e.g. a pair of outputs split across nodes): judge them together.
      if (!per.length) return c.run(a);
      return combineNodes(per);
    },
  };
}
