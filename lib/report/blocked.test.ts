import { describe, expect, it } from 'vitest';
import type { CheckDef, Outcome, Prerequisite } from '@/lib/checks/types';
import type { Artifacts } from './artifacts';
import { applyPrerequisites } from './blocked';
import type { CheckResult } from './schema';

const a = { ctx: { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 1000 }, input: { files: [], crlFiles: [], pasted: [] }, target: 'unknown' } as Artifacts;
const result = (id: string, status: CheckResult['status']): CheckResult => ({ id, category: 'adfs', title: id, status, summary: '', evidence: {}, remediation: [], durationMs: 0 });
const def = (explains: Prerequisite['explains']): CheckDef => ({
  id: 'adfs.https', category: 'adfs', title: 't', description: 'd'.repeat(30), citation: 'c', needs: [], run: () => ({ status: 'pass', summary: '' }),
  prerequisites: [{ check: 'adfs.dns', explains }],
});
const two: Outcome = {
  status: 'fail', summary: 'own words', remediation: [{ text: 'fix it' }],
  parts: [{ key: 'a.test', status: 'fail', reason: 'no address' }, { key: 'b.test', status: 'pass', reason: 'ok' }],
};

describe('applyPrerequisites', () => {
  it('leaves the outcome alone when the prerequisite did not fail, or explains nothing', () => {
    const d = def(({ part }) => (part?.key === 'a.test' ? 'a.test does not resolve' : undefined));
    expect(applyPrerequisites(d, two, (id) => (id === 'adfs.dns' ? result(id, 'warn') : undefined), a)).toBe(two);
    const own: Outcome = { ...two, parts: [{ key: 'a.test', status: 'fail' }, { key: 'b.test', status: 'fail' }] };
    expect(applyPrerequisites(d, own, (id) => result(id, 'fail'), a)).toBe(own);
  });

  it('a predicate that throws explains nothing: the check keeps its verdict', () => {
    const d = def(() => {
      throw new Error('boom');
    });
    expect(applyPrerequisites(d, two, (id) => result(id, 'fail'), a)).toBe(two);
  });

  it('skips with blockedBy when every target is explained, and reports partial testing as information', () => {
    const all = def(({ part }) => `${part!.key} does not resolve`);
    const only: Outcome = { ...two, parts: [two.parts![0]] };
    expect(applyPrerequisites(all, only, (id) => result(id, 'fail'), a)).toMatchObject({
      status: 'skip', blockedBy: ['adfs.dns'], remediation: [], summary: 'Not tested: a.test does not resolve (adfs.dns).',
    });
    const d = def(({ part }) => (part?.key === 'a.test' ? 'a.test does not resolve' : undefined));
    expect(applyPrerequisites(d, two, (id) => result(id, 'fail'), a)).toMatchObject({
      status: 'info', blockedBy: ['adfs.dns'], summary: 'Not tested on a.test: a.test does not resolve (adfs.dns). Tested on the other target: b.test: pass (ok).',
    });
  });
});
