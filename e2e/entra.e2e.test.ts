// Entra native CBA through the portal: the tenant's JSON (method configuration, user, PKI-based trust store)
// pasted into the form's boxes, judged with the uploaded certificate; the report shows the binding that matched
// and the configured CRL URLs fetched from the loopback stand-in.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@/lib/report/schema';
import { PKI_URLS } from '@/test/pki/gen';
import { json, methodGraph, pkiStoreGraph, psJson, userPowerShell } from '@/test/entra/fixtures';
import { getReportJson, openSession, submitAndWaitForReport, seriousAxeViolations, type Session } from './helpers';

let session: Session;
beforeAll(async () => {
  session = await openSession();
});
afterAll(() => session?.close());

async function submitAndWait(page: Page): Promise<Report> {
  return getReportJson(await submitAndWaitForReport(page));
}

describe('Entra tenant JSON pasted into the form', () => {
  let page: Page;
  let report: Report;
  let ski: string;
  beforeAll(async () => {
    const { world, ctx } = session;
    const pki = world.pki;
    ski = pki.user.ski;
    const urls = PKI_URLS(`http://127.0.0.1:${world.crl.port}`);
    page = await ctx.newPage();
    await page.goto('/');
    await page.locator('#certificates').setInputFiles([world.files.userDer, world.files.issuingDer, world.files.rootPem]);
    await page.getByLabel("User's sign-in address").fill('alice@contoso.com');
    await page.getByRole('button', { name: 'Pasted command output (optional)' }).click();
    const boxes = [
      json(methodGraph({ defaultAffinity: 'high', bindings: [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1 }, { field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 2 }] })),
      psJson(userPowerShell({ upn: 'alice@contoso.com', ids: [`X509:<SKI>${ski}`] })),
      json(pkiStoreGraph([{ cert: pki.root, root: true, crl: urls.rootCrl }, { cert: pki.ca, root: false, crl: urls.caCrl }])),
    ];
    for (let i = 1; i <= boxes.length; i++) {
      while ((await page.locator('textarea[id^="pasted-"]').count()) < i) await page.getByRole('button', { name: 'Add another box' }).click();
      await page.getByLabel(`Paste ${i}`, { exact: true }).fill(boxes[i - 1]);
    }
    report = await submitAndWait(page);
  });

  it('reports for Entra and shows the username binding that matched', async () => {
    expect(report.target).toBe('entra');
    const card = page.locator('[data-check="entra.user-binding"]');
    expect(await card.getAttribute('data-status')).toBe('pass');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('SubjectKeyIdentifier → certificateUserIds (priority 2, high affinity) matches');
    expect(text).toContain(`X509:<SKI>${ski}`);
  });

  it('judges the trust store with the CRLs fetched from the configured URLs', async () => {
    const c = report.checks.find((x) => x.id === 'entra.trust-store')!;
    expect(c.status).toBe('pass');
    expect(await page.locator('[data-check="entra.trust-store"]').getAttribute('data-status')).toBe('pass');
    expect(session.world.crl.hits).toContain('/crl/contoso-issuing.crl');
  });

  it('lists the pasted kinds and has no serious accessibility finding', async () => {
    expect(report.input.pasted.map((p) => p.kind).sort()).toEqual(['entra-method', 'entra-user', 'trusted-ca']);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
