// NIST PKITS as a user runs it: every case goes to the real CLI (lib/cli/main.ts, in-process, the code the
// bin/cba-doctor bundle runs) with all its certificate and CRL files and no hint of which certificate is
// the user's. The verdict is read from the JSON report: a case is invalid when a check that judges the path, the
// end entity's validity or revocation fails, or was (in part) not tested because a failure elsewhere explains it (with
// blockedBy, issue 10: crl.revocation after a CRL whose signature or freshness failed is shown as that consequence). Each case runs twice, files in the listed order and reversed: the verdict and the
// chosen user certificate must not depend on the order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkits, PKITS_DIR, type PkitsCase } from '@/test/pki/pkits';
import { main } from '@/lib/cli/main';
import { reportSchema, type Report } from '@/lib/report/schema';

const DIR = PKITS_DIR;
type Case = PkitsCase;
const suite = pkits;

async function cli(argv: string[]): Promise<{ code: number; report: Report; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s), color: false });
  return { code, report: reportSchema.parse(JSON.parse(out)), err };
}

async function runCase(tc: Case, reversed: boolean) {
  let certs = [tc.trustAnchor, ...tc.certs].map((n) => join(DIR, 'certs', `${n}.crt`));
  let crls = tc.crls.map((n) => join(DIR, 'crls', `${n}.crl`));
  if (reversed) {
    certs = certs.reverse();
    crls = crls.reverse();
  }
  const argv = ['diagnose', ...certs.flatMap((c) => ['--cert', c]), ...crls.flatMap((c) => ['--crl', c]), '--at', suite.validationTime, '--offline', '--json'];
  const { report } = await cli(argv);
  const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
  const blocked = (id: string) => !!report.checks.find((c) => c.id === id)?.blockedBy?.length;
  const verdict = VERDICT_CHECKS.some((id) => status(id) === 'fail' || blocked(id)) ? 'invalid' : 'valid';
  const user = report.input.certificates.find((c) => c.role === 'user')?.sha256;
  return { verdict, user, report, status };
}

/** The checks whose failure makes a path invalid in RFC 5280 terms (path, end-entity validity, CRLs and revocation). */
const VERDICT_CHECKS = ['chain.build', 'chain.path', 'cert.validity', 'crl.revocation'];

let passed = 0;
afterAll(() => {
  console.log(`PKITS through the CLI, no user hint: ${passed}/${suite.tests.length} passed`);
});

describe('NIST PKITS through the CLI without a user hint', () => {
  for (const tc of suite.tests) {
    it(`${tc.id} ${tc.title} → ${tc.expected}`, async () => {
      const a = await runCase(tc, false);
      const detail = {
        roles: a.report.input.certificates.map((c) => `${c.fileName}:${c.role}`),
        chainPath: a.report.checks.find((c) => c.id === 'chain.path')?.summary,
        revocation: a.report.checks.find((c) => c.id === 'crl.revocation')?.summary,
        failed: a.report.checks.filter((c) => c.status === 'fail').map((c) => c.id),
      };
      expect(a.verdict, JSON.stringify(detail, null, 1)).toBe(tc.expected);
      // The end-entity certificate of the case (last in its list) is the one diagnosed.
      expect(a.report.input.certificates.find((c) => c.role === 'user')?.fileName, JSON.stringify(detail, null, 1)).toBe(`${tc.certs[tc.certs.length - 1]}.crt`);
      if (tc.expected === 'valid') expect([a.status('chain.path'), a.status('crl.revocation')]).toEqual(['pass', 'pass']);
      const b = await runCase(tc, true);
      expect([b.verdict, b.user]).toEqual([a.verdict, a.user]);
      passed++;
    });
  }
});
