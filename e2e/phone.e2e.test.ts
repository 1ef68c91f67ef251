// The form and a real report at phone width (390 × 844): the page itself never scrolls sideways, however long the
// certificate names, CRL URLs and commands are (evidence tables stack, long values wrap or scroll in their own box).
// Screenshots at 390 and 1280 px are written to CBA_E2E_SHOTS (default: the OS temp dir) for a person to look at.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl, makePki, PKI_URLS } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { baseURL, getReportJson, launchBrowser, waitComplete } from './helpers';

const PHONE = { width: 390, height: 844 };
const shots = process.env.CBA_E2E_SHOTS || tmpdir();

let browser: Browser;
let crl: Loopback;
let dir: string;
let files: string[];

// Long values without spaces as certificates carry them: an OU of one 120-character token, a deep CDP path.
const LONG_TOKEN = 'Department-of-Infrastructure-Identity-And-Access-Management-Certificate-Services-Division-East-Region-Tier2';
const longPath = `/pki/${'very-long-directory-name-for-certificate-revocation-lists/'.repeat(3)}contoso-issuing-ca-1-revocation-list.crl`;

beforeAll(async () => {
  const routes: Record<string, Handler> = {};
  crl = await startLoopback(routes);
  const base = `http://127.0.0.1:${crl.port}`;
  const u = PKI_URLS(base);
  const pki = await makePki({
    baseUrl: base,
    root: { key: 'p256', subject: `CN=Contoso Enterprise Root Certification Authority 2026, OU=${LONG_TOKEN}, O=Contoso Pharmaceuticals Worldwide Holdings Limited, L=Redmond, ST=Washington, C=US` },
    ca: { key: 'p256', subject: `CN=Contoso Enterprise Issuing Certification Authority 01, OU=${LONG_TOKEN}, O=Contoso Pharmaceuticals Worldwide Holdings Limited, C=US` },
    // The user's first CDP is not served (404): crl.fetch fails and shows the long URL with its remediation command.
    user: { key: 'p256', subject: `CN=Alexandra Catherine Montgomery-Fitzwilliam, OU=${LONG_TOKEN}, O=Contoso Pharmaceuticals Worldwide Holdings Limited, C=US`, cdp: [[`${base}${longPath}`], [u.caCrl]] },
  });
  // Only the root's CRL is served; the issuing CA's CRLs (both URLs) are not, so the CRL checks fail with their URLs.
  routes[new URL(u.rootCrl).pathname] = serve((await makeCrl({ issuer: pki.root })).der);
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-phone-'));
  const put = (name: string, data: Uint8Array | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  files = [
    put('alexandra-montgomery-fitzwilliam-smartcard-authentication-certificate-2026.cer', pki.user.der),
    put('contoso-enterprise-issuing-certification-authority-01.cer', pki.ca.der),
    put('contoso-enterprise-root-certification-authority-2026.pem', pki.root.pem),
  ];
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await crl?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** How far the document is wider than the viewport (0 when it does not scroll sideways), and the widest culprits. */
async function overflow(page: Page): Promise<{ by: number; culprits: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const limit = doc.clientWidth + 1;
    // Sticking out of the screen and not clipped by a scroll box that itself fits (a wide table scrolling in its own box is fine).
    const uncontained = (e: Element) => {
      if (e.getBoundingClientRect().right <= limit) return false;
      for (let x = e.parentElement; x && x !== document.body; x = x.parentElement)
        if (getComputedStyle(x).overflowX !== 'visible' && x.getBoundingClientRect().right <= limit) return false;
      return true;
    };
    const all = [...document.querySelectorAll('body *')].filter(uncontained);
    // The outermost offenders (their parent fits), with their ancestry and widths.
    const culprits = all
      .filter((e) => !e.parentElement || !all.includes(e.parentElement))
      .slice(0, 5)
      .map((e) => {
        const chain: string[] = [];
        for (let x: Element | null = e; x && chain.length < 6; x = x.parentElement) chain.push(`${x.tagName.toLowerCase()}.${(x.getAttribute('class') ?? '').split(' ').slice(0, 3).join('.')}[${Math.round(x.getBoundingClientRect().width)}]`);
        return `${chain.join(' < ')}: ${(e.textContent ?? '').slice(0, 60)}`;
      });
    if (!culprits.length && doc.scrollWidth > doc.clientWidth) {
      // Nothing sticks out by geometry: find the element whose removal ends the overflow (the deepest one).
      const fixes = (e: HTMLElement) => {
        const before = e.style.display;
        e.style.display = 'none';
        const ok = doc.scrollWidth <= doc.clientWidth;
        e.style.display = before;
        return ok;
      };
      const found = [...document.querySelectorAll<HTMLElement>('body *')].filter(fixes).pop();
      if (found) culprits.push(`removing ${found.tagName} ${found.className} ends it`);
      // Elements whose removal narrows the page, deepest last; and positioned elements far right.
      const narrows = (e: HTMLElement) => {
        const w = doc.scrollWidth;
        const before = e.style.display;
        e.style.display = 'none';
        const less = doc.scrollWidth < w;
        e.style.display = before;
        return less;
      };
      const n = [...document.querySelectorAll<HTMLElement>('body *')].filter(narrows);
      for (const e of n.slice(-4)) culprits.push(`narrows: ${e.tagName} .${e.className} ${(e.textContent ?? '').slice(0, 50)}`);
      for (const e of [...document.querySelectorAll<HTMLElement>('body *')].filter((e) => ['absolute', 'fixed'].includes(getComputedStyle(e).position) && e.getBoundingClientRect().right > limit).slice(0, 4))
        culprits.push(`positioned: ${e.tagName} .${e.className} right=${e.getBoundingClientRect().right} parent=${e.parentElement?.tagName}.${e.parentElement?.className}`);
    }
    return { by: doc.scrollWidth - doc.clientWidth, culprits };
  });
}

/** Clicks the first closed toggle until none is left (each click changes what the locator matches); bounded. */
async function openAll(closed: Locator) {
  for (let i = 0; i < 200 && (await closed.count()) > 0; i++) await closed.first().click();
}

async function noSideways(page: Page) {
  const o = await overflow(page);
  expect(o.by, `the page is ${o.by}px wider than the screen:\n${o.culprits.join('\n')}`).toBe(0);
}

describe('at 390 × 844 (phone)', () => {
  let id: string;

  it('the form, with long file names selected, does not scroll sideways', async () => {
    const ctx = await browser.newContext({ baseURL: baseURL(), viewport: PHONE, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto('/');
    await noSideways(page);
    await page.locator('#certificates').setInputFiles(files);
    await page.getByLabel("User's sign-in address").fill('alexandra.montgomery-fitzwilliam@identity.contoso-pharmaceuticals-worldwide.com');
    // Open the optional sections too: their fields must fit as well.
    await openAll(page.locator('button[aria-expanded="false"]'));
    await noSideways(page);
    await page.screenshot({ path: path.join(shots, 'cba-phone-form-390.png'), fullPage: true });
    await page.getByRole('button', { name: 'Run diagnosis' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/, { timeout: 30_000 });
    id = new URL(page.url()).pathname.split('/').pop()!;
    await ctx.close();
  });

  it('the finished report, every card open, does not scroll sideways, and names certificates by file and subject', async () => {
    const r = await waitComplete(id);
    // The report really holds the long values this test is about.
    const json = JSON.stringify(r.checks);
    expect(json).toContain(longPath);
    expect(r.checks.find((c) => c.id === 'crl.fetch')?.status).toBe('fail');
    expect(r.checks.some((c) => c.remediation.some((m) => m.command && m.command.length > 60))).toBe(true);

    const ctx = await browser.newContext({ baseURL: baseURL(), viewport: PHONE, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(`/r/${id}`);
    await page.waitForSelector('[data-check="crl.fetch"]');
    await openAll(page.getByRole('button', { name: /^Details/ }));
    expect(await page.getByRole('button', { name: /^Details/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'cba-phone-report-390.png'), fullPage: true });
    await noSideways(page);

    // Evidence names certificates, never by internal ref: no value reads "c1", though the stored evidence holds refs.
    expect(JSON.stringify(r.checks.map((c) => c.evidence))).toMatch(/"c1"/);
    expect(r.input.certificates.map((c) => c.ref).sort()).toEqual(['c1', 'c2', 'c3']);
    const values = await page.locator('.evidence').locator('td, li, span').evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => /^c\d+$/.test(v))).toEqual([]);
    expect(values).toContain('alexandra-montgomery-fitzwilliam-smartcard-authentication-certificate-2026.cer');
    // A certificate record shows its file name once: its ref is not a second "Certificate" row with the same name.
    const heads = await page.locator('[data-check="cert.cdp"] .evidence th[scope="row"]').allTextContents();
    expect(heads).toContain('File Name');
    expect(heads).not.toContain('Certificate');

    await page.screenshot({ path: path.join(shots, 'cba-phone-report-390.png'), fullPage: true });
    await page.screenshot({ path: path.join(shots, 'cba-phone-report-390-top.png') });
    for (const k of ['crl.fetch', 'input.files']) await page.locator(`[data-check="${k}"]`).screenshot({ path: path.join(shots, `cba-phone-${k}-390.png`) });
    await ctx.close();

    // The same report on a desktop screen, loaded afresh at that width.
    const wide = await browser.newContext({ baseURL: baseURL(), viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const desk = await wide.newPage();
    await desk.goto(`/r/${id}`);
    await desk.waitForSelector('[data-check="crl.fetch"]');
    await openAll(desk.getByRole('button', { name: /^Details/ }));
    await noSideways(desk);
    await desk.screenshot({ path: path.join(shots, 'cba-phone-report-1280-top.png') });
    for (const k of ['crl.fetch', 'input.files']) await desk.locator(`[data-check="${k}"]`).screenshot({ path: path.join(shots, `cba-phone-${k}-1280.png`) });
    await wide.close();
  });

  it('the printed report keeps the page width too', async () => {
    const ctx = await browser.newContext({ baseURL: baseURL(), viewport: PHONE, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(`/r/${id}`);
    await page.emulateMedia({ media: 'print' });
    await noSideways(page);
    await ctx.close();
    expect((await getReportJson(id)).status).toBe('complete');
  });
});
