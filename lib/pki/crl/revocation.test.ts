import { beforeAll, describe, expect, it } from 'vitest';
import { days, genKey, makeCert, makeCrl, makePki, makeUser, PKI_URLS, type CrlOptions, type GenCert, type Pki } from '@/test/pki/gen';
import type { CertEntry } from '../types';
import { buildChain } from '../chain/build';
import { mergeCrls } from './collect';
import { parseCrl } from './parse';
import { checkRevocation } from './revocation';

const now = new Date();
const P256 = { key: 'p256' } as const;
const U = PKI_URLS();
let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: P256, ca: P256, user: P256 });
});

function entries(...certs: GenCert[]): CertEntry[] {
  return certs.map((g, i) => ({ ref: `c${i + 1}`, fileName: `c${i + 1}.cer`, source: 'upload', cert: g.cert }));
}
async function crl(name: string, o: CrlOptions) {
  return parseCrl((await makeCrl(o)).der, { kind: 'file', name });
}
async function revocation(user: GenCert, crls: Awaited<ReturnType<typeof crl>>[], extra: GenCert[] = []) {
  const pool = entries(user, pki.ca, pki.root, ...extra);
  const chain = buildChain({ user: pool[0], certs: pool, now });
  return checkRevocation({ chain, crls, pool, now });
}
const rootCrl = () => crl('root.crl', { issuer: pki.root });

describe('checkRevocation', () => {
  it('finds every certificate good with current CRLs from each CA', async () => {
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca }), await rootCrl()]);
    expect(r.perCert.map((p) => [p.ref, p.status, p.crls])).toEqual([
      ['c1', 'good', ['ca.crl']],
      ['c2', 'good', ['root.crl']],
    ]);
    expect(r.crls.map((c) => [c.source, c.signature, c.aki, c.freshness, c.usable])).toEqual([
      ['ca.crl', 'verified', 'match', 'current', true],
      ['root.crl', 'verified', 'match', 'current', true],
    ]);
  });

  it('reports a revoked user certificate with its date and reason', async () => {
    const date = new Date(Math.floor(days(-3).getTime() / 1000) * 1000); // CRL times carry whole seconds
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca, revoked: [{ serial: pki.user.serial, date, reason: 'keyCompromise' }] }), await rootCrl()]);
    expect(r.perCert[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revocationDate: date.toISOString(), hold: false });
  });

  it('tells a certificate on hold apart', async () => {
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca, revoked: [{ serial: pki.user.serial, reason: 'certificateHold' }] }), await rootCrl()]);
    expect(r.perCert[0]).toMatchObject({ status: 'revoked', reason: 'certificateHold', hold: true });
    expect(r.perCert[0].message).toContain('On hold');
  });

  it('leaves the status undetermined with an expired CRL', async () => {
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca, thisUpdate: days(-10), nextUpdate: days(-1) }), await rootCrl()]);
    expect(r.perCert[0].status).toBe('undetermined');
    expect(r.perCert[0].message).toMatch(/ca\.crl: it expired on/);
    expect(r.crls[0]).toMatchObject({ freshness: 'expired', usable: false });
  });

  it('refuses a CRL signed by another key', async () => {
    const other = await genKey('p256');
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca, signingKey: other }), await rootCrl()]);
    expect(r.perCert[0].status).toBe('undetermined');
    expect(r.crls[0]).toMatchObject({ signature: 'bad', usable: false, caRef: 'c2' });
  });

  it('does not use a CRL of another CA', async () => {
    const otherCa = await makeCert({ subject: 'CN=Other CA, O=Fabrikam', issuer: pki.root, ...P256, basicConstraints: { ca: true } });
    const r = await revocation(pki.user, [await crl('other.crl', { issuer: otherCa, revoked: [{ serial: pki.user.serial }] }), await rootCrl()], [otherCa]);
    expect(r.perCert[0].status).toBe('undetermined');
    expect(r.perCert[0].message).toContain('No CRL issued by');
  });

  it('refuses a CRL whose signer may not sign CRLs', async () => {
    const ca = await makeCert({ subject: 'CN=No CRL Sign CA', issuer: pki.root, ...P256, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'] });
    const user = await makeCert({ subject: 'CN=Bob', issuer: ca, ...P256 });
    const pool = entries(user, ca, pki.root);
    const chain = buildChain({ user: pool[0], certs: pool, now });
    const r = checkRevocation({ chain, crls: [await crl('ca.crl', { issuer: ca }), await rootCrl()], pool, now });
    expect(r.perCert[0].status).toBe('undetermined');
    expect(r.perCert[0].message).toContain('lacks cRLSign');
  });

  it('applies an issuing distribution point that only covers end-entity certificates', async () => {
    const r = await revocation(pki.user, [await crl('ca.crl', { issuer: pki.ca }), await crl('root-users.crl', { issuer: pki.root, idp: { onlyContainsUserCerts: true } })]);
    expect(r.perCert[1].status).toBe('undetermined');
    expect(r.perCert[1].message).toContain('only covers end-entity certificates');
  });

  describe('delta CRLs', () => {
    let user: GenCert;
    beforeAll(async () => {
      user = await makeUser(pki, { ...P256, freshestCrl: [[U.caDeltaCrl]] });
    });
    const base = (o: Partial<CrlOptions> = {}) => crl('ca.crl', { issuer: pki.ca, crlNumber: 10, freshestCrl: [[U.caDeltaCrl]], ...o });
    const delta = (o: Partial<CrlOptions> = {}) => crl('ca+.crl', { issuer: pki.ca, crlNumber: 11, deltaIndicator: 10, ...o });

    it('uses a valid delta on top of its base', async () => {
      const r = await revocation(user, [await base(), await delta({ revoked: [{ serial: user.serial, reason: 'keyCompromise' }] }), await rootCrl()]);
      expect(r.perCert[0]).toMatchObject({ status: 'revoked', crls: ['ca.crl', 'ca+.crl'] });
      expect(r.perCert[0].delta).toMatchObject({ status: 'used', base: 'ca.crl', pointers: [U.caDeltaCrl] });
    });

    it('releases a hold removed by the delta', async () => {
      const r = await revocation(user, [
        await base({ revoked: [{ serial: user.serial, reason: 'certificateHold' }] }),
        await delta({ revoked: [{ serial: user.serial, reason: 'removeFromCRL' }] }),
        await rootCrl(),
      ]);
      expect(r.perCert[0].status).toBe('good');
    });

    it('is undetermined when the published delta is missing', async () => {
      const r = await revocation(user, [await base(), await rootCrl()]);
      expect(r.perCert[0].status).toBe('undetermined');
      expect(r.perCert[0].delta).toMatchObject({ status: 'missing' });
      const held = await revocation(user, [await base({ revoked: [{ serial: user.serial, reason: 'certificateHold' }] }), await rootCrl()]);
      expect(held.perCert[0].status).toBe('undetermined');
      expect(held.perCert[0].message).toContain('lists it on hold');
    });

    it('keeps a permanent revocation from the base even when the delta is missing', async () => {
      const r = await revocation(user, [await base({ revoked: [{ serial: user.serial, reason: 'keyCompromise' }] }), await rootCrl()]);
      expect(r.perCert[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise', delta: { status: 'missing' } });
    });

    it('is undetermined when the delta expired or builds on a newer base', async () => {
      const expired = await revocation(user, [await base(), await delta({ thisUpdate: days(-3), nextUpdate: days(-1) }), await rootCrl()]);
      expect(expired.perCert[0].status).toBe('undetermined');
      expect(expired.perCert[0].delta).toMatchObject({ status: 'invalid' });
      expect(expired.perCert[0].delta!.message).toContain('expired');
      const ahead = await revocation(user, [await base(), await delta({ deltaIndicator: 12, crlNumber: 13 }), await rootCrl()]);
      expect(ahead.perCert[0].delta!.message).toContain('newer than the base CRL');
    });

    it('ignores a delta older than its base', async () => {
      const r = await revocation(user, [await base(), await delta({ deltaIndicator: 8, crlNumber: 9, revoked: [{ serial: user.serial }] }), await rootCrl()]);
      expect(r.perCert[0]).toMatchObject({ status: 'good', delta: { status: 'superseded' } });
    });
  });
});

describe('mergeCrls', () => {
  it('keeps the file when a download gives the same CA CRL, and reports bodies that are not CRLs', async () => {
    const file = parseCrl((await makeCrl({ issuer: pki.ca, crlNumber: 1 })).der, { kind: 'file', name: 'ca.crl' });
    const downloaded = parseCrl((await makeCrl({ issuer: pki.ca, crlNumber: 2 })).der, { kind: 'download', name: U.caCrl, url: U.caCrl });
    const rootDl = parseCrl((await makeCrl({ issuer: pki.root })).der, { kind: 'download', name: U.rootCrl, url: U.rootCrl });
    const set = mergeCrls({ items: [file], problems: [] }, [
      { parsed: downloaded, fetch: { url: U.caCrl } },
      { parsed: rootDl, fetch: { url: U.rootCrl } },
      { parseError: 'not a CRL', fetch: { url: 'http://x/y.crl' } },
    ]);
    expect(set.items.map((c) => c.source.name)).toEqual(['ca.crl', U.rootCrl]);
    expect(set.problems).toEqual([{ name: 'http://x/y.crl', message: 'not a CRL' }]);
  });
});
