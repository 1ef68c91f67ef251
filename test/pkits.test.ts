// NIST PKITS conformance: every case in test/fixtures/pkits/tests.json goes through the real collectors
// (CRL files, chain, available CRLs, revocation) and the verdict is read from the chain.path,
// crl.revocation and cert.validity checks exactly as the report shows them: a case is valid when none fails.
// (chain.path leaves the end entity's own validity period to cert.validity, issue 17: one cause, one failure.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkits, PKITS_DIR, type PkitsCase } from '@/test/pki/pkits';
import { parseCertificate } from '@/lib/pki/cert';
import type { CertEntry } from '@/lib/pki/types';
import type { Artifacts } from '@/lib/report/artifacts';
import { chainCollector } from '@/lib/pki/chain/collect';
import { crlFilesCollector, crlsCollector, revocationCollector } from '@/lib/pki/crl/collect';
import { chainPath } from '@/lib/checks/chain/chain.path';
import { crlRevocation } from '@/lib/checks/crl/crl.revocation';
import { certValidity } from '@/lib/checks/cert/cert.validity';

const DIR = PKITS_DIR;
type Case = PkitsCase;
const suite = pkits;
const now = new Date(suite.validationTime);

function certEntry(name: string): CertEntry {
  return { ref: name, fileName: `${name}.crt`, source: 'upload', cert: parseCertificate(new Uint8Array(readFileSync(join(DIR, 'certs', `${name}.crt`)))) };
}

async function run(tc: Case) {
  const certs = [...tc.certs, tc.trustAnchor].map(certEntry);
  // The end-entity certificate is the last of the case's list; the others may include CRL signers.
  const user = certs[tc.certs.length - 1];
  const a: Artifacts = {
    ctx: { now, offline: true, allowPrivate: false, timeoutMs: 10_000 },
    input: { files: [], pasted: [], crlFiles: tc.crls.map((n) => ({ name: `${n}.crl`, bytes: new Uint8Array(readFileSync(join(DIR, 'crls', `${n}.crl`))) })) },
    target: 'unknown',
    certs,
    user: { user, candidates: [user] },
  };
  for (const col of [crlFilesCollector, chainCollector, crlsCollector, revocationCollector]) Object.assign(a, await col.run(a));
  const path = await chainPath.run(a);
  const revocation = await crlRevocation.run(a);
  const validity = await certValidity.run(a);
  const verdict = path.status === 'fail' || revocation.status === 'fail' || validity.status === 'fail' ? 'invalid' : 'valid';
  return { verdict, path, revocation, validity, a };
}

/** For a sample of invalid cases, why they must fail: a path rule, or a revocation status of the end entity or a CA. */
const WHY: Record<string, string> = {
  '4.1.2': 'path:signature',
  '4.1.6': 'path:signature',
  '4.2.1': 'path:validity',
  '4.3.1': 'path:name-chaining',
  '4.4.1': 'revocation:undetermined',
  '4.4.2': 'revocation:revoked',
  '4.4.3': 'revocation:revoked',
  '4.4.8': 'revocation:undetermined',
  '4.4.15': 'revocation:revoked',
  '4.4.21': 'revocation:undetermined',
  '4.5.8': 'path:key-usage',
  '4.6.1': 'path:basic-constraints',
  '4.6.9': 'path:path-length',
  '4.6.16': 'path:path-length',
  '4.7.1': 'path:key-usage',
  '4.7.4': 'revocation:undetermined',
  '4.13.20': 'path:name-constraints',
  '4.13.38': 'path:name-constraints',
  '4.14.3': 'revocation:undetermined',
  '4.14.11': 'revocation:undetermined',
  '4.14.16': 'revocation:revoked',
  '4.15.1': 'revocation:undetermined',
  '4.15.4': 'revocation:revoked',
  '4.15.10': 'revocation:undetermined',
  '4.16.2': 'path:critical-extension',
};

let passed = 0;
afterAll(() => {
  console.log(`PKITS: ${passed}/${suite.tests.length} passed`);
});

describe('NIST PKITS', () => {
  it('has the 159 cases of the conformance set', () => {
    expect(suite.tests).toHaveLength(159);
  });

  for (const tc of suite.tests) {
    it(`${tc.id} ${tc.title} → ${tc.expected}`, async () => {
      const r = await run(tc);
      const detail = { path: r.a.chain?.path.map((e) => e.ref), chainPath: r.path.summary, revocation: r.revocation.summary, validity: r.validity.summary };
      expect(r.verdict, JSON.stringify(detail, null, 1)).toBe(tc.expected);
      // A valid case passes both checks outright (no skip hiding a missing input).
      if (tc.expected === 'valid') expect([r.path.status, r.revocation.status]).toEqual(['pass', 'pass']);
      const why = WHY[tc.id];
      if (why) {
        const reasons = [
          ...(r.a.chain?.validation?.errors ?? []).map((e) => `path:${e.rule}`),
          ...(r.a.revocation?.perCert ?? []).filter((p) => p.status !== 'good').map((p) => `revocation:${p.status}`),
        ];
        expect(reasons, JSON.stringify(detail, null, 1)).toContain(why);
      }
      passed++;
    });
  }
});
