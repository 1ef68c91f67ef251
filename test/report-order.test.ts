// Root causes in the same order everywhere (issue 10 item 1): the report summary, the CLI text, the Markdown copy
// and the page's "Needs attention" list, over a real report with two root causes and one check they blocked.
import { describe, expect, it } from 'vitest';
import { needsAttention } from '@/components/report/categories';
import { reportToMarkdown } from '@/components/report/markdown';
import { renderText } from '@/lib/report/render-text';
import { countLine, rootCauses } from '@/lib/report/root-causes';
import { diagnose } from '@/test/pki/diagnose';
import { EKU, makePki } from '@/test/pki/gen';

describe('root cause order in every rendering', () => {
  it('lists the cause that blocked the most checks first, with its fix and what it blocked', async () => {
    // A user certificate with the wrong EKU, uploaded without its issuing CA: two causes, one blocks chain.path.
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256', aia: null }, user: { key: 'p256', aia: null, eku: [EKU.serverAuth] } });
    const r = await diagnose({ certs: [pki.user, pki.root], upn: 'alice@contoso.com', target: 'adfs' });
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.id).sort()).toEqual(['cert.eku', 'chain.build']);
    const order = ['chain.build', 'cert.eku'];
    expect(r.summary.rootCauses).toEqual(order);
    expect(r.summary.notTested).toBe(1);
    const causes = rootCauses(r);
    expect(causes.map((x) => x.check.id)).toEqual(order);
    expect(causes[0].blocked.map((b) => b.id)).toEqual(['chain.path']);
    expect(causes[0].fix).toMatch(/^Upload the certificate of the CA "CN=Contoso Issuing CA[^"]*".*\.$/);
    expect(countLine(r)).toBe('2 root causes · 1 check not tested because of them');
    expect(needsAttention(r.checks).slice(0, 2).map((c) => c.id)).toEqual(order);

    const text = renderText(r);
    const head = text.slice(text.indexOf('Root causes (most important first)'));
    expect(head.indexOf(' chain.build ')).toBeGreaterThan(0);
    expect(head.indexOf(' chain.build ')).toBeLessThan(head.indexOf(' cert.eku '));
    expect(head).toMatch(/ 1\. FAIL chain\.build[\s\S]*Fix: Upload the certificate of the CA[\s\S]*Not tested because of it: chain\.path[\s\S]* 2\. FAIL cert\.eku/);
    // The blocked check is shown with what was not tested, without --verbose.
    expect(text).toMatch(/SKIP chain\.path +[^\n]*\n +Not tested: the path stops at/);
    expect(text).toContain('2 root causes · 1 check not tested because of them');

    const md = reportToMarkdown(r, 'https://cba.example/r/x');
    expect(md).toContain('- 2 root causes · 1 check not tested because of them');
    const attention = md.slice(md.indexOf('## Needs attention'), md.indexOf('## All checks'));
    expect(attention.indexOf('`chain.build`')).toBeLessThan(attention.indexOf('`cert.eku`'));
    expect(attention).toContain('**FAIL** (root cause) `chain.build`');
    expect(attention).toContain('  - Not tested because of it: `chain.path`');
    expect(attention).not.toContain('**SKIP');
  });
});
