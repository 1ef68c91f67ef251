import { beforeAll, describe, expect, it } from 'vitest';
import { days, makeCrl, makePki, PKI_URLS, type CrlOptions, type Pki } from '@/test/pki/gen';
import { diagnose, resultOf } from '@/test/checks/chain';
import { crlDelta } from './crl.delta';

const P256 = { key: 'p256' } as const;
const U = PKI_URLS();
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: { ...P256, freshestCrl: [[U.caDeltaCrl]] } });
});
async function run(delta: Partial<CrlOptions> | null, base: Partial<CrlOptions> = {}) {
  const crls = [
    { der: (await makeCrl({ issuer: pki.ca, crlNumber: 20, freshestCrl: [[U.caDeltaCrl]], ...base })).der, name: 'issuing.crl' },
    ...(delta ? [{ der: (await makeCrl({ issuer: pki.ca, crlNumber: 21, deltaIndicator: 20, ...delta })).der, name: 'issuing+.crl' }] : []),
    { der: (await makeCrl({ issuer: pki.root })).der, name: 'root.crl' },
  ];
  return resultOf(await diagnose([crlDelta], { certs: [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der })), crls }), 'crl.delta');
}
type Row = { baseCrl: string; deltaStatus: string; status: string; certificates: string[]; freshestCrlUrls: string[] };

describe('crl.delta', () => {
  it('passes a valid delta applied to its base', async () => {
    const c = await run({});
    expect(c.status).toBe('pass');
    expect(c.summary).toContain('issuing+.crl on issuing.crl');
    const rows = c.evidence.crls as Row[];
    expect(rows.map((r) => [r.baseCrl, r.deltaStatus, r.status])).toEqual([
      ['issuing.crl', 'used', 'pass'],
      ['root.crl', 'not-published', 'pass'],
    ]);
  });

  it('fails when the published delta is not available, naming the Freshest CRL URL', async () => {
    const c = await run(null);
    expect(c.status).toBe('fail');
    expect((c.evidence.crls as Row[])[0]).toMatchObject({ deltaStatus: 'missing', freshestCrlUrls: [U.caDeltaCrl] });
    expect(c.remediation[0].text).toContain('--crl');
  });

  it('fails an expired delta', async () => {
    const c = await run({ thisUpdate: days(-5), nextUpdate: days(-1) });
    expect(c.status).toBe('fail');
    expect((c.evidence.crls as Row[])[0].deltaStatus).toBe('invalid');
    expect(c.summary).toContain('expired');
  });

  it('passes when nothing publishes a delta', async () => {
    const plain = await makePki({ root: P256, ca: P256, user: P256 });
    const crls = [
      { der: (await makeCrl({ issuer: plain.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: plain.root })).der, name: 'root.crl' },
    ];
    const c = resultOf(await diagnose([crlDelta], { certs: [plain.user, plain.ca, plain.root].map((g) => ({ der: g.der })), crls }), 'crl.delta');
    expect(c.status).toBe('pass');
    expect(c.summary).toContain('No delta CRL is published');
  });

  it('judges a published delta on its own when no base CRL is usable: missing or expired fails, a sound one is not applied', async () => {
    const stale = { thisUpdate: days(-9), nextUpdate: days(-1) };
    type Unpaired = { certificates: string[]; deltaStatus: string; status: string; note: string };
    const missing = await run(null, stale);
    expect(missing.status).toBe('fail');
    expect((missing.evidence.notEvaluated as Unpaired[])[0]).toMatchObject({ deltaStatus: 'missing', status: 'fail' });
    expect(missing.summary).toContain(U.caDeltaCrl);
    const expired = await run({ thisUpdate: days(-5), nextUpdate: days(-1) }, stale);
    expect(expired.status).toBe('fail');
    expect((expired.evidence.notEvaluated as Unpaired[])[0]).toMatchObject({ deltaStatus: 'invalid', status: 'fail' });
    const sound = await run({}, stale);
    expect((sound.evidence.notEvaluated as Unpaired[])[0]).toMatchObject({ deltaStatus: 'unpaired', status: 'skip' });
    // The root CRL's row passes; the unpaired delta is named in the summary.
    expect(sound.status).toBe('pass');
    expect(sound.summary).toContain('could not be applied');
  });

  it('passes without any Freshest CRL pointer even when no base CRL could be used', async () => {
    const plain = await makePki({ root: P256, ca: P256, user: P256 });
    const stale = { thisUpdate: days(-9), nextUpdate: days(-1) };
    const crls = [
      { der: (await makeCrl({ issuer: plain.ca, ...stale })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: plain.root, ...stale })).der, name: 'root.crl' },
    ];
    const c = resultOf(await diagnose([crlDelta], { certs: [plain.user, plain.ca, plain.root].map((g) => ({ der: g.der })), crls }), 'crl.delta');
    expect(c.status).toBe('pass');
    expect(c.summary).toContain('No delta CRL is published');
  });
});
