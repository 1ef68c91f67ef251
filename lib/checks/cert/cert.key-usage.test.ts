import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, makeUser, type KeyUsageName, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

type Ev = { present: boolean; critical: boolean | null; usages: string[]; digitalSignature: boolean | null };

async function run(keyUsage: KeyUsageName[] | null) {
  const user = await makeUser(pki, { keyUsage, key: pki.user.key });
  const r = result(await diagnose({ certs: [user, pki.ca, pki.root], ids: ['cert.key-usage'] }), 'cert.key-usage');
  return { r, ev: r.evidence as Ev };
}

describe('cert.key-usage', () => {
  it('passes digitalSignature', async () => {
    const { r, ev } = await run(['digitalSignature', 'keyEncipherment']);
    expect(r.status).toBe('pass');
    expect(ev).toMatchObject({ present: true, critical: true, usages: ['digitalSignature', 'keyEncipherment'], digitalSignature: true });
  });

  it('passes a certificate without the extension', async () => {
    const { r, ev } = await run(null);
    expect(r.status).toBe('pass');
    expect(ev).toMatchObject({ present: false, digitalSignature: null });
  });

  it('fails key usage without digitalSignature', async () => {
    const { r, ev } = await run(['keyEncipherment', 'dataEncipherment']);
    expect(r.status).toBe('fail');
    expect(ev).toMatchObject({ usages: ['keyEncipherment', 'dataEncipherment'], digitalSignature: false });
    expect(r.summary).toMatch(/keyEncipherment, dataEncipherment without digitalSignature/);
    expect(r.remediation[0].text).toMatch(/Digital signature/);
  });

  it('passes nonRepudiation alongside digitalSignature but fails nonRepudiation alone', async () => {
    expect((await run(['digitalSignature', 'nonRepudiation'])).r.status).toBe('pass');
    expect((await run(['nonRepudiation'])).r.status).toBe('fail');
  });
});
