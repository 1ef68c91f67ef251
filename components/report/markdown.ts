// "Copy as Markdown": a compact summary for a helpdesk ticket (the link carries the full evidence).
import type { Report } from '@/lib/report/schema';
import { STATUS_STYLE } from '@/components/ui/status';
import { groupChecks, needsAttention } from './categories';
import { mdFence, mdText, mdUrl } from './markdown-escape';

// mdText escapes `|` too, so a value cannot add table columns.
const cell = mdText;

export function reportToMarkdown(r: Report, url: string): string {
  const c = r.summary.counts;
  const out: string[] = [];
  out.push(`# CBA Doctor report: ${r.summary.verdict.toUpperCase()}${r.status === 'complete' ? '' : ` (${r.status})`}`, '');
  out.push(`- Report: ${mdUrl(url)}`);
  out.push(`- Created: ${r.createdAt}`);
  if (r.input.upn) out.push(`- Sign-in address: ${mdText(r.input.upn)}`);
  if (r.input.federationHost) out.push(`- Federation host: ${mdText(r.input.federationHost)}`);
  out.push(`- Target: ${r.target}`);
  out.push(`- Counts: ${c.fail} fail, ${c.error} error, ${c.warn} warn, ${c.info} info, ${c.pass} pass, ${c.skip} skipped`, '');
  const bad = needsAttention(r.checks);
  if (bad.length) {
    out.push('## Needs attention', '');
    for (const k of bad) {
      out.push(`- **${STATUS_STYLE[k.status].label.toUpperCase()}** \`${k.id}\` ${mdText(k.title)}: ${mdText(k.summary)}`);
      for (const m of k.remediation) {
        out.push(`  - ${mdText(m.text)}`);
        if (m.command) out.push('', ...mdFence(m.command, '    '), '');
      }
    }
    out.push('');
  }
  out.push('## All checks', '');
  for (const g of groupChecks(r.checks)) {
    out.push(`### ${g.label}`, '', '| Status | Check | Summary |', '| --- | --- | --- |');
    for (const k of g.checks) out.push(`| ${STATUS_STYLE[k.status].label} | \`${k.id}\` ${cell(k.title)} | ${cell(k.summary)} |`);
    out.push('');
  }
  return out.join('\n');
}
