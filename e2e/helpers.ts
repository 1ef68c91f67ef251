// Shared e2e support: the browser, the portal's address, generated certificates and loopback CRL servers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { makeCrl, makePki, makeUser, pkcs12, privateKeyFile, PKI_URLS, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import type { Report } from '@/lib/report/schema';

export const baseURL = () => inject('baseURL');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CBA_DOCTOR_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Rows in the portal's database, read directly (to prove that a refused request stored nothing). */
export function reportCount(): number {
  const db = new Database(inject('dbFile'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Writes a report row the way the portal does, to drive the page through `running` → `complete` deterministically. */
export function writeReport(r: Report, mode: 'insert' | 'update'): void {
  const db = new Database(inject('dbFile'), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    if (mode === 'insert')
      db.prepare('INSERT INTO reports (id, created_at, updated_at, status, delete_hash, json) VALUES (?, ?, ?, ?, ?, ?)').run(
        r.id,
        Date.parse(r.createdAt),
        Date.parse(r.updatedAt),
        r.status,
        '0'.repeat(64),
        JSON.stringify(r),
      );
    else db.prepare('UPDATE reports SET status = ?, updated_at = ?, json = ? WHERE id = ?').run(r.status, Date.parse(r.updatedAt), JSON.stringify(r), r.id);
  } finally {
    db.close();
  }
}

export async function getReportJson(id: string): Promise<Report> {
  const res = await fetch(`${baseURL()}/api/reports/${id}`);
  if (res.status !== 200) throw new Error(`GET /api/reports/${id} → ${res.status}`);
  return (await res.json()) as Report;
}

export async function waitComplete(id: string, timeoutMs = 45_000): Promise<Report> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await getReportJson(id);
    if (r.status !== 'running') return r;
    if (Date.now() > deadline) throw new Error(`report ${id} still running after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

export interface World {
  pki: Pki;
  crl: Loopback;
  dir: string;
  /** Paths of generated files to upload. */
  files: {
    userDer: string;
    issuingDer: string;
    rootPem: string;
    revokedUserDer: string;
    pfx: string;
    pfxRenamed: string;
    encryptedKeyDer: string;
    oversized: string;
    notACert: string;
  };
  close(): Promise<void>;
}

/**
 * A user PKI (root → issuing CA → users) whose CRL distribution points are served on loopback: the issuing CA's
 * CRL revokes one of the two users. AIA URLs are left unanswered (404), so a missing intermediate stays missing.
 */
export async function makeWorld(): Promise<World> {
  const routes: Record<string, Handler> = {};
  const crl = await startLoopback(routes);
  const base = `http://127.0.0.1:${crl.port}`;
  const pki = await makePki({ baseUrl: base, root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256' } });
  const revoked = await makeUser(pki, { subject: 'CN=Bob Revoked, OU=Users, O=Contoso, C=US', key: 'p256' }, { baseUrl: base, upn: 'bob@contoso.com' });
  const u = PKI_URLS(base);
  routes[new URL(u.rootCrl).pathname] = serve((await makeCrl({ issuer: pki.root })).der);
  routes[new URL(u.caCrl).pathname] = serve((await makeCrl({ issuer: pki.ca, revoked: [{ serial: revoked.serial, reason: 'keyCompromise' }] })).der);

  const dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-files-'));
  const put = (name: string, data: Uint8Array | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const pfx = pkcs12(pki.user, [pki.ca.der]);
  const files = {
    userDer: put('alice.cer', pki.user.der),
    issuingDer: put('contoso-issuing.cer', pki.ca.der),
    rootPem: put('contoso-root.pem', pki.root.pem),
    revokedUserDer: put('bob.cer', revoked.der),
    pfx: put('alice.pfx', pfx),
    pfxRenamed: put('alice-export.cer', pfx),
    encryptedKeyDer: put('alice-key.der', privateKeyFile(pki.user.key, 'pkcs8-encrypted-der')),
    oversized: put('huge.cer', new Uint8Array(1024 * 1024 + 100).fill(0x41)),
    notACert: put('notes.cer', 'This is a note, not a certificate.\n'),
  };
  return {
    pki,
    crl,
    dir,
    files,
    async close() {
      await crl.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serious and critical axe findings (WCAG 2.1 A/AA and best practice) as readable lines; [] when clean. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export interface Session {
  browser: Browser;
  world: World;
  /** A context on the portal that may use the clipboard (copy buttons). */
  ctx: BrowserContext;
  close(): Promise<void>;
}

/** Chromium, the loopback stand-ins and a clipboard-enabled context, started side by side. */
export async function openSession(): Promise<Session> {
  const [browser, world] = await Promise.all([launchBrowser(), makeWorld()]);
  const ctx = await browser.newContext({ baseURL: baseURL() });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL() });
  return {
    browser,
    world,
    ctx,
    close: async () => {
      await browser.close();
      await world.close();
    },
  };
}

/** Submits the form on the page, waits for the report page to show a finished report, and returns the report id. */
export async function submitAndWaitForReport(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Run diagnosis' }).click();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/, { timeout: 30_000 });
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await page.waitForFunction(() => {
    const t = document.querySelector('#verdict-title')?.textContent;
    return !!t && t !== 'Diagnosis running';
  }, undefined, { timeout: 45_000, polling: 250 });
  return id;
}
