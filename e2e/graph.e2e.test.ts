// The live Graph lookup in the portal: offered only when the operator configured Graph and allowed it for
// anonymous users (a second portal started here, pointed at the token and Graph stand-ins and trusting them
// through NODE_EXTRA_CA_CERTS); the shared portal, without Graph settings, hides it and the API refuses it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@/lib/report/schema';
import { makePki, type Pki } from '@/test/pki/gen';
import { methodGraph, pkiStoreGraph, signInsGraph, userGraph } from '@/test/entra/fixtures';
import { CLIENT, SECRET, TENANT, graphStandIn, type GraphStandIn } from '@/test/graph/standin';
import { baseURL, launchBrowser, submitAndWaitForReport } from './helpers';
import { startPortal, type Portal } from './server';

const UPN = 'alice@contoso.com';
const CORR = 'd79f5bee-5860-4832-928f-3133e22ae912';
let g: GraphStandIn;
let pki: Pki;
let portal: Portal;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  [g, pki, browser] = await Promise.all([graphStandIn(), makePki(), launchBrowser()]);
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-graph-'));
  writeFileSync(path.join(dir, 'tls-root.pem'), g.id.tlsRoot.pem);
  writeFileSync(path.join(dir, 'alice.cer'), pki.user.der);
  g.answer('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate', () => [200, methodGraph({ bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }] })]);
  g.answer(`/v1.0/users/${UPN}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo`, () => [200, userGraph({ upn: UPN, ids: [`X509:<SKI>${pki.user.ski}`] })]);
  g.answer(`/v1.0/users/${UPN}/transitiveMemberOf?$select=id`, () => [200, { value: [] }]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$select=id', () => [200, { value: [{ id: 'Contoso PKI' }] }]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/Contoso PKI/certificateAuthorities', () => [200, pkiStoreGraph([{ cert: pki.root, root: true }, { cert: pki.ca, root: false }])]);
  g.answer('/v1.0/organization?$select=id', () => [200, { value: [] }]);
  g.answer(`/v1.0/auditLogs/signIns?$filter=correlationId eq '${CORR}'`, () => [200, signInsGraph([{ code: 90100, correlationId: CORR }])]);
  portal = await startPortal({
    CBA_DOCTOR_DB: path.join(dir, 'reports.db'),
    CBA_DOCTOR_RATE_LIMIT: '0',
    CBA_DOCTOR_ALLOW_PRIVATE: '1',
    CBA_DOCTOR_REALM_URL: `${g.authority}/getuserrealm.srf`,
    NODE_EXTRA_CA_CERTS: path.join(dir, 'tls-root.pem'),
    CBA_DOCTOR_GRAPH_TENANT_ID: TENANT,
    CBA_DOCTOR_GRAPH_CLIENT_ID: CLIENT,
    CBA_DOCTOR_GRAPH_CLIENT_SECRET: SECRET,
    CBA_DOCTOR_GRAPH_AUTHORITY: g.authority,
    CBA_DOCTOR_GRAPH_URL: g.graphUrl,
    CBA_DOCTOR_GRAPH_FOR_ANONYMOUS: '1',
  });
});
afterAll(async () => {
  await browser?.close();
  await portal?.stop();
  await g?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openAdvanced(page: Page, base: string) {
  await page.goto(base);
  await page.getByRole('button', { name: 'Advanced: nodes, port, target' }).click();
}

describe('live Graph lookup in the portal', () => {
  it('is hidden, and refused by the API with 403, on a portal without Graph settings', async () => {
    const page = await browser.newPage();
    await openAdvanced(page, baseURL());
    expect(await page.locator('input[name="graph"]').count()).toBe(0);
    const f = new FormData();
    f.append('certificates', new Blob([Buffer.from(pki.user.der)]), 'alice.cer');
    f.append('upn', UPN);
    f.append('graph', '1');
    const res = await fetch(`${baseURL()}/api/reports`, { method: 'POST', body: f });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain('not configured');
    await page.close();
  });

  it('is offered when configured and allowed; the report shows the live source and the sign-in entry', async () => {
    const page = await browser.newPage();
    await openAdvanced(page, portal.baseURL);
    await page.locator('#certificates').setInputFiles([path.join(dir, 'alice.cer')]);
    await page.getByLabel("User's sign-in address").fill(UPN);
    await page.locator('input[name="graph"]').check();
    await page.getByLabel('Correlation ID').fill(CORR);
    const id = await submitAndWaitForReport(page);
    const report = (await (await fetch(`${portal.baseURL}/api/reports/${id}`)).json()) as Report;
    const binding = report.checks.find((c) => c.id === 'entra.user-binding')!;
    expect(binding.status).toBe('pass');
    expect(binding.summary).toContain('read live from Microsoft Graph');
    expect(await page.locator('[data-check="entra.user-binding"]').textContent()).toContain('read live from Microsoft Graph');
    const signin = report.checks.find((c) => c.id === 'signin.error')!;
    expect(signin.summary).toContain(`correlation ID ${CORR}`);
    expect(signin.summary).toContain('AADSTS90100');
    await page.close();
  });
});
