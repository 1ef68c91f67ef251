import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makePki, rootOptions, type GenCert, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

// Microsoft Learn's own examples: issuer DC=com,DC=contoso,CN=CONTOSO-DC-CA; subject
// DC=com,DC=contoso,OU=UserAccounts,CN=mfatest; serial 48efa06ba8127299499b069f133441b2 → b24134139f069b49997212a86ba0ef48.
let pki: Pki;
let ca: GenCert;
beforeAll(async () => {
  pki = await makePki();
  ca = await makeCert({ ...rootOptions(), subject: 'CN=CONTOSO-DC-CA, DC=contoso, DC=com', key: pki.root.key });
});

type Ev = { values: { mapping: string; affinity: string; value: string | null; missing?: string }[] };

async function values(user: GenCert, upn?: string) {
  const r = result(await diagnose({ certs: [user, ca], upn, ids: ['cert.user-ids'] }), 'cert.user-ids');
  return { r, ev: r.evidence as Ev, byMapping: Object.fromEntries((r.evidence as Ev).values.map((v) => [v.mapping, v])) };
}

describe('cert.user-ids', () => {
  it('gives the seven values in Microsoft\'s documented formats, with their affinity', async () => {
    const user = await makeCert({
      subject: 'CN=mfatest, OU=UserAccounts, DC=contoso, DC=com',
      issuer: ca,
      key: pki.user.key,
      serial: '48efa06ba8127299499b069f133441b2',
      ski: 'eec6b88788d2770a01e01775ce71f1125cd6ad0f',
      san: [{ type: 'upn', value: 'bob@woodgrove.com' }, { type: 'rfc822', value: 'user@woodgrove.com' }],
    });
    const { r, ev } = await values(user, 'bob@woodgrove.com');
    expect(r.status).toBe('info');
    const thumb = createHash('sha1').update(user.der).digest('hex');
    expect(ev.values.map((v) => [v.mapping, v.affinity, v.value])).toEqual([
      ['PrincipalName', 'low', 'X509:<PN>bob@woodgrove.com'],
      ['RFC822Name', 'low', 'X509:<RFC822>user@woodgrove.com'],
      ['IssuerAndSubject', 'low', 'X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<S>DC=com,DC=contoso,OU=UserAccounts,CN=mfatest'],
      ['Subject', 'low', 'X509:<S>DC=com,DC=contoso,OU=UserAccounts,CN=mfatest'],
      ['SKI', 'high', 'X509:<SKI>eec6b88788d2770a01e01775ce71f1125cd6ad0f'],
      ['SHA1PublicKey', 'high', `X509:<SHA1-PUKEY>${thumb}`],
      ['IssuerAndSerialNumber', 'high', 'X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>b24134139f069b49997212a86ba0ef48'],
    ]);
    expect(r.summary).toMatch(/7 of 7/);
    // A ready-to-run Graph PowerShell command adds the SKI value for the typed user.
    const cmd = r.remediation[0].command!;
    expect(cmd).toContain("Get-MgUser -UserId 'bob@woodgrove.com'");
    expect(cmd).toContain("'X509:<SKI>eec6b88788d2770a01e01775ce71f1125cd6ad0f'");
    expect(cmd).toContain('Update-MgUser');
  });

  it('keeps the sign byte of a serial with the high bit set, reversed; quotes names with commas', async () => {
    const user = await makeCert({ subject: 'CN="Smith, Alice", O=Contoso, C=US', issuer: ca, key: pki.user.key, serial: '9a01', ski: false });
    const { byMapping } = await values(user);
    expect(user.cert.serialRawHex).toBe('009a01');
    expect(byMapping.IssuerAndSerialNumber.value).toBe('X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>019a00');
    expect(byMapping.Subject.value).toBe('X509:<S>C=US,O=Contoso,CN="Smith, Alice"');
    expect(byMapping.SKI).toMatchObject({ value: null, missing: expect.stringMatching(/Subject Key Identifier/) });
  });

  it('says which values a certificate without UPN or RFC822 cannot give', async () => {
    const user = await makeCert({ subject: 'CN=kiosk, O=Contoso, C=US', issuer: ca, key: pki.user.key, san: [{ type: 'dns', value: 'kiosk.contoso.com' }] });
    const { r, byMapping } = await values(user);
    expect(byMapping.PrincipalName).toMatchObject({ value: null, missing: expect.stringMatching(/no UPN/) });
    expect(byMapping.RFC822Name.value).toBeNull();
    expect(r.summary).toMatch(/5 of 7/);
    expect(r.remediation[0].command).toContain("'<user UPN or object id>'");
  });

  it('skips without a user certificate', async () => {
    expect(result(await diagnose({ certs: [ca], ids: ['cert.user-ids'] }), 'cert.user-ids').status).toBe('skip');
  });
});
