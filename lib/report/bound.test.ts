import { describe, expect, it } from 'vitest';
import { boundReport, cut, MAX_COMMAND, reportCap } from './bound';
import { summarize, type CheckResult, type Report } from './schema';

const check = (id: string, evidence: Record<string, unknown>, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, category: 'input', title: id, status: 'info', summary: 's', evidence, remediation: [], durationMs: 1, ...extra,
});
const report = (checks: CheckResult[]): Report => ({
  schemaVersion: 1, id: 'x', createdAt: '', updatedAt: '', status: 'complete', target: 'unknown', input: { certificates: [], pasted: [] }, summary: summarize(checks), checks,
});

describe('boundReport', () => {
  it('cuts long strings stating the full length, and leaves out a command that would be too long', () => {
    expect(cut('abcdef', 3)).toBe('abc… [cut: 6 characters in all]');
    const r = boundReport(report([check('a.b', { v: 'x'.repeat(5000) }, { remediation: [{ text: 'do it:', command: 'y'.repeat(MAX_COMMAND + 1) }] })]), 10_000);
    expect(r.checks[0].evidence.v).toBe(`${'x'.repeat(1000)}… [cut: 5,000 characters in all]`);
    expect(r.checks[0].remediation[0].command).toBeUndefined();
    expect(r.checks[0].remediation[0].text).toContain('8,001 characters long');
  });

  it('above twice the input plus 1 MB, leaves out the largest evidence first and says so', () => {
    // Many short strings: nothing to cut, but 1.5 MB of evidence for 1 KB of input.
    const big = { rows: Array.from({ length: 30_000 }, (_, i) => ({ i, v: 'row value of moderate size' })) };
    const small = { ok: true };
    const r = boundReport(report([check('a.big', big), check('a.small', small), check('a.big2', { rows: big.rows.slice(0, 1000) })]), 1024);
    const size = Buffer.byteLength(JSON.stringify(r));
    expect(size).toBeLessThanOrEqual(reportCap(1024));
    expect(r.checks[0].evidence).toEqual({ trimmed: expect.stringMatching(/^Evidence left out \([\d,]+ bytes\): the report reached its size cap of 1,050,624 bytes \(twice the uploaded input plus 1 MB\)\.$/) });
    expect(r.checks[1].evidence).toEqual(small);
    expect((r.checks[2].evidence.rows as unknown[]).length).toBe(1000);
  });
});
