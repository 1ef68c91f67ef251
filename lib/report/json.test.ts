import { describe, expect, it } from 'vitest';
import { reportJson, reportJsonBytes } from './json';
import type { CheckResult, Report } from './schema';

const check = (id: string, evidence: Record<string, unknown>): CheckResult => ({
  id, category: 'cert', title: id, status: 'pass', summary: `s ${id} "quoted" \u2028`, evidence, remediation: [], durationMs: 1,
});

const report = (checks: CheckResult[], input: Report['input']): Report => ({
  schemaVersion: 1, id: 'r1', createdAt: '2026-12-03T00:00:00.000Z', updatedAt: '2026-12-03T00:00:01.000Z', status: 'running', target: 'entra',
  input, summary: { verdict: 'pass', counts: { pass: checks.length, info: 0, warn: 0, fail: 0, skip: 0, error: 0 }, rootCauses: [], notTested: 0 }, checks,
});

describe('reportJson', () => {
  it('is the same data as JSON.stringify, optional fields and odd characters included', () => {
    const input = { upn: 'a@contoso.com', domain: undefined, certificates: [], pasted: [] } as unknown as Report['input'];
    const r = report([check('cert.user', { list: [1, 'x', null], nested: { u: undefined, s: '</script>' } }), check('cert.eku', {})], input);
    expect(JSON.parse(reportJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
    // Its size, counted from the pieces, is the text's (multi-byte characters included).
    expect(reportJsonBytes(r)).toBe(Buffer.byteLength(reportJson(r)));
    expect(reportJsonBytes({ ...r, checks: [] })).toBe(Buffer.byteLength(JSON.stringify({ ...r, checks: [] })));
  });

  it('reuses the text of parts it has seen, and sees a new object as new', () => {
    const input = { certificates: [], pasted: [] } as unknown as Report['input'];
    const a = check('cert.user', { n: 1 });
    const first = report([a], input);
    expect(JSON.parse(reportJson(first)).checks[0].evidence).toEqual({ n: 1 });
    // Same objects in a later publish: served from the cache (a mutation in place would not show, by design).
    (a.evidence as { n: number }).n = 2;
    expect(JSON.parse(reportJson({ ...first, status: 'complete' })).checks[0].evidence).toEqual({ n: 1 });
    expect(JSON.parse(reportJson({ ...first, status: 'complete' })).status).toBe('complete');
    // A new result object is serialised afresh.
    expect(JSON.parse(reportJson(report([{ ...a }], input))).checks[0].evidence).toEqual({ n: 2 });
  });
});
