import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, result, targets } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { FED_HOST, manyCas, userPki } from '@/test/adfs/standins';
import { makeCert, type GenCert, type Pki } from '@/test/pki/gen';
import { adfsClientCertRequest, FAIL_BYTES, userCaNames } from './adfs.client-cert-request';

const { serve } = tlsStandIns();
let pki: Pki;
let filler: GenCert[];

beforeAll(async () => {
  pki = await userPki();
  filler = await manyCas(100);
});

const run = (port: number, certs: GenCert[] = [pki.user, pki.ca, pki.root]) =>
  diagnose(
    { upn: 'alice@contoso.com', federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: port },
    { checks: [adfsClientCertRequest], only: ['AD FS certificate port'], certs, ctx: { timeoutMs: 5000 } },
  ).then((r) => result(r, 'adfs.client-cert-request'));

/** How many filler CAs make a list of more than `bytes`. */
const fillerFor = (bytes: number) => {
  let total = 0;
  let n = 0;
  while (total <= bytes) total += 2 + filler[n++].cert.subject.der.length;
  return filler.slice(0, n);
};

describe('adfs.client-cert-request', () => {
  it("passes when the list names the user's root, and shows every CA name, the TLS version and the size", async () => {
    const other = await makeCert({ subject: 'CN=Unrelated Root, O=Elsewhere', key: 'p256', basicConstraints: { ca: true } });
    const c = await run(await serve({ requestCert: true, clientCas: [other, pki.root] }));
    expect(c.status).toBe('pass');
    const [t] = targets(c);
    expect(t).toMatchObject({ tlsVersion: 'TLSv1.2', certificateRequested: true, caCount: 2, status: 'pass' });
    expect(t.caNames).toEqual([other.cert.subject.display, pki.root.cert.subject.display]);
    expect(t.listBytes).toBe(4 + other.cert.subject.der.length + pki.root.cert.subject.der.length);
    expect(t.userCas).toEqual([
      { name: pki.ca.cert.subject.display, role: 'issuing CA', listed: false },
      { name: pki.root.cert.subject.display, role: 'root CA', listed: true },
    ]);
    expect(c.summary).toMatch(/root CA/);
  });

  it('passes when the list names the issuing CA', async () => {
    const c = await run(await serve({ requestCert: true, clientCas: [pki.ca] }));
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/issuing CA/);
  });

  it('passes with an empty list, noting it is the Windows default', async () => {
    const c = await run(await serve({ requestCert: true }));
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/Info: an empty list is the Windows default since Windows Server 2012/);
    expect(targets(c)[0]).toMatchObject({ caCount: 0, listBytes: 0 });
  });

  it('fails when the list names neither the issuing CA nor the root', async () => {
    const c = await run(await serve({ requestCert: true, clientCas: filler.slice(0, 3) }));
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/neither the user's issuing CA/);
    expect(c.remediation.some((r) => r.command?.includes('certutil -addstore Root'))).toBe(true);
  });

  it('fails when no client certificate is requested', async () => {
    const c = await run(await serve({ requestCert: false }));
    expect(c.status).toBe('fail');
    expect(targets(c)[0].certificateRequested).toBe(false);
    expect(c.remediation.some((r) => r.command?.startsWith('netsh http show sslcert hostnameport=sts.contoso.test:'))).toBe(true);
  });

  it('passes up to 16 KB (no undocumented warning level) and fails over it, even when the root is listed', async () => {
    const near = await run(await serve({ requestCert: true, clientCas: [pki.root, ...fillerFor(13 * 1024)] }));
    expect(near.status).toBe('pass');
    expect(targets(near)[0].listBytes).toBeGreaterThan(13 * 1024);
    expect(targets(near)[0].listBytes).toBeLessThanOrEqual(FAIL_BYTES);
    const big = await run(await serve({ requestCert: true, clientCas: [pki.root, ...fillerFor(FAIL_BYTES)] }));
    expect(big.status).toBe('fail');
    expect(big.summary).toMatch(/over 16 KB/);
    expect(big.remediation.some((r) => r.command?.includes('SendTrustedIssuerList'))).toBe(true);
  });

  it('reads the request of a TLS 1.3-only server', async () => {
    const c = await run(await serve({ requestCert: true, clientCas: [pki.root], minVersion: 'TLSv1.3' }));
    expect(c.status).toBe('pass');
    expect(targets(c)[0]).toMatchObject({ tlsVersion: 'TLSv1.3', method: 'tls13-keylog', caNames: [pki.root.cert.subject.display] });
  });

  it('is info when there is no user certificate to compare with', async () => {
    const c = await run(await serve({ requestCert: true, clientCas: [pki.root] }), []);
    expect(c.status).toBe('info');
    expect(c.summary).toMatch(/upload the user certificate/);
  });
});

describe('userCaNames', () => {
  it('walks up from the user certificate through the uploads', () => {
    const entry = (c: GenCert, ref: string) => ({ ref, fileName: `${ref}.cer`, source: 'upload' as const, cert: c.cert });
    const names = userCaNames({ user: { user: entry(pki.user, 'c1'), candidates: [] }, certs: [entry(pki.user, 'c1'), entry(pki.ca, 'c2')] });
    // The root was not uploaded: its name still comes from the issuing CA's issuer field.
    expect(names).toEqual([
      { key: pki.ca.cert.subject.key, display: pki.ca.cert.subject.display, role: 'issuing CA' },
      { key: pki.root.cert.subject.key, display: pki.root.cert.subject.display, role: 'intermediate CA' },
    ]);
  });
});
