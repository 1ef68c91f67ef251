// The whole path from uploaded files to the certificate verdicts, on a healthy PKI and a broken one.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { EKU, makePki, makeUser, pemBundle, pkcs7 } from '@/test/pki/gen';
import { diagnose } from '@/test/pki/diagnose';

const CERT_IDS = ['cert.user', 'cert.validity', 'cert.san-upn', 'cert.eku', 'cert.key-usage', 'cert.key', 'cert.cdp', 'cert.user-ids'];

describe('certificate checks end to end', () => {
  it('are registered in catalog order right after the input checks', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(ids.slice(0, 10)).toEqual(['input.files', 'input.crl-files', ...CERT_IDS]);
  });

  it('pass a healthy chain uploaded as a PEM bundle and a PKCS#7 file', async () => {
    const pki = await makePki();
    const report = await diagnose({
      files: [
        { name: 'user-and-issuer.pem', bytes: pemBundle([pki.user, pki.ca], { text: 'openssl', crlf: true }) },
        { name: 'chain.p7b', bytes: pkcs7([pki.ca, pki.root]) },
      ],
      upn: 'alice@contoso.com',
      target: 'entra',
      ids: ['input.', 'cert.'],
    });
    const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(statuses).toEqual({
      'input.files': 'pass',
      'input.crl-files': 'skip',
      'cert.user': 'pass',
      'cert.validity': 'pass',
      'cert.san-upn': 'pass',
      'cert.eku': 'pass',
      'cert.key-usage': 'pass',
      'cert.key': 'pass',
      'cert.cdp': 'pass',
      'cert.user-ids': 'info',
    });
    expect(report.input.certificates.find((c) => c.role === 'user')?.subject).toBe('CN=Alice Smith, OU=Users, O=Contoso, C=US');
    expect(report.summary.verdict).toBe('pass');
  });

  it('report each broken property of a bad certificate, each with remediation', async () => {
    const pki = await makePki();
    const bad = await makeUser(pki, {
      key: 'rsa1024',
      hash: 'SHA-1',
      san: [{ type: 'dns', value: 'alice-pc.contoso.com' }],
      eku: [EKU.serverAuth],
      keyUsage: ['keyEncipherment'],
      cdp: null,
      notAfter: new Date(Date.now() - 86_400_000),
      notBefore: new Date(Date.now() - 400 * 86_400_000),
    });
    // Target adfs: the AD FS rules make a missing SAN UPN a failure (for Entra it is a warning).
    const report = await diagnose({ certs: [bad, pki.ca, pki.root], upn: 'alice@contoso.com', ids: ['cert.'], target: 'adfs' });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    for (const id of ['cert.validity', 'cert.san-upn', 'cert.eku', 'cert.key-usage', 'cert.key', 'cert.cdp']) {
      expect(byId[id].status, id).toBe('fail');
      expect(byId[id].remediation.length, id).toBeGreaterThan(0);
    }
    expect(byId['cert.user'].status).toBe('pass');
    expect(report.summary.verdict).toBe('fail');
  });
});
