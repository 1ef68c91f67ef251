import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makePki, makeUser, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const ids = ['cert.user'];
type Ev = { selected: { ref: string; subject: string; reasons: string[] } | null; candidates: string[]; certificates: { ref: string; status: string; isCa: boolean }[] };

describe('cert.user', () => {
  it('passes with one user certificate among its chain (uploaded in any order)', async () => {
    const r = result(await diagnose({ certs: [pki.root, pki.user, pki.ca], upn: 'alice@contoso.com', ids }), 'cert.user');
    expect(r.status).toBe('pass');
    const ev = r.evidence as Ev;
    expect(ev.candidates).toEqual(['c2']);
    expect(ev.selected?.subject).toBe('CN=Alice Smith, OU=Users, O=Contoso, C=US');
    expect(ev.certificates.map((c) => c.status)).toEqual(['not a user certificate', 'selected', 'not a user certificate']);
    expect(r.summary).toContain('Alice Smith');
  });

  it('fails when only CA certificates were uploaded', async () => {
    const r = result(await diagnose({ certs: [pki.ca, pki.root], ids }), 'cert.user');
    expect(r.status).toBe('fail');
    expect((r.evidence as Ev).candidates).toEqual([]);
    expect((r.evidence as Ev).certificates.every((c) => c.isCa)).toBe(true);
    expect(r.remediation[0].command).toMatch(/Export-Certificate/);
  });

  it('fails when files were uploaded but none held a certificate', async () => {
    const r = result(await diagnose({ files: [{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], ids }), 'cert.user');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/No certificate could be read/);
  });

  it('skips when nothing was uploaded', async () => {
    expect(result(await diagnose({ upn: 'alice@contoso.com', ids }), 'cert.user').status).toBe('skip');
  });

  it('does not take an end-entity certificate that issued another uploaded certificate for the user', async () => {
    // A certificate without basic constraints that signed another one: it acts as an issuer here.
    const notCa = await makeUser(pki, { subject: 'CN=Rogue Issuer, O=Contoso, C=US', basicConstraints: null, keyUsage: null, eku: null, key: pki.user.key });
    const leaf = await makeCert({ subject: 'CN=Alice Smith, O=Contoso, C=US', issuer: notCa, san: [{ type: 'upn', value: 'alice@contoso.com' }] });
    const r = result(await diagnose({ certs: [notCa, leaf, pki.ca, pki.root], ids }), 'cert.user');
    expect(r.status).toBe('pass');
    expect((r.evidence as Ev).selected?.ref).toBe('c2');
  });

  it('warns with several user certificates, names the one used and picks the one matching the address', async () => {
    const bob = await makeUser(pki, { subject: 'CN=Bob Jones, OU=Users, O=Contoso, C=US', key: pki.user.key }, { upn: 'bob@contoso.com' });
    const r = result(await diagnose({ certs: [pki.user, bob, pki.ca, pki.root], upn: 'BOB@contoso.com', ids }), 'cert.user');
    expect(r.status).toBe('warn');
    const ev = r.evidence as Ev;
    expect(ev.candidates).toEqual(['c1', 'c2']);
    expect(ev.selected?.ref).toBe('c2');
    expect(ev.selected?.reasons[0]).toMatch(/address typed/);
    expect(r.summary).toMatch(/uses CN=Bob Jones.*ignores CN=Alice Smith/);
    expect(r.remediation.length).toBeGreaterThan(0);
    // Without an address the first uploaded wins.
    const r2 = result(await diagnose({ certs: [pki.user, bob], ids }), 'cert.user');
    expect((r2.evidence as Ev).selected?.ref).toBe('c1');
  });
});
