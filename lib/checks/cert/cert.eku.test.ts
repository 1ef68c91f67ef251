import { beforeAll, describe, expect, it } from 'vitest';
import { EKU, makePki, makeUser, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

type Ev = { present: boolean; purposes: { oid: string; name: string | null; allowsClientAuth: boolean }[] };

async function run(eku: string[] | null) {
  const user = await makeUser(pki, { eku, key: pki.user.key });
  const r = result(await diagnose({ certs: [user, pki.ca, pki.root], ids: ['cert.eku'] }), 'cert.eku');
  return { r, ev: r.evidence as Ev };
}

describe('cert.eku', () => {
  it('passes Client Authentication', async () => {
    const { r, ev } = await run([EKU.clientAuth, EKU.emailProtection]);
    expect(r.status).toBe('pass');
    expect(ev.purposes).toEqual([
      { oid: EKU.clientAuth, name: 'Client Authentication', allowsClientAuth: true },
      { oid: EKU.emailProtection, name: 'Secure Email', allowsClientAuth: false },
    ]);
  });

  it('passes Smart Card Logon and Any Purpose', async () => {
    expect((await run([EKU.smartCardLogon])).r.status).toBe('pass');
    expect((await run([EKU.any])).r.status).toBe('pass');
  });

  it('warns on a certificate without the extension (iOS and some clients need Client Authentication listed)', async () => {
    const { r, ev } = await run(null);
    expect(r.status).toBe('warn');
    expect(ev.present).toBe(false);
    expect(r.summary).toMatch(/any purpose, but iOS/);
    expect(r.remediation[0].text).toMatch(/Client Authentication/);
  });

  it('fails a server-authentication-only certificate', async () => {
    const { r, ev } = await run([EKU.serverAuth]);
    expect(r.status).toBe('fail');
    expect(ev.purposes).toEqual([{ oid: EKU.serverAuth, name: 'Server Authentication', allowsClientAuth: false }]);
    expect(r.summary).toMatch(/Server Authentication \(1\.3\.6\.1\.5\.5\.7\.3\.1\)/);
    expect(r.remediation[0].text).toMatch(/Application Policies/);
  });

  it('fails an unknown purpose, shown by its OID', async () => {
    const { r, ev } = await run(['1.2.3.4.5']);
    expect(r.status).toBe('fail');
    expect(ev.purposes[0]).toEqual({ oid: '1.2.3.4.5', name: null, allowsClientAuth: false });
  });
});
