// The whole diagnosis gives the same report whether its heavy steps run on the worker pool (the portal) or in-process
// (the CLI): certificates parsed on a thread, the chain built over certificates sent as DER, CRLs read there and
// walked for revocation. Real certificates and CRLs (a revoked user, a delta CRL, a PEM CRL file), every collector and
// check.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '@/lib/checks/registry';
import type { DiagnosisContext, DiagnosisInput } from '@/lib/report/artifacts';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { Report } from '@/lib/report/schema';
import { closeWorkPool, setWorkMode, workPool } from '@/lib/worker/run';
import { days, makeCrl, makePki, makeUser, pemBundle, toPem } from '@/test/pki/gen';

let input: DiagnosisInput;
const ctx: DiagnosisContext = { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 2000 };

beforeAll(async () => {
  const pki = await makePki({ upn: 'alice@contoso.com' });
  const other = await makeUser(pki, { key: 'p256' }, { upn: 'bob@contoso.com' });
  const base = await makeCrl({ issuer: pki.ca, crlNumber: 10, revoked: [{ serial: other.serial, date: days(-3), reason: 'keyCompromise' }] });
  const delta = await makeCrl({ issuer: pki.ca, crlNumber: 11, deltaIndicator: 10, revoked: [{ serial: pki.user.serial, date: days(-1), reason: 'certificateHold' }] });
  const rootCrl = await makeCrl({ issuer: pki.root, crlNumber: 1 });
  input = {
    upn: 'alice@contoso.com',
    domain: 'contoso.com',
    files: [
      { name: 'alice.cer', bytes: pki.user.der },
      { name: 'chain.pem', bytes: pemBundle([pki.ca, pki.root]) },
      { name: 'bob.cer', bytes: other.der },
    ],
    crlFiles: [
      { name: 'ca.crl', bytes: base.der },
      { name: 'ca-delta.crl', bytes: new Uint8Array(Buffer.from(toPem(delta.der, 'X509 CRL'))) },
      { name: 'root.crl', bytes: rootCrl.der },
      { name: 'not-a-crl.crl', bytes: pki.user.der },
    ],
    pasted: [],
  };
});
afterEach(() => setWorkMode('pool'));
afterAll(() => closeWorkPool());

/** What must not differ: everything but timings and ids. */
function comparable(r: Report) {
  return { status: r.status, target: r.target, input: r.input, checks: r.checks.map(({ durationMs: _d, ...c }) => c) };
}

describe('the worker pool', () => {
  it('gives the same report as in-process work, with the pool doing the work', async () => {
    const before = workPool().stats.done;
    const pooled = await runDiagnosis(input, ctx, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
    // 3 files, 4 CRL files, the chain, revocation.
    expect(workPool().stats.done - before).toBe(9);
    setWorkMode('inline');
    const local = await runDiagnosis(input, ctx, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
    expect(comparable(pooled)).toEqual(comparable(local));
    // The report says something real about revocation, so the comparison covers the CRL walk.
    const revocation = pooled.checks.find((c) => c.id === 'crl.revocation');
    expect(revocation?.status).toBe('fail');
    expect(revocation?.summary).toContain('is ON HOLD since');
    expect(revocation?.summary).toContain('according to ca.crl + ca-delta.crl');
  });
});
