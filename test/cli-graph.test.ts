// bin/cba-doctor diagnose --graph against the loopback stand-ins for the token endpoint and Graph, trusted
// through NODE_EXTRA_CA_CERTS like an operator would: the same tenant verdicts as pasting the same JSON.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema, type Report } from '@/lib/report/schema';
import { makePki, tempDir, type Pki, type TempDir } from '@/test/pki/gen';
import { json, methodGraph, pkiStoreGraph, signInsGraph, userGraph } from '@/test/entra/fixtures';
import { CLIENT, SECRET, TENANT, graphStandIn, type GraphStandIn } from '@/test/graph/standin';

const BIN = path.resolve('bin/cba-doctor');
const UPN = 'alice@contoso.com';
const CORR = 'd79f5bee-5860-4832-928f-3133e22ae912';
let g: GraphStandIn;
let pki: Pki;
let dir: TempDir;
let files: string[];
let objects: unknown[];

beforeAll(async () => {
  g = await graphStandIn();
  // CDP and AIA URLs on the stand-in (answered 404 at once): no lookup leaves the machine.
  pki = await makePki({ baseUrl: g.authority });
  dir = tempDir();
  files = [pki.user, pki.ca, pki.root].map((c, i) => {
    const p = path.join(dir.path, `c${i}.cer`);
    writeFileSync(p, c.der);
    return p;
  });
  writeFileSync(path.join(dir.path, 'tls-root.pem'), g.id.tlsRoot.pem);
  const method = methodGraph({ defaultAffinity: 'high', bindings: [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1 }, { field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 2 }] });
  const user = userGraph({ upn: UPN, ids: [`X509:<SKI>${pki.user.ski}`] });
  const store = pkiStoreGraph([{ cert: pki.root, root: true }, { cert: pki.ca, root: false }]);
  const signIns = signInsGraph([{ code: 1001003, correlationId: CORR }]);
  objects = [method, user, store, signIns];
  g.answer('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate', () => [200, method]);
  g.answer(`/v1.0/users/${UPN}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo`, () => [200, user]);
  g.answer(`/v1.0/users/${UPN}/transitiveMemberOf?$select=id`, () => [200, { value: [] }]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$select=id', () => [200, { value: [{ id: 'Contoso PKI' }] }]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/Contoso PKI/certificateAuthorities', () => [200, store]);
  g.answer('/v1.0/organization?$select=id', () => [200, { value: [] }]);
  g.answer(`/v1.0/auditLogs/signIns?$filter=correlationId eq '${CORR}'`, () => [200, signIns]);
});
afterAll(async () => {
  await g?.close();
  dir?.cleanup();
});

/** The CLI as a child process (asynchronous: the stand-ins answer from this process). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; report: Report; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, 'diagnose', ...files.flatMap((f) => ['--cert', f]), '--upn', UPN, '--allow-private', '--timeout', '8', '--json', ...args], {
      env: { ...process.env, NO_COLOR: '1', CBA_DOCTOR_REALM_URL: `${g.authority}/getuserrealm.srf`, NODE_EXTRA_CA_CERTS: path.join(dir.path, 'tls-root.pem'), ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        resolve({ code, report: reportSchema.parse(JSON.parse(out)), err });
      } catch (e) {
        reject(new Error(`${(e as Error).message}\n${err}\n${out.slice(0, 500)}`));
      }
    });
  });
}

const GRAPH_ENV = () => ({ CBA_DOCTOR_GRAPH_TENANT_ID: TENANT, CBA_DOCTOR_GRAPH_CLIENT_ID: CLIENT, CBA_DOCTOR_GRAPH_CLIENT_SECRET: SECRET, CBA_DOCTOR_GRAPH_AUTHORITY: g.authority, CBA_DOCTOR_GRAPH_URL: g.graphUrl });
const verdicts = (r: Report) => r.checks.filter((c) => /^(entra|signin)\./.test(c.id)).map((c) => [c.id, c.status]);

describe('bin/cba-doctor diagnose --graph', () => {
  it('gives the same tenant verdicts as pasting the same JSON', async () => {
    const live = await cli(['--graph', '--correlation-id', CORR], GRAPH_ENV());
    const pastes = objects.map((o, i) => {
      const p = path.join(dir.path, `p${i}.json`);
      writeFileSync(p, json(o));
      return p;
    });
    const pasted = await cli(pastes.flatMap((p) => ['--paste', p]));
    expect(verdicts(live.report)).toEqual(verdicts(pasted.report));
    const binding = live.report.checks.find((c) => c.id === 'entra.user-binding')!;
    expect(binding.status).toBe('pass');
    expect(binding.summary).toContain('read live from Microsoft Graph');
    expect(live.report.checks.find((c) => c.id === 'signin.error')!.summary).toContain('AADSTS1001003');
  });

  it('says why nothing was read when Graph is not configured', async () => {
    const r = await cli(['--graph']);
    const m = r.report.checks.find((c) => c.id === 'entra.method')!;
    expect(m.status).toBe('skip');
    expect(m.summary).toContain('the live Graph lookup is not configured');
  });

  it('refuses --correlation-id without --graph, and a correlation ID that is not a GUID', async () => {
    const r1 = spawnSyncCode(['--correlation-id', CORR]);
    const r2 = spawnSyncCode(['--graph', '--correlation-id', "x' or 1 eq 1"]);
    expect(r1).toBe(2);
    expect(r2).toBe(2);
  });
});

function spawnSyncCode(args: string[]): number | null {
  return spawnSync(process.execPath, [BIN, 'diagnose', ...args, '--offline'], { encoding: 'utf8' }).status;
}
