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

  it('fails when only CA certificates were uploaded, saying a CA cannot sign in, and still validates its path', async () => {
    const report = await diagnose({ certs: [pki.ca, pki.root], ids: ['cert.user', 'chain.'] });
    const r = result(report, 'cert.user');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/CA certificate cannot be a sign-in certificate/);
    expect((r.evidence as Ev).candidates).toEqual(['c1']);
    expect((r.evidence as Ev).certificates.every((c) => c.isCa)).toBe(true);
    expect(r.remediation[0].command).toMatch(/Export-Certificate/);
    // The leaf CA's path to the root is built and judged like a user certificate's.
    expect(result(report, 'chain.build').status).toBe('pass');
    expect(result(report, 'chain.path').status).toBe('pass');
  });

  it('prefers the sign-in certificate over a CRL signer, an OCSP signer and a certificate without client authentication, in any order', async () => {
    const crlSigner = await makeUser(pki, { subject: 'CN=Contoso CRL Signer, O=Contoso, C=US', keyUsage: ['cRLSign'], eku: null, san: null });
    const ocsp = await makeUser(pki, { subject: 'CN=Contoso OCSP, O=Contoso, C=US', eku: ['1.3.6.1.5.5.7.3.9'], san: null });
    const server = await makeUser(pki, { subject: 'CN=web.contoso.com, O=Contoso, C=US', eku: ['1.3.6.1.5.5.7.3.1'], san: [{ type: 'dns', value: 'web.contoso.com' }] });
    const all = [crlSigner, ocsp, server, pki.user, pki.ca, pki.root];
    for (const order of [all, [...all].reverse()]) {
      const r = result(await diagnose({ certs: order, ids }), 'cert.user');
      const ev = r.evidence as Ev;
      expect(ev.selected?.subject).toBe('CN=Alice Smith, OU=Users, O=Contoso, C=US');
      expect(ev.selected?.reasons).toContain('it has the Client Authentication EKU');
    }
    // The CRL and OCSP signers are not rivals; the server certificate is, so cert.user says which was used and why.
    const r = result(await diagnose({ certs: all, ids }), 'cert.user');
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/uses CN=Alice Smith.*because.*Client Authentication EKU.*ignores CN=web\.contoso\.com/);
    expect(r.summary).toMatch(/CN=Contoso CRL Signer, O=Contoso, C=US: a CRL or OCSP signer/);
    const r2 = result(await diagnose({ certs: [crlSigner, pki.user, pki.ca, pki.root], ids }), 'cert.user');
    expect(r2.status).toBe('pass');
  });

  it('uses the certificate asked for by index or thumbprint, and fails when it is not there', async () => {
    const bob = await makeUser(pki, { subject: 'CN=Bob Jones, OU=Users, O=Contoso, C=US', key: pki.user.key }, { upn: 'bob@contoso.com' });
    const certs = [pki.user, bob, pki.ca, pki.root];
    const byIndex = result(await diagnose({ certs, userCertificate: '1', ids }), 'cert.user');
    expect([byIndex.status, (byIndex.evidence as Ev).selected?.ref]).toEqual(['pass', 'c2']);
    expect(byIndex.summary).toMatch(/Bob Jones.*as asked/);
    const bySha = result(await diagnose({ certs, userCertificate: pki.user.cert.sha256.toUpperCase(), ids }), 'cert.user');
    expect((bySha.evidence as Ev).selected?.ref).toBe('c1');
    const missing = result(await diagnose({ certs, userCertificate: '7', ids }), 'cert.user');
    expect(missing.status).toBe('fail');
    expect(missing.summary).toMatch(/asked for as the user's \("7"\) is not among the 4/);
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
    expect(ev.candidates).toEqual(['c2', 'c1']); // best first
    expect(ev.selected?.ref).toBe('c2');
    expect(ev.selected?.reasons).toContain('its SAN holds the address typed');
    expect(r.summary).toMatch(/uses CN=Bob Jones.*ignores CN=Alice Smith/);
    expect(r.remediation.length).toBeGreaterThan(0);
    // Without an address the choice does not depend on the upload order.
    const a = (result(await diagnose({ certs: [pki.user, bob], ids }), 'cert.user').evidence as Ev).selected?.subject;
    const b = (result(await diagnose({ certs: [bob, pki.user], ids }), 'cert.user').evidence as Ev).selected?.subject;
    expect(a).toBe(b);
  });

  it('lists at most 50 certificates and names at most 10 rivals when a whole store was uploaded', async () => {
    const users = [];
    for (let i = 0; i < 62; i++) users.push(await makeUser(pki, { subject: `CN=Store User ${i}, O=Contoso, C=US`, key: pki.user.key }, { upn: `user${i}@contoso.com` }));
    const r = result(await diagnose({ certs: [...users, pki.ca, pki.root], upn: 'user40@contoso.com', ids }), 'cert.user');
    expect(r.status).toBe('warn');
    const ev = r.evidence as Ev & { certificatesNotListed?: number; candidatesNotListed?: number };
    expect(ev.certificates).toHaveLength(50);
    expect(ev.certificatesNotListed).toBe(14);
    expect(ev.candidates).toHaveLength(50);
    expect(ev.candidatesNotListed).toBe(12);
    // The chosen one is listed with its upload index even though it came late in the upload.
    expect(ev.selected?.subject).toBe('CN=Store User 40, O=Contoso, C=US');
    expect(ev.certificates.find((c) => c.status === 'selected')).toMatchObject({ ref: ev.selected?.ref, index: 40 });
    expect(r.summary).toMatch(/^62 user certificates were found; the diagnosis uses CN=Store User 40/);
    expect(r.summary).toMatch(/; and 51 more\.$/);
    expect(r.summary.match(/CN=Store User/g)).toHaveLength(11);
  });
});
