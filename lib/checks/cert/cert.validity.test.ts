import { beforeAll, describe, expect, it } from 'vitest';
import { days, makePki, makeUser, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const ids = ['cert.validity'];
const at = new Date('2030-06-15T12:00:00Z');
type Ev = { state: string; daysRemaining: number; evaluatedAt: string; notBefore: string; notAfter: string };

async function run(notBefore: Date, notAfter: Date, when = at) {
  const user = await makeUser(pki, { notBefore, notAfter, key: pki.user.key });
  return result(await diagnose({ certs: [user, pki.ca, pki.root], at: when, ids }), 'cert.validity');
}

describe('cert.validity', () => {
  it('passes inside the validity period, evaluated at --at', async () => {
    const r = await run(days(-30, at), days(300, at));
    expect(r.status).toBe('pass');
    const ev = r.evidence as Ev;
    expect(ev.state).toBe('valid');
    expect(ev.daysRemaining).toBe(300);
    expect(ev.evaluatedAt).toBe(at.toISOString());
  });

  it('fails an expired certificate', async () => {
    const r = await run(days(-400, at), days(-3, at));
    expect(r.status).toBe('fail');
    expect((r.evidence as Ev).state).toBe('expired');
    expect(r.summary).toMatch(/expired on .* \(3 day\(s\) ago\)/);
    expect(r.remediation[0].command).toMatch(/certreq -enroll/);
  });

  it('fails a certificate that is not valid yet', async () => {
    const r = await run(days(2, at), days(365, at));
    expect(r.status).toBe('fail');
    expect((r.evidence as Ev).state).toBe('not-yet-valid');
    expect(r.summary).toMatch(/not valid yet/);
    expect(r.remediation[0].text).toMatch(/clock/);
  });

  it('warns within 30 days of expiry, and not at 31', async () => {
    const soon = await run(days(-300, at), days(10, at));
    expect(soon.status).toBe('warn');
    expect((soon.evidence as Ev).daysRemaining).toBe(10);
    expect(soon.remediation[0].command).toMatch(/Renew/);
    expect((await run(days(-300, at), days(30, at))).status).toBe('warn');
    expect((await run(days(-300, at), days(31, at))).status).toBe('pass');
  });

  it('judges the same certificate differently at another --at time', async () => {
    const user = await makeUser(pki, { notBefore: days(-10, at), notAfter: days(100, at), key: pki.user.key });
    const when = async (t: Date) => result(await diagnose({ certs: [user], at: t, ids }), 'cert.validity').status;
    expect(await when(at)).toBe('pass');
    expect(await when(days(90, at))).toBe('warn');
    expect(await when(days(101, at))).toBe('fail');
    expect(await when(days(-11, at))).toBe('fail');
  });

  it('skips without a user certificate', async () => {
    expect(result(await diagnose({ certs: [pki.ca, pki.root], at, ids }), 'cert.validity').status).toBe('skip');
  });
});
