// Pasted command output through the portal: the form's paste boxes (several outputs per box, prompts, CRLF, a
// clipboard paste), the config.* checks with the evidence lines quoted, what the report says it recognised in each
// paste, refusals of oversized and binary pastes, the JSON API with `pasted` fields, and an accessibility scan.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema, type Report } from '@/lib/report/schema';
import { LIMITS } from '@/lib/report/submission';
import { baseURL, getReportJson, openSession, submitAndWaitForReport, seriousAxeViolations, type Session, reportCount, waitComplete, type World } from './helpers';

const SAMPLES = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'paste');
const sample = (f: string) => readFileSync(path.join(SAMPLES, f), 'utf8');
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const PS = 'PS C:\\Users\\admin>';

/** A paste as an admin makes it: each output after the prompt line that ran it, CRLF line ends. */
function console_(...outputs: [command: string | null, file: string][]): string {
  return crlf(outputs.map(([cmd, f]) => `${cmd ? `${PS} ${cmd}\n` : ''}${sample(f).trimEnd()}\n`).join(`\n`) + `${PS} \n`);
}

/** 1-based line number and text of the first line matching `needle`, after the first line matching `after`. */
function lineOf(paste: string, needle: RegExp, after?: RegExp): { n: number; text: string } {
  const lines = paste.split(/\r?\n/);
  const from = after ? lines.findIndex((l) => after.test(l)) : 0;
  if (from < 0) throw new Error(`no line matches ${after}`);
  const i = lines.findIndex((l, j) => j >= from && needle.test(l));
  if (i < 0) throw new Error(`no line matches ${needle}`);
  return { n: i + 1, text: lines[i].trim() };
}
/** How a summary quotes a line: `paste 2 line 14: "PromptLoginBehavior : Disabled"` (alignment spaces collapsed). */
const quoted = (paste: number, l: { n: number; text: string }) => `paste ${paste} line ${l.n}: "${l.text.replace(/\s{2,}/g, ' ')}"`;
const bodyLines = (f: string) => sample(f).trim().split('\n').length;

const HOSTILE = '<img src=x onerror="window.__xss=1">Certificate sign-in fails since Monday<script>window.__xss=2</script>';

let session: Session;
let world: World;
let ctx: BrowserContext;

beforeAll(async () => {
  session = await openSession();
  ({ world, ctx } = session);
});
afterAll(() => session?.close());

const axe = seriousAxeViolations;

const box = (page: Page, i: number) => page.getByLabel(`Paste ${i}`, { exact: true });

async function openForm(page: Page) {
  await page.goto('/');
  await page.locator('#certificates').setInputFiles([world.files.userDer]);
  await page.getByLabel("User's sign-in address").fill('alice@contoso.com');
  await page.getByRole('button', { name: 'Pasted command output (optional)' }).click();
}

/** Puts text into box i (adding boxes as needed): by fill, or through the clipboard (Ctrl+A, Ctrl+V) as a person pastes. */
async function paste(page: Page, i: number, text: string, how: 'fill' | 'clipboard' = 'fill') {
  while ((await page.locator('textarea[id^="pasted-"]').count()) < i) await page.getByRole('button', { name: 'Add another box' }).click();
  const t = box(page, i);
  if (how === 'fill') return t.fill(text);
  await page.evaluate((s) => navigator.clipboard.writeText(s), text);
  await t.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
}

async function submitAndWait(page: Page): Promise<{ id: string; report: Report }> {
  const id = await submitAndWaitForReport(page);
  return { id, report: await getReportJson(id) };
}

const card = (page: Page, id: string) => page.locator(`[data-check="${id}"]`);
const CONFIG = ['config.prompt-login', 'config.cert-provider', 'config.urlacl', 'config.sslcert', 'config.claim-rules', 'config.trusted-cas', 'config.certutil', 'config.server-stores'];

describe('broken configuration pasted into the form', () => {
  // Three outputs in one box, typed in; three more pasted through the clipboard; two more in a third box; and text
  // that is no command output at all (with markup in it) in a fourth.
  const p1 = console_(
    ['Get-MsolDomainFederationSettings -DomainName contoso.com | Format-List *', 'msol-federation.broken.txt'],
    ['netsh http show sslcert', 'netsh-sslcert.broken.txt'],
    ['certutil -verify -urlfetch alice.cer', 'certutil-urlfetch.broken.txt'],
  );
  const p2 = console_(['Get-AdfsAuthenticationProvider', 'adfs-auth-provider.broken.txt'], ['netsh http show urlacl', 'netsh-urlacl.broken.txt'], [null, 'claim-rules.broken.txt']);
  const p3 = console_(['Get-AzureADTrustedCertificateAuthority', 'trusted-ca.broken.txt'], ['certutil -verifystore root', 'verifystore-root.broken.txt']);
  let page: Page;
  let report: Report;

  beforeAll(async () => {
    page = await ctx.newPage();
    await openForm(page);
    await paste(page, 1, p1);
    await paste(page, 2, p2, 'clipboard');
    await paste(page, 3, p3);
    await paste(page, 4, HOSTILE);
    // What the browser holds is what was pasted (textareas keep line ends as LF; the multipart body sends CRLF).
    expect(await box(page, 2).inputValue()).toBe(p2.replace(/\r\n/g, '\n'));
    ({ report } = await submitAndWait(page));
  });

  it('fails every config check, each quoting the line of the paste it judged', async () => {
    const got = Object.fromEntries(await Promise.all(CONFIG.map(async (id) => [id, await card(page, id).getAttribute('data-status')])));
    // Missing claim pass-through rules are a warning (sign-in does not depend on them; issue 10).
    expect(got).toEqual(Object.fromEntries(CONFIG.map((id) => [id, id === 'config.claim-rules' ? 'warn' : 'fail'])));
    const summary = (id: string) => report.checks.find((c) => c.id === id)!.summary;

    const prompt = lineOf(p1, /^PromptLoginBehavior\s+:/);
    expect(prompt.text).toMatch(/TranslateToFreshPasswordAuth$/);
    expect(summary('config.prompt-login')).toContain(quoted(1, prompt));
    const ctl = lineOf(p1, /Ctl Store Name\s+: AdfsTrustedDevices/, /sts\.contoso\.com:49443/);
    expect(summary('config.sslcert')).toContain(quoted(1, ctl));
    const extranet = lineOf(p2, /^AllowedForPrimaryExtranet\s+: False/, /^AdminName\s+: Certificate Authentication/);
    expect(summary('config.cert-provider')).toContain(quoted(2, extranet));
    const aia = lineOf(p1, /Failed "AIA"/);
    expect(summary('config.certutil')).toContain(`(paste 1 line ${aia.n})`);
    expect(summary('config.certutil')).toContain('CRYPT_E_REVOCATION_OFFLINE');
    expect(summary('config.certutil')).toMatch(/even though the last line says "-verify command completed successfully\."/);
    expect(summary('config.urlacl')).toContain('https://+:49443/adfs/');
    expect(summary('config.claim-rules')).toMatch(/Missing pass-through rule: issuer .* on the Office 365 relying party trust/);
    const rpSerial = lineOf(p2, /claims\/serialnumber"\]$/, /Get-AdfsRelyingPartyTrust/);
    expect(summary('config.claim-rules')).toContain(`serialnumber on the Office 365 relying party trust (paste 2 line ${rpSerial.n})`);
    // The store entry is quoted by its "==== Certificate N ====" header, the line before its serial number.
    const serial = lineOf(p3, /^Serial Number: 6100000002a1b9c4e7d25f8b63000000000002$/);
    expect(summary('config.server-stores')).toContain(`is in the Trusted Root store but is not self-signed (paste 3 line ${serial.n - 1}, serial 6100000002a1b9c4e7d25f8b63000000000002)`);
    const issuing = lineOf(p3, /^TrustedIssuer\s+: CN=Contoso Issuing CA/);
    expect(summary('config.trusted-cas')).toContain(`CN=Contoso Issuing CA, DC=contoso, DC=com (paste 3 line ${issuing.n}): it is registered as RootAuthority but is an intermediate`);

    // The cards show the same quotes, and the quoted lines exactly as they were pasted in their evidence.
    expect(await card(page, 'config.prompt-login').textContent()).toContain(quoted(1, prompt));
    expect(await card(page, 'config.prompt-login').getByRole('region', { name: /Evidence/ }).textContent()).toContain(prompt.text);
    expect(await card(page, 'config.sslcert').textContent()).toContain(ctl.text);
    expect(await card(page, 'config.cert-provider').textContent()).toContain(extranet.text);
    for (const id of CONFIG) expect(await card(page, id).getByRole('heading', { name: 'What to do' }).isVisible(), id).toBe(true);
  });

  it('lists what was recognised in each paste, and says the fourth was not recognised', async () => {
    const c = report.checks.find((x) => x.id === 'config.paste')!;
    expect(c.status).toBe('info');
    const ev = c.evidence as { recognised: { source: string; kind: string; lines: number }[]; unrecognised: { source: string; lines: string; firstLine: string }[] };
    expect(ev.recognised.map((r) => `${r.source} ${r.kind}`)).toEqual([
      'paste 1 msol-federation',
      'paste 1 netsh-sslcert',
      'paste 1 certutil-urlfetch',
      'paste 2 adfs-auth-provider',
      'paste 2 netsh-urlacl',
      'paste 2 claim-rules',
      'paste 2 claim-rules',
      'paste 3 trusted-ca',
      'paste 3 verifystore',
    ]);
    expect(ev.unrecognised).toEqual([expect.objectContaining({ source: 'paste 4', lines: '1-1', firstLine: HOSTILE })]);
    // It names what CBA Doctor can read.
    for (const cmd of ['Get-AdfsAuthenticationProvider', 'netsh http show urlacl', 'certutil -verify -urlfetch', 'certutil -verifystore']) expect(c.summary).toContain(cmd);
    expect(report.input.pasted.map((p) => p.kind)).toEqual(ev.recognised.map((r) => r.kind));

    // The card says it paste by paste, with the line ranges; its evidence lists every output by paste.
    const text = await card(page, 'config.paste').locator('h3 + p').textContent();
    // Where a sample's lines sit inside the paste that holds it.
    const at = (p: string, f: string) => {
      const i = p.indexOf(crlf(sample(f).trimEnd()));
      if (i < 0) throw new Error(`${f} is not in that paste`);
      const from = p.slice(0, i).split('\r\n').length;
      return `lines ${from}-${from + bodyLines(f) - 1}`;
    };
    expect(text).toContain(`Get-MsolDomainFederationSettings (paste 1, ${at(p1, 'msol-federation.broken.txt')})`);
    expect(text).toContain(`netsh http show sslcert (paste 1, ${at(p1, 'netsh-sslcert.broken.txt')})`);
    expect(text).toContain(`Get-AdfsAuthenticationProvider (paste 2, ${at(p2, 'adfs-auth-provider.broken.txt')})`);
    expect(text).toContain(`certutil -verifystore Root / CA (paste 3, ${at(p3, 'verifystore-root.broken.txt')})`);
    await card(page, 'config.paste').getByRole('button', { name: /Details/ }).click();
    const recognisedRows = await card(page, 'config.paste').getByRole('region', { name: /: Recognised$/ }).locator('tbody tr').allTextContents();
    expect(recognisedRows.map((r) => r.match(/^paste \d/)?.[0])).toEqual(['paste 1', 'paste 1', 'paste 1', 'paste 2', 'paste 2', 'paste 2', 'paste 2', 'paste 3', 'paste 3']);

    // "What was tested" names what was recognised in words, in paste order.
    expect(await page.getByTestId('pasted-summary').textContent()).toBe(
      [
        `Get-MsolDomainFederationSettings (${bodyLines('msol-federation.broken.txt')} lines)`,
        `netsh http show sslcert (${bodyLines('netsh-sslcert.broken.txt')} lines)`,
        `certutil -verify -urlfetch (${bodyLines('certutil-urlfetch.broken.txt')} lines)`,
        `Get-AdfsAuthenticationProvider (${bodyLines('adfs-auth-provider.broken.txt')} lines)`,
        `netsh http show urlacl (${bodyLines('netsh-urlacl.broken.txt')} lines)`,
        ...report.input.pasted.filter((x) => x.kind === 'claim-rules').map((x) => `AD FS claim rules (${x.lines} lines)`),
        `Entra ID trusted certificate authorities (${bodyLines('trusted-ca.broken.txt')} lines)`,
        `certutil -verifystore (${bodyLines('verifystore-root.broken.txt')} lines)`,
      ].join('; ') + ' Details of the pasted output',
    );
    expect(await page.getByRole('link', { name: 'Details of the pasted output' }).getAttribute('href')).toBe('#check-config.paste');
  });

  it('shows pasted markup as text and never runs it', async () => {
    const info = card(page, 'config.paste');
    expect(await info.locator('h3 + p').textContent()).toContain(`paste 4 lines 1-1 ("${HOSTILE}")`);
    expect(await info.getByRole('region', { name: /Unrecognised/ }).textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((els) => els.filter((e) => e.textContent?.trim() === 'window.__xss=2').length)).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('has no serious accessibility violations with the config checks open', async () => {
    expect(await axe(page)).toEqual([]);
  });
});

describe('healthy configuration pasted into the form', () => {
  it('passes every config check; one box holds every output', async () => {
    const all = console_(
      ['Get-MsolDomainFederationSettings -DomainName contoso.com | Format-List *', 'msol-federation.healthy.txt'],
      ['Get-MgDomainFederationConfiguration -DomainId contoso.com | Format-List', 'mg-federation.healthy.txt'],
      ['Get-AdfsAuthenticationProvider', 'adfs-auth-provider.healthy.txt'],
      ['netsh http show urlacl', 'netsh-urlacl.healthy.txt'],
      ['netsh http show sslcert', 'netsh-sslcert.healthy.txt'],
      [null, 'claim-rules.healthy.txt'],
      ['Get-AzureADTrustedCertificateAuthority', 'trusted-ca.healthy.txt'],
      ['certutil -verify -urlfetch alice.cer', 'certutil-urlfetch.healthy.txt'],
      ['certutil -verifystore root', 'verifystore-root.healthy.txt'],
    );
    const page = await ctx.newPage();
    await openForm(page);
    await paste(page, 1, all, 'clipboard');
    const { report } = await submitAndWait(page);
    const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
    expect(Object.fromEntries([...CONFIG, 'config.paste'].map((id) => [id, status(id)]))).toEqual(Object.fromEntries([...CONFIG, 'config.paste'].map((id) => [id, 'pass'])));
    for (const id of [...CONFIG, 'config.paste']) expect(await card(page, id).getAttribute('data-status'), id).toBe('pass');
    const msol = lineOf(all, /^PromptLoginBehavior\s+: Disabled/);
    expect(report.checks.find((c) => c.id === 'config.prompt-login')!.summary).toContain(quoted(1, msol));
    const listen = lineOf(all, /Reserved URL\s+: https:\/\/\+:49443\/adfs\//);
    expect(report.checks.find((c) => c.id === 'config.urlacl')!.summary).toContain(quoted(1, listen));
    const listed = await page.getByTestId('pasted-summary').textContent();
    expect(listed).toMatch(
      /^Get-MsolDomainFederationSettings \(\d+ lines\); Get-MgDomainFederationConfiguration \(\d+ lines\); Get-AdfsAuthenticationProvider \(\d+ lines\); netsh http show urlacl \(\d+ lines\); netsh http show sslcert \(\d+ lines\); AD FS claim rules \(\d+ lines\); AD FS claim rules \(\d+ lines\); Entra ID trusted certificate authorities \(\d+ lines\); certutil -verify -urlfetch \(\d+ lines\); certutil -verifystore \(\d+ lines\) /,
    );
    await page.close();
  });
});

describe('pastes the form refuses', () => {
  it('a 1 MB paste and binary junk get a field error on their box, and nothing is sent', async () => {
    const page = await ctx.newPage();
    const before = reportCount();
    await openForm(page);
    // Through the clipboard, as a person would (typing 1 MB through fill() takes Playwright minutes).
    await paste(page, 1, 'PromptLoginBehavior : Disabled\n'.repeat(34_000), 'clipboard');
    const err = page.locator('#pasted-error');
    await expect.poll(() => err.textContent()).toMatch(/^Paste 1 is 1,054,000 bytes; the limit is 262,144 bytes \(256 KB\) per paste\./);
    expect(await box(page, 1).getAttribute('aria-invalid')).toBe('true');
    expect(await box(page, 1).getAttribute('aria-describedby')).toContain('pasted-error');
    expect(await page.locator('#form-status').textContent()).toContain('Paste 1 is 1,054,000 bytes');

    // Fixing the box clears its error; junk in another box names that box only.
    await paste(page, 1, sample('msol-federation.healthy.txt'), 'clipboard');
    await expect.poll(() => err.count()).toBe(0);
    const junk = Array.from(randomBytes(4096), (b) => String.fromCharCode(b % 32 === 0 ? 1 : b)).join('');
    await paste(page, 2, junk);
    await expect.poll(() => err.textContent()).toMatch(/^Paste 2 looks like binary data/);
    expect(await box(page, 2).getAttribute('aria-invalid')).toBe('true');
    expect(await box(page, 1).getAttribute('aria-invalid')).toBeNull();

    await page.getByRole('button', { name: 'Run diagnosis' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pasted-1');
    expect(await page.getByRole('link', { name: 'Pasted command output' }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(reportCount()).toBe(before);
    expect(await axe(page)).toEqual([]);
    await page.close();
  });
});

describe('POST /api/reports with pasted fields', () => {
  const post = (f: FormData) => fetch(`${baseURL()}/api/reports`, { method: 'POST', body: f });
  const base = () => {
    const f = new FormData();
    f.append('certificates', new File([readFileSync(world.files.userDer)], 'alice.cer'));
    f.append('upn', 'alice@contoso.com');
    return f;
  };

  it('reads several outputs per field with CRLF, a file part, and reports text it does not recognise', async () => {
    const p1 = console_(['Get-MsolDomainFederationSettings -DomainName contoso.com | Format-List *', 'msol-federation.broken.txt'], ['netsh http show sslcert', 'netsh-sslcert.healthy.txt']);
    const f = base();
    f.append('pasted', p1);
    f.append('pasted', '');
    f.append('pasted', 'Hello helpdesk,\r\nmy card stopped working.\r\n');
    f.append('pasted', new File([crlf(sample('adfs-auth-provider.healthy.txt'))], 'providers.txt', { type: 'text/plain' }));
    const res = await post(f);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const r = reportSchema.parse(await waitComplete(id));
    const c = (x: string) => r.checks.find((k) => k.id === x)!;
    expect(c('config.prompt-login').status).toBe('fail');
    expect(c('config.prompt-login').summary).toContain(quoted(1, lineOf(p1, /^PromptLoginBehavior\s+:/)));
    expect(c('config.sslcert').status).toBe('pass');
    expect(c('config.cert-provider').status).toBe('pass');
    expect(c('config.cert-provider').summary).toContain('paste 4 line 31: "AllowedForPrimaryExtranet : True"');
    expect(c('config.urlacl').status).toBe('skip');
    expect(c('config.paste').status).toBe('info');
    expect(c('config.paste').summary).toMatch(/paste 3 lines 1-2 \("Hello helpdesk,"\): Not recognised/);
    expect(c('config.paste').summary).toContain('CBA Doctor reads: Get-AdfsAuthenticationProvider');
    expect(r.input.pasted.map((p) => p.kind)).toEqual(['msol-federation', 'netsh-sslcert', 'adfs-auth-provider']);
    // Quoted lines carry no carriage returns.
    expect(JSON.stringify(r.checks.filter((k) => k.id.startsWith('config.')))).not.toContain('\\r');
  });

  const refusals: [string, () => FormData, string, RegExp][] = [
    ['1 MB in one field', () => withPasted(['PromptLoginBehavior : Disabled\r\n'.repeat(34_000)]), 'too-big', /^Paste 1 is 1,088,000 bytes; the limit is 262,144 bytes/],
    ['1 MB as a file part', () => withPasted(['ok', new File([new Uint8Array(1024 * 1024).fill(0x41)], 'dump.txt')]), 'too-big', /^Paste 2 \(dump\.txt\) is 1,048,576 bytes; the limit is 262,144 bytes/],
    ['binary bytes', () => withPasted([randomBytes(8192).toString('utf8')]), 'type', /^Paste 1 looks like binary data/],
    ['more than the total over several fields', () => withPasted(Array.from({ length: 3 }, () => 'x'.repeat(LIMITS.maxPastedBytes / 3 + 100))), 'too-big', /in total/],
    ['too many fields', () => withPasted(Array.from({ length: LIMITS.maxPastedBlocks + 1 }, () => 'x')), 'too-many', /at most 12/],
    ['a private key', () => withPasted([`${sample('msol-federation.healthy.txt')}\n-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n`]), 'private-key', /private key/],
  ];
  function withPasted(values: (string | File)[]): FormData {
    const f = base();
    for (const v of values) f.append('pasted', v);
    return f;
  }
  for (const [what, make, reason, message] of refusals) {
    it(`refuses ${what} with 400 naming the pasted field, and stores nothing`, async () => {
      const before = reportCount();
      const res = await post(make());
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: string; field: string; reason: string };
      expect(err).toMatchObject({ field: 'pasted', reason });
      expect(err.error).toMatch(message);
      expect(reportCount()).toBe(before);
    });
  }
});

describe('pastes labelled with their server (issue 14)', () => {
  it('the form sends each box with its server name; findings name the node and nodes that disagree are side by side', async () => {
    const page = await ctx.newPage();
    await openForm(page);
    await paste(page, 1, console_(['netsh http show sslcert', 'netsh-sslcert.healthy.txt']));
    await page.getByLabel('Server name of paste 1').fill('ADFS01');
    await paste(page, 2, console_(['netsh http show sslcert', 'netsh-sslcert.broken.txt']));
    await page.getByLabel('Server name of paste 2').fill('adfs02.contoso.com');
    const { report } = await submitAndWait(page);
    expect(report.input.pasted).toEqual([
      { kind: 'netsh-sslcert', lines: bodyLines('netsh-sslcert.healthy.txt'), node: 'ADFS01' },
      { kind: 'netsh-sslcert', lines: bodyLines('netsh-sslcert.broken.txt'), node: 'adfs02.contoso.com' },
    ]);
    const c = report.checks.find((x) => x.id === 'config.sslcert')!;
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/^The nodes disagree: ADFS01 pass, adfs02\.contoso\.com fail\./);
    expect(await card(page, 'config.sslcert').textContent()).toContain('adfs02.contoso.com: ');
    // A failed check shows its details open; open them otherwise.
    const details = card(page, 'config.sslcert').getByRole('button', { name: 'Details', exact: true });
    if (await details.count()) await details.click();
    const rows = await card(page, 'config.sslcert').getByRole('region', { name: /: Side By Side$/ }).locator('tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim().slice(0, 40))).toEqual([expect.stringContaining('ADFS01'), expect.stringContaining('adfs02.contoso.com')]);
    expect(await page.getByTestId('pasted-summary').textContent()).toContain(', ADFS01)');
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it('a server name that is not one gets a field error, and nothing is sent', async () => {
    const page = await ctx.newPage();
    await openForm(page);
    await paste(page, 1, 'PromptLoginBehavior : Disabled');
    await page.getByLabel('Server name of paste 1').fill('adfs01 & calc');
    const before = reportCount();
    await page.getByRole('button', { name: 'Run diagnosis' }).click();
    await expect.poll(() => page.locator('#pastedNode-error').textContent()).toContain('is not a server name');
    expect(page.url()).not.toMatch(/\/r\//);
    expect(reportCount()).toBe(before);
    await page.close();
  });
});
