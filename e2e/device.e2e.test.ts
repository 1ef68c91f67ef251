// "Test with the certificate on this device" against the production portal and its certauth listener: Chromium
// presents a generated user certificate (Playwright's clientCertificates), or none; the CertificateRequest is read back
// with the project's own capture (lib/net/tls-certreq); Node TLS clients present chains and run side by side.
import https from 'node:https';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { manyCas } from '@/test/adfs/standins';
import { probeCertificateRequest } from '@/lib/net/tls-certreq';
import type { CheckResult, Report } from '@/lib/report/schema';
import { makeUser, type GenCert } from '@/test/pki/gen';
import { baseURL, launchBrowser, makeWorld, seriousAxeViolations, waitComplete, type World } from './helpers';

const port = () => inject('certauthPort');
const origin = () => `https://127.0.0.1:${port()}`;
const keyPem = (c: GenCert) => Buffer.from(c.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);

let browser: Browser;
let world: World;
beforeAll(async () => {
  [browser, world] = await Promise.all([launchBrowser(), makeWorld()]);
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const check = (r: Report, id: string): CheckResult => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`${id} is not in the report`);
  return c;
};

async function context(withCert: boolean): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseURL(),
    // The listener's certificate is the self-signed one `npm start` makes.
    ignoreHTTPSErrors: true,
    clientCertificates: withCert ? [{ origin: origin(), cert: Buffer.from(world.pki.user.pem), key: keyPem(world.pki.user) }] : [],
  });
}

/** Clicks the button and follows the browser through the listener's 303 to the report; returns the report id. */
async function testDevice(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Test with the certificate on this device' }).click();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}(#.*)?$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

describe('test with the certificate on this device (browser)', () => {
  it('diagnoses the certificate the browser presents, and the report says it came from the device', async () => {
    const ctx = await context(true);
    const page = await ctx.newPage();
    await page.goto('/');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByLabel("User's sign-in address").fill('alice@contoso.com');
    const id = await testDevice(page);
    expect(new URL(page.url()).origin).toBe(baseURL());
    // The deletion token came along in the fragment: the creator can delete the report, and the address is clean.
    await expect.poll(() => page.getByRole('button', { name: /Delete/ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => new URL(page.url()).hash, { timeout: 15_000 }).toBe('');
    const r = await waitComplete(id);
    expect(r.input.source).toBe('device');
    expect(r.input.upn).toBe('alice@contoso.com');
    const offered = check(r, 'device.cert-offered');
    expect(offered.status).toBe('pass');
    expect(offered.summary).toContain(world.pki.user.cert.subject.display);
    expect(r.input.certificates.map((c) => [c.sha256, c.role])).toEqual([[world.pki.user.cert.sha256, 'user']]);
    // The chain and certificate checks ran on the presented certificate, as for an upload.
    expect(check(r, 'cert.san-upn').status).toBe('pass');
    expect(check(r, 'chain.build').status).not.toBe('skip');
    expect(check(r, 'device.chain-sent').evidence).toMatchObject({ sent: 1, intermediates: 0 });
    await expect.poll(() => page.getByTestId('certificate-source').textContent(), { timeout: 15_000 }).toContain('presented by the device');
    await ctx.close();
  });

  it('fails device.cert-offered with guidance when the browser has no certificate', async () => {
    const ctx = await context(false);
    const page = await ctx.newPage();
    await page.goto('/');
    const id = await testDevice(page);
    const r = await waitComplete(id);
    const c = check(r, 'device.cert-offered');
    expect(c.status).toBe('fail');
    expect(c.evidence).toMatchObject({ presented: 0, platform: 'linux', browser: 'Chrome' });
    expect(c.remediation.map((x) => x.text).join(' ')).toContain('AADSTS90100');
    expect(r.input.certificates).toEqual([]);
    await expect.poll(() => page.locator('[data-check="device.cert-offered"]').getAttribute('data-status'), { timeout: 15_000 }).toBe('fail');
    await ctx.close();
  });

  it('asks for exactly the uploaded CAs when chosen, and caps a pasted trust store at 16 KB', async () => {
    const ctx = await context(false);
    const page = await ctx.newPage();
    // Stop at the certauth URL: its host name carries the session; the CertificateRequest is read back below.
    // A 204 answer leaves the browser on the form.
    let target: URL | undefined;
    await page.route('https://*.localhost:*/**', (route) => {
      target = new URL(route.request().url());
      return route.fulfill({ status: 204 });
    });
    const openTest = async () => {
      target = undefined;
      await page.getByRole('button', { name: 'Test with the certificate on this device' }).click();
      await expect.poll(() => target?.hostname, { timeout: 15_000 }).toMatch(/^ca-[0-9a-f]{32}\.localhost$/);
      return target!;
    };
    const probe = (u: URL) => probeCertificateRequest({ address: '127.0.0.1', port: Number(u.port), servername: u.hostname, timeoutMs: 5000, allowPrivate: true });

    // Opened on an IP address, the listener has no host name to put the session under: the form says so.
    await page.goto('/');
    await page.locator('#certificates').setInputFiles([world.files.userDer, world.files.issuingDer, world.files.rootPem]);
    await page.getByLabel(/The CA certificates uploaded above/).check();
    await page.getByRole('button', { name: 'Test with the certificate on this device' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'needs a host name' }).count(), { timeout: 15_000 }).toBe(1);
    expect(target).toBeUndefined();

    // On localhost the session name is ca-<token>.localhost, which browsers resolve to loopback.
    await page.goto(`${baseURL().replace('127.0.0.1', 'localhost')}/`);
    await page.locator('#certificates').setInputFiles([world.files.userDer, world.files.issuingDer, world.files.rootPem]);
    await page.getByLabel("User's sign-in address").fill('alice@contoso.com');
    await page.getByLabel(/The CA certificates uploaded above/).check();
    const u = await openTest();
    expect(u.port).toBe(String(port()));
    expect(u.searchParams.get('upn')).toBe('alice@contoso.com');
    const p = await probe(u);
    expect(p).toMatchObject({ ok: true, requested: true });
    expect(p.request!.authorities.map((n) => n.display)).toEqual([world.pki.ca.cert.subject.display, world.pki.root.cert.subject.display]);

    const filler = await manyCas(100);
    await page.goto(`${baseURL().replace('127.0.0.1', 'localhost')}/`);
    await page.getByLabel(/pasted trust store/).check();
    await page.getByLabel(/Trust store/).fill(filler.map((f) => f.pem).join(''));
    const big = await probe(await openTest());
    expect(big.request!.authoritiesBytes).toBeLessThanOrEqual(16 * 1024);
    const n = big.request!.authorities.length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(100);
    expect(big.request!.authorities.map((a) => a.display)).toEqual(filler.slice(0, n).map((f) => f.cert.subject.display));
    await ctx.close();
  });
});

function present(chain: GenCert[], query = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: port(), path: `/certauth${query}`, rejectUnauthorized: false, agent: false, cert: chain.map((c) => c.pem).join(''), key: keyPem(chain[0]) },
      (res) => {
        res.resume();
        const m = /\/r\/([A-Za-z0-9_-]{22})#delete-token=[A-Za-z0-9_-]{43}$/.exec(res.headers.location ?? '');
        if (res.statusCode !== 303 || !m) return reject(new Error(`certauth answered ${res.statusCode} ${res.headers.location ?? ''}`));
        expect(res.headers.location!.startsWith(`${baseURL()}/r/${m[1]}#`)).toBe(true);
        resolve(m[1]);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('certauth listener (Node TLS clients)', () => {
  it('sees the leaf and the intermediate a client sends', async () => {
    const r = await waitComplete(await present([world.pki.user, world.pki.ca], '?upn=alice%40contoso.com'));
    expect(check(r, 'device.chain-sent').evidence).toMatchObject({ sent: 2, intermediates: 1 });
    expect(r.input.certificates.map((c) => c.role)).toEqual(['user', 'intermediate']);
  });

  it('gives each of 20 simultaneous handshakes its own report', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => makeUser(world.pki, { subject: `CN=Parallel User ${i}, O=Contoso`, key: 'p256' })));
    const ids = await Promise.all(users.map((u) => present([u])));
    expect(new Set(ids).size).toBe(20);
    const reports = await Promise.all(ids.map((id) => waitComplete(id, 120_000)));
    reports.forEach((r, i) => expect(r.input.certificates[0].sha256).toBe(users[i].cert.sha256));
  }, 180_000);
});
