import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl } from '@/test/pki/gen';
import { serve } from '@/test/net/loopback';
import { crlWorld, type CrlWorld } from '@/test/net/crl-world';
import type { Target } from '@/lib/report/schema';
import { crlFormat } from './crl.format';

let w: CrlWorld;
beforeAll(async () => {
  w = await crlWorld();
  const crl = await makeCrl({ issuer: w.pki.ca });
  w.routes['/crl/pem.crl'] = serve(crl.pem, 'application/x-pem-file');
  w.routes['/crl/b64.crl'] = serve(Buffer.from(crl.der).toString('base64'), 'text/plain');
  w.routes['/crl/login.crl'] = serve('<!doctype html><html><body>Sign in to continue</body></html>', 'text/html; charset=utf-8');
  w.routes['/crl/cert.crl'] = serve(w.pki.ca.der, 'application/pkix-cert');
  w.routes['/crl/unnumbered.crl'] = serve((await makeCrl({ issuer: w.pki.ca, crlNumber: null })).der);
  w.routes['/crl/critical-number.crl'] = serve((await makeCrl({ issuer: w.pki.ca, crlNumber: 7, crlNumberCritical: true })).der);
  w.routes['/crl/junk.crl'] = serve(new Uint8Array([0x30, 0x82, 0x10, 0x00, 1, 2, 3]));
});
afterAll(() => w.close());

type Row = { url: string; status: string; encoding: string | null; note: string };
const rows = (o: { evidence?: Record<string, unknown> }) => (o.evidence as { downloads: Row[] }).downloads;

async function judge(path: string, target: Target = 'unknown') {
  const a = await w.artifacts(await w.user({ cdpPaths: [[path]] }), { target });
  return crlFormat.run(a);
}

describe('crl.format', () => {
  it('passes DER CRLs', async () => {
    const o = await judge('/crl/contoso-issuing.crl');
    expect(o.status).toBe('pass');
    expect(rows(o).map((r) => r.encoding)).toEqual(['der', 'der']);
  });

  it.each(['/crl/pem.crl', '/crl/b64.crl'])('%s: warns for AD FS, fails for Entra (DER only)', async (path) => {
    const adfs = await judge(path, 'adfs');
    expect(adfs.status).toBe('warn');
    expect(rows(adfs)[0].status).toBe('warn');
    expect(adfs.remediation?.[0].command).toMatch(/openssl crl .*-outform DER/);
    const entra = await judge(path, 'entra');
    expect(entra.status).toBe('fail');
    expect(rows(entra)[0].note).toMatch(/only DER/);
  });

  it('fails a CRL without a cRLNumber or with a critical one, and shows the number otherwise', async () => {
    const none = await judge('/crl/unnumbered.crl');
    expect(none.status).toBe('fail');
    expect(rows(none)[0].note).toMatch(/no cRLNumber extension .*not used for revocation/);
    expect(none.remediation?.some((r) => /CRL number/.test(r.text))).toBe(true);
    const critical = await judge('/crl/critical-number.crl');
    expect(critical.status).toBe('fail');
    expect(rows(critical)[0].note).toMatch(/cRLNumber extension is marked critical/);
    expect((rows(critical)[0] as Row & { crlNumber: string }).crlNumber).toBe('7');
    const ok = await judge('/crl/contoso-issuing.crl');
    expect((rows(ok)[0] as Row & { crlNumber: string | null }).crlNumber).not.toBeNull();
    expect(ok.summary).toMatch(/numbered \(number \d+/);
  });

  it('fails a web page served instead of the CRL, whatever the target', async () => {
    const o = await judge('/crl/login.crl', 'adfs');
    expect(o.status).toBe('fail');
    expect(rows(o)[0]).toMatchObject({ status: 'fail', encoding: 'other' });
    expect(rows(o)[0].note).toMatch(/web page/);
  });

  it('fails a certificate or broken DER served as a CRL', async () => {
    const cert = await judge('/crl/cert.crl', 'adfs');
    expect(rows(cert)[0]).toMatchObject({ status: 'fail', encoding: 'der' });
    expect(rows(cert)[0].note).toMatch(/certificate/);
    const junk = await judge('/crl/junk.crl', 'adfs');
    expect(rows(junk)[0].status).toBe('fail');
  });

  it('skips URLs that did not download', async () => {
    const o = await judge('/crl/missing.crl');
    expect(rows(o)[0].status).toBe('skip');
    expect(o.status).toBe('pass'); // the root CRL still downloaded and is DER
  });
});
