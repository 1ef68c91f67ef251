// "Copy as Markdown": a compact summary for a helpdesk ticket (the link carries the full evidence).
import type { Report } from '@/lib/report/schema';
import { STATUS_STYLE } from '@/components/ui/status';
import { groupChecks, needsAttention } from './categories';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function reportToMarkdown(r: Report, url: string): string {
  const c = r.summary.counts;
  const out: string[] = [];
  out.push(`# CBA Doctor report: ${r.summary.verdict.toUpperCase()}${r.status === 'complete' ? '' : ` (${r.status})`}`, '');
  out.push(`- Report: ${url}`);
  out.push(`- Created: ${r.createdAt}`);
  if (r.input.upn) out.push(`- Sign-in address: ${r.input.upn}`);
  if (r.input.federationHost) out.push(`- Federation host: ${r.input.federationHost}`);
  if (r.input.source === 'device') out.push('- Certificates: presented by the device in the TLS handshake, not uploaded');
  out.push(`- Target: ${r.target}`);
  out.push(`- Counts: ${c.fail} fail, ${c.error} error, ${c.warn} warn, ${c.info} info, ${c.pass} pass, ${c.skip} skipped`, '');
  const bad = needsAttention(r.checks);
  if (bad.length) {
    out.push('## Needs attention', '');
    for (const k of bad) {
      out.push(`- **${STATUS_STYLE[k.status].label.toUpperCase()}** \`${k.id}\` ${k.title}: ${k.summary}`);
      for (const m of k.remediation) {
        out.push(`  - ${m.text}`);
        if (m.command) out.push('', '    ```', ...m.command.split('\n').map((l) => `    ${l}`), '    ```', '');
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
