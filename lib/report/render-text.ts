// Terminal rendering of a report: grouped by category, checks in registry order within each group.
import type { CheckResult, Report } from './schema';
import { countLine, rootCauses } from './root-causes';

const ICON: Record<CheckResult['status'], string> = { pass: 'PASS', info: 'INFO', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERR ' };
const COLOR: Record<CheckResult['status'], string> = { pass: '32', info: '36', warn: '33', fail: '31', skip: '90', error: '35' };
const CATEGORY_TITLE: Record<string, string> = {
  device: 'Certificate on this device',
  input: 'Input',
  cert: 'User certificate',
  chain: 'Chain',
  crl: 'Revocation (CRL)',
  realm: 'Realm discovery',
  adfs: 'AD FS / Web Application Proxy',
  config: 'Configuration (pasted)',
};

export interface TextOptions {
  color?: boolean;
  /** Show skipped checks too. */
  verbose?: boolean;
}

function wrap(text: string, indent: string, width = 100): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && (indent + line + ' ' + word).length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

export function renderText(r: Report, opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  lines.push(c('1', 'CBA Doctor report') + `  ${r.id}`);
  const who = [r.input.upn && `user ${r.input.upn}`, r.input.federationHost && `federation host ${r.input.federationHost}`, `target ${r.target}`, r.input.cloud && `cloud ${r.input.cloud}`].filter(Boolean);
  lines.push(who.join(', '));
  if (r.input.source === 'device') lines.push('  certificates presented by the device in the TLS handshake (not uploaded)');
  for (const cert of r.input.certificates) lines.push(`  [${cert.ref}] ${cert.role.padEnd(12)} ${cert.subject}  (${cert.fileName}, expires ${cert.notAfter.slice(0, 10)})`);
  for (const p of r.input.pasted) lines.push(`  pasted: ${p.kind} (${p.lines} lines)`);
  // Root causes first, most important first (the same order as the report page and the Markdown copy).
  const causes = rootCauses(r);
  if (causes.length) {
    const failing = causes[0].check.status === 'fail';
    lines.push('', c('1', failing ? 'Root causes (most important first)' : 'Warnings (most important first)') + `  ${countLine(r)}`);
    causes.forEach(({ check, fix, blocked }, i) => {
      lines.push(`${String(i + 1).padStart(2)}. ${c(COLOR[check.status], ICON[check.status])} ${check.id.padEnd(26)} ${check.title}`);
      if (fix) lines.push(wrap(`Fix: ${fix}`, '         '));
      if (blocked.length) lines.push(wrap(`Not tested because of it: ${blocked.map((b) => b.id).join(', ')}`, '         '));
    });
  }
  const groups = new Map<string, CheckResult[]>();
  for (const ch of r.checks) groups.set(ch.category, [...(groups.get(ch.category) ?? []), ch]);
  for (const [cat, checks] of groups) {
    // Checks a root cause blocked are shown (their summary says what was not tested); other skips only with --verbose.
    const shown = opts.verbose ? checks : checks.filter((x) => x.status !== 'skip' || x.blockedBy?.length);
    if (!shown.length) continue;
    lines.push('', c('1', CATEGORY_TITLE[cat] ?? cat));
    for (const ch of shown) {
      lines.push(`${c(COLOR[ch.status], ICON[ch.status])} ${ch.id.padEnd(26)} ${ch.title}`);
      lines.push(wrap(ch.summary, '     '));
      // info checks carry ready-to-run commands too (certificateUserIds, CA registration).
      if (ch.status !== 'pass' && ch.status !== 'skip') {
        for (const rem of ch.remediation) {
          lines.push(wrap(`→ ${rem.text}`, '     '));
          if (rem.command) lines.push(...rem.command.split('\n').map((l) => `         ${c('2', l)}`));
        }
      }
    }
  }
  const n = r.summary.counts;
  lines.push('', `${c('1', 'Verdict:')} ${c(r.summary.verdict === 'pass' ? '32' : r.summary.verdict === 'warn' || r.summary.verdict === 'incomplete' ? '33' : '31', r.summary.verdict.toUpperCase())}  ` +
    `(${n.pass} pass, ${n.info} info, ${n.warn} warn, ${n.fail} fail, ${n.error} error, ${n.skip} skipped${opts.verbose ? '' : ' — --verbose shows them'})` +
    (causes.length ? `\n${countLine(r)}` : ''));
  return lines.join('\n') + '\n';
}
