// "Copy as Markdown": a compact summary for a helpdesk ticket (the link carries the full evidence).
import type { Report } from '@/lib/report/schema';
import { STATUS_STYLE } from '@/components/ui/status';
import { countLine, rootCauses } from '@/lib/report/root-causes';
import { groupChecks, needsAttention } from './categories';
import { mdFence, mdText, mdUrl } from './markdown-escape';
import { certNames, withCertNames } from './cert-names';

// mdText escapes `|` too, so a value cannot add table columns.
const cell = mdText;

export function reportToMarkdown(r: Report, url: string): string {
  const c = r.summary.counts;
  const out: string[] = [];
  // Certificates by file name, never by internal ref (c1, c2).
  const names = certNames(r.input.certificates);
  const named = (s: string) => withCertNames(names, s);
  out.push(`# CBA Doctor report: ${r.summary.verdict.toUpperCase()}${r.status === 'complete' ? '' : ` (${r.status})`}`, '');
  out.push(`- Report: ${mdUrl(url)}`);
  out.push(`- Created: ${r.createdAt}`);
  if (r.input.upn) out.push(`- Sign-in address: ${mdText(r.input.upn)}`);
  if (r.input.federationHost) out.push(`- Federation host: ${mdText(r.input.federationHost)}`);
  if (r.input.source === 'device') out.push('- Certificates: presented by the device in the TLS handshake, not uploaded');
  out.push(`- Target: ${r.target}${r.input.cloud ? ` (cloud: ${r.input.cloud})` : ''}`);
  out.push(`- Counts: ${c.fail} fail, ${c.error} error, ${c.warn} warn, ${c.info} info, ${c.pass} pass, ${c.skip} skipped`);
  const line = countLine(r);
  if (line) out.push(`- ${line}`);
  out.push('');
  // Root causes first, most important first, in the order of the verdict banner and the CLI.
  const causes = rootCauses(r);
  const bad = needsAttention(r.checks);
  if (bad.length) {
    out.push('## Needs attention', '');
    for (const k of bad) {
      const cause = causes.find((x) => x.check === k);
      out.push(`- **${STATUS_STYLE[k.status].label.toUpperCase()}**${cause ? ' (root cause)' : ''} \`${k.id}\` ${mdText(k.title)}: ${mdText(named(k.summary))}`);
      if (cause?.blocked.length) out.push(`  - Not tested because of it: ${cause.blocked.map((b) => `\`${b.id}\``).join(', ')}`);
      for (const m of k.remediation) {
        out.push(`  - ${mdText(named(m.text))}`);
        if (m.command) out.push('', ...mdFence(m.command, '    '), '');
      }
    }
    out.push('');
  }
  out.push('## All checks', '');
  for (const g of groupChecks(r.checks)) {
    out.push(`### ${g.label}`, '', '| Status | Check | Summary |', '| --- | --- | --- |');
    for (const k of g.checks) out.push(`| ${STATUS_STYLE[k.status].label} | \`${k.id}\` ${cell(k.title)} | ${cell(named(k.summary))} |`);
    out.push('');
  }
  return out.join('\n');
}
