import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose as diagnoseUpload } from '@/test/checks/chain';
import { makePki, type Pki } from '@/test/pki/gen';
import { deviceCertOffered } from './device.cert-offered';
import { diagnoseDevice, resultOf } from '@/test/device/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256' } });
});

const UA = {
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};

const run = async (chain: { der: Uint8Array }[], over = {}) => resultOf(await diagnoseDevice([deviceCertOffered], chain, over), 'device.cert-offered');

describe('device.cert-offered', () => {
  it('passes with the subject, issuer and the chain the device sent', async () => {
    const c = await run([pki.user, pki.ca], { userAgent: UA.windows });
    expect(c.status).toBe('pass');
    expect(c.summary).toContain(`${pki.user.cert.subject.display}, issued by ${pki.ca.cert.subject.display}`);
    expect(c.summary).toContain('1 CA certificate');
    expect(c.evidence).toMatchObject({ presented: 2, platform: 'windows', via: 'tls-handshake' });
    expect((c.evidence.chain as { subject: string }[]).map((x) => x.subject)).toEqual([pki.user.cert.subject.display, pki.ca.cert.subject.display]);
  });

  it('fails with Windows store and smart card guidance on Windows', async () => {
    const c = await run([], { userAgent: UA.windows });
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/named no CA/);
    expect(c.remediation[0].command).toContain('Cert:\\CurrentUser\\My');
    expect(c.remediation[0].command).toContain('certutil -scinfo');
    expect(c.remediation.some((r) => r.text.includes('AADSTS90100'))).toBe(true);
    expect(c.remediation.some((r) => r.text.includes('inspects TLS'))).toBe(true);
  });

  it('names Microsoft Authenticator and profiles on iOS, Company Portal on Android', async () => {
    expect((await run([], { userAgent: UA.iphone })).remediation[0].text).toMatch(/configuration profile.*Microsoft Authenticator/s);
    expect((await run([], { userAgent: UA.android })).remediation[0].text).toMatch(/Company Portal/);
  });

  it('points at an issuer mismatch when a CA list was sent', async () => {
    const c = await run([], { caList: { names: ['CN=Other Root'], bytes: 16, dropped: [], source: 'uploaded' } });
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/1 named CA\(s\) \(CN=Other Root\).*"any CA"/);
    expect(c.evidence).toMatchObject({ caList: { names: ['CN=Other Root'], source: 'uploaded' } });
  });

  it('tells a proxy setup to forward the header', async () => {
    const c = await run([], { via: 'proxy-header' });
    expect(c.remediation[0].text).toMatch(/trusted proxy/);
  });

  it('skips an uploaded certificate', async () => {
    const r = await diagnoseUpload([deviceCertOffered], { certs: [pki.user] });
    expect(resultOf(r, 'device.cert-offered').status).toBe('skip');
  });
});
