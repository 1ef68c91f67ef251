import { describe, expect, it } from 'vitest';
import { renderText } from './render-text';
import { summarize, type Report } from './schema';

function report(checks: Report['checks']): Report {
  return {
    schemaVersion: 1, id: 'r1', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', status: 'complete', target: 'adfs',
    input: { upn: 'alice@contoso.com', certificates: [], pasted: [] }, summary: summarize(checks), checks,
  };
}
const check = (id: string, status: Report['checks'][number]['status'], rem: Report['checks'][number]['remediation'] = []) => ({
  id, category: id.split('.')[0], title: `title of ${id}`, status, summary: `summary of ${id}`, evidence: {}, remediation: rem, durationMs: 1,
});

describe('renderText', () => {
  it('groups by category, shows remediation commands for fail and info, hides skips unless verbose', () => {
    const r = report([
      check('cert.eku', 'fail', [{ text: 'Reissue the certificate', command: 'certreq -new user.inf' }]),
      check('cert.user-ids', 'info', [{ text: 'Bind it', command: 'Update-MgUser x' }]),
      check('cert.key', 'pass', [{ text: 'never shown', command: 'nope' }]),
      check('crl.fetch', 'skip'),
    ]);
    const t = renderText(r);
    expect(t).toContain('User certificate');
    expect(t).toMatch(/FAIL cert\.eku/);
    expect(t).toContain('certreq -new user.inf');
    expect(t).toContain('Update-MgUser x');
    expect(t).not.toContain('nope');
    expect(t).not.toContain('crl.fetch');
    expect(renderText(r, { verbose: true })).toContain('crl.fetch');
    expect(t).toMatch(/Verdict: FAIL/);
    expect(t).not.toContain('\x1b[');
    expect(renderText(r, { color: true })).toContain('\x1b[31m');
  });
});
