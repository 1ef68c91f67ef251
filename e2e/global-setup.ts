// Starts the production portal once for all e2e files: a free loopback port, a temporary SQLite file, a
// realm-discovery stand-in on loopback (no Internet here), and private targets allowed so the CRL and AIA
// stand-ins the tests start on 127.0.0.1 can be fetched.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startPortal } from './server';
// @ts-expect-error: a plain .mjs script without types (the one `npm start` uses for its self-signed pair)
import { ensureCertauthPair } from '../scripts/certauth-cert.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    dbFile: string;
    /** Port of the certauth listener (client certificate test) the portal starts. */
    certauthPort: number;
  }
}

/** getuserrealm.srf stand-in: every domain is Managed (Entra native CBA), so no AD FS probe leaves the machine. */
async function realmStandIn(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const login = new URL(req.url ?? '/', 'http://x').searchParams.get('login') ?? 'user@contoso.com';
    const body = JSON.stringify({ State: 4, UserState: 1, Login: login, NameSpaceType: 'Managed', DomainName: login.split('@').pop(), FederationBrandName: 'Contoso', CloudInstanceName: 'microsoftonline.com' });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/getuserrealm.srf`, close: () => new Promise((r) => server.close(() => r())) };
}

export default async function setup(project: TestProject) {
  if (!existsSync(path.resolve(import.meta.dirname, '..', '.next', 'BUILD_ID')))
    throw new Error('No production build: run the e2e tests with `node scripts/e2e.mjs` (it builds first).');
  const dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-'));
  const dbFile = path.join(dir, 'data', 'reports.db');
  const realm = await realmStandIn();
  const certauthPort = await freePort();
  const pair = (await ensureCertauthPair(path.join(dir, 'data'))) as { certFile: string; keyFile: string };
  let portal;
  try {
    portal = await startPortal({
      CBA_DOCTOR_DB: dbFile,
      CBA_DOCTOR_RATE_LIMIT: '0',
      CBA_DOCTOR_ALLOW_PRIVATE: '1',
      CBA_DOCTOR_REALM_URL: realm.url,
      CBA_DOCTOR_CERTAUTH_PORT: String(certauthPort),
      CBA_DOCTOR_CERTAUTH_BIND: '127.0.0.1',
      CBA_DOCTOR_CERTAUTH_CERT: pair.certFile,
      CBA_DOCTOR_CERTAUTH_KEY: pair.keyFile,
    });
  } catch (e) {
    await realm.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('baseURL', portal.baseURL);
  project.provide('dbFile', dbFile);
  project.provide('certauthPort', certauthPort);
  return async () => {
    await portal.stop();
    await realm.close();
    if (process.env.CBA_E2E_SERVER_LOG) console.log(portal.log());
    rmSync(dir, { recursive: true, force: true });
  };
}
