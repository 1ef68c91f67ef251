import { beforeAll, describe, expect, it } from 'vitest';
import { days, makeCrl, makePki, type CrlOptions, type Pki } from '@/test/pki/gen';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { diagnose, resultOf } from '@/test/checks/chain';
import { crlRevocation } from './crl.revocation';

const P256 = { key: 'p256' } as const;
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: P256 });
});
const certs = () => [pki.user, pki.ca, pki.root].map((g) => ({ der: g.der }));
async function run(caCrl: Partial<CrlOptions> | null, rootCrl: Partial<CrlOptions> = {}) {
  const crls = [
    ...(caCrl ? [{ der: (await makeCrl({ issuer: pki.ca, ...caCrl })).der, name: 'issuing.crl' }] : []),
    { der: (await makeCrl({ issuer: pki.root, ...rootCrl })).der, name: 'root.crl' },
  ];
  return resultOf(await diagnose([crlRevocation], { certs: certs(), crls }), 'crl.revocation');
}
type Row = { subject: string; revocationStatus: string; reason: string | null; onHold: boolean; status: string };

describe('crl.revocation', () => {
  it('passes when no certificate below the root is revoked', async () => {
    const c = await run({});
    expect(c.status).toBe('pass');
    expect((c.evidence.certificates as Row[]).map((r) => [r.subject, r.revocationStatus])).toEqual([
      [pki.user.cert.subject.display, 'good'],
      [pki.ca.cert.subject.display, 'good'],
    ]);
  });

  it('fails a revoked user certificate with serial, date and reason', async () => {
    const c = await run({ revoked: [{ serial: pki.user.serial, reason: 'keyCompromise' }] });
    expect(c.status).toBe('fail');
    expect(c.summary).toContain(`REVOKED`);
    expect(c.summary).toContain(pki.user.serial);
    expect(c.summary).toContain('keyCompromise');
    expect(c.remediation[0].text).toContain('re-enroll the user for a new certificate on their device');
  });

  it('says a certificate on hold apart and how to release it', async () => {
    const c = await run({ revoked: [{ serial: pki.user.serial, reason: 'certificateHold' }] });
    expect(c.status).toBe('fail');
    expect(c.summary).toContain('ON HOLD');
    expect((c.evidence.certificates as Row[])[0]).toMatchObject({ onHold: true, reason: 'certificateHold' });
    expect(c.remediation[0].command).toBe(`certutil -revoke ${pki.user.serial} unrevoke && certutil -crl`);
  });

  it('fails a revoked intermediate', async () => {
    const c = await run({}, { revoked: [{ serial: pki.ca.serial, reason: 'cACompromise' }] });
    expect(c.status).toBe('fail');
    expect((c.evidence.certificates as Row[])[1]).toMatchObject({ revocationStatus: 'revoked', reason: 'cACompromise' });
  });

  it('fails as undetermined when the issuing CA CRL is missing or expired', async () => {
    const missing = await run(null);
    expect(missing.status).toBe('fail');
    expect((missing.evidence.certificates as Row[])[0].revocationStatus).toBe('undetermined');
    const expired = await run({ thisUpdate: days(-9), nextUpdate: days(-1) });
    expect(expired.status).toBe('fail');
    expect(expired.summary).toContain('expired');
  });

  it('does not use a CRL without a cRLNumber or with a critical one, and says why', async () => {
    // The user certificate is revoked in both: an unusable CRL must not decide either way.
    const revoked = { revoked: [{ serial: pki.user.serial, reason: 'keyCompromise' as const }] };
    for (const [opts, why] of [
      [{ ...revoked, crlNumber: null }, /no cRLNumber extension/],
      [{ ...revoked, crlNumber: 3, crlNumberCritical: true }, /cRLNumber extension is marked critical/],
    ] as const) {
      const c = await run(opts);
      expect(c.status).toBe('fail');
      const rows = c.evidence.certificates as Row[];
      expect(rows[0].revocationStatus).toBe('undetermined');
      expect(JSON.stringify(c.evidence)).toMatch(why);
    }
  });

  it('names --crl files that are not CRLs when the status stays undetermined', async () => {
    const r = await diagnose([crlRevocation], { certs: certs(), crls: [{ der: pki.ca.der, name: 'issuing-ca.crl' }] });
    const c = resultOf(r, 'crl.revocation');
    expect(c.status).toBe('fail');
    expect(c.evidence.unreadableCrlFiles).toMatchObject([{ file: 'issuing-ca.crl', status: 'fail' }]);
    expect(c.remediation[0].text).toContain('issuing-ca.crl');
  });

  it('skips offline without any CRL', async () => {
    const c = resultOf(await diagnose([crlRevocation], { certs: certs() }), 'crl.revocation');
    expect(c.status).toBe('skip');
  });

  it('runs in the full offline report next to the other checks without errors', async () => {
    const crls = [
      { der: (await makeCrl({ issuer: pki.ca })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: pki.root })).der, name: 'root.crl' },
    ];
    const r = await diagnose(ALL_CHECKS, { certs: certs(), crls, upn: 'alice@contoso.com' });
    const mine = ['chain.build', 'chain.path', 'chain.authority-types', 'crl.signature', 'crl.freshness', 'crl.revocation', 'crl.delta'];
    expect(Object.fromEntries(mine.map((id) => [id, resultOf(r, id).status]))).toEqual({
      'chain.build': 'pass',
      'chain.path': 'pass',
      'chain.authority-types': 'info',
      'crl.signature': 'pass',
      'crl.freshness': 'pass',
      'crl.revocation': 'pass',
      'crl.delta': 'pass',
    });
    expect(r.checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('gives remediation with every failure and warning of the chain and CRL checks', async () => {
    const crls = [
      { der: (await makeCrl({ issuer: pki.ca, aki: false, thisUpdate: days(-9), nextUpdate: days(-1) })).der, name: 'issuing.crl' },
      { der: (await makeCrl({ issuer: pki.root, revoked: [{ serial: pki.ca.serial, reason: 'certificateHold' }] })).der, name: 'root.crl' },
    ];
    const r = await diagnose(ALL_CHECKS, { certs: [{ der: pki.user.der }, { der: pki.root.der }, { der: pki.ca.der }], crls });
    const mine = r.checks.filter((c) => /^(chain|crl)\.(build|path|authority-types|signature|freshness|revocation|delta)$/.test(c.id));
    const bad = mine.filter((c) => c.status === 'fail' || c.status === 'warn');
    expect(bad.map((c) => c.id).sort()).toEqual(['crl.freshness', 'crl.revocation', 'crl.signature']);
    for (const c of bad) expect(c.remediation.length, c.id).toBeGreaterThan(0);
  });
});
