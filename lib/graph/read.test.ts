import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makePki, type Pki } from '@/test/pki/gen';
import { certificateCredential } from './config';
import { groupsGraph, methodGraph, pkiStoreGraph, signInsGraph, userGraph } from '@/test/entra/fixtures';
import { CLIENT, SECRET, TENANT, graphStandIn, type GraphStandIn } from '@/test/graph/standin';
import { parsePaste } from '@/lib/paste/detect';
import type { GraphSettings } from './config';
import { readTenant } from './read';

let g: GraphStandIn;
let pki: Pki;
const UPN = 'alice@contoso.com';
const CORR = 'd79f5bee-5860-4832-928f-3133e22ae912';
beforeAll(async () => {
  [g, pki] = await Promise.all([graphStandIn(), makePki()]);
});
afterAll(() => g?.close());

const settings = (secret = SECRET): GraphSettings => ({ tenantId: TENANT, clientId: CLIENT, credential: { kind: 'secret', secret }, authority: g.authority, graphUrl: g.graphUrl, forAnonymous: false });
const net = () => ({ allowPrivate: true, timeoutMs: 3000, fetch: { ca: g.id.tlsRoot.pem } });
const read = (s = settings(), deadlineMs = 8000) => readTenant(s, { upn: UPN, correlationId: CORR, net: net(), deadline: Date.now() + deadlineMs });

const PATHS = {
  method: '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
  user: `/v1.0/users/${UPN}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo`,
  groups: `/v1.0/users/${UPN}/transitiveMemberOf?$select=id`,
  pkis: '/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$select=id',
  pki: '/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/Contoso PKI/certificateAuthorities',
  org: '/v1.0/organization?$select=id',
  signIns: `/v1.0/auditLogs/signIns?$filter=correlationId eq '${CORR}'`,
};

function healthyTenant() {
  g.answer(PATHS.method, () => [200, methodGraph({ bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }] })]);
  g.answer(PATHS.user, () => [200, userGraph({ upn: UPN, ids: [`X509:<SKI>${pki.user.ski}`] })]);
  g.answer(PATHS.groups, () => [200, groupsGraph(['f2a6c9c4-2c1b-4d7a-9a5e-1d3f0b6e7a11'])]);
  g.answer(PATHS.pkis, () => [200, { value: [{ id: 'Contoso PKI' }] }]);
  g.answer(PATHS.pki, () => [200, pkiStoreGraph([{ cert: pki.root, root: true, crl: 'http://pki.contoso.com/crl/contoso-root.crl' }, { cert: pki.ca, root: false, crl: 'http://pki.contoso.com/crl/contoso-issuing.crl' }])]);
  g.answer(PATHS.org, () => [200, { value: [] }]);
  g.answer(PATHS.signIns, () => [200, signInsGraph([{ code: 2205015, correlationId: CORR }])]);
}

describe('live tenant read through Microsoft Graph (loopback stand-in, real MSAL client)', () => {
  it('reads the same model a paste of the same JSON gives, marked as a live read', async () => {
    healthyTenant();
    const r = await read();
    expect(r.tokenError).toBeUndefined();
    expect(r.calls.filter((c) => c.problem)).toEqual([]);
    const t = r.tenant!;
    expect(t.source).toBe('graph');
    const pasted = parsePaste(JSON.stringify(methodGraph({ bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }] }))).blocks[0].data;
    expect({ ...t.method, source: 'paste' }).toEqual(pasted);
    expect(t.user?.certificateUserIds).toEqual([`X509:<SKI>${pki.user.ski}`]);
    expect(t.pkiStore?.map((c) => [c.subject, c.root, c.crlUrl])).toEqual([
      [pki.root.cert.subject.display, true, 'http://pki.contoso.com/crl/contoso-root.crl'],
      [pki.ca.cert.subject.display, false, 'http://pki.contoso.com/crl/contoso-issuing.crl'],
    ]);
    expect(t.signIns.map((e) => [e.errorCode, e.correlationId])).toEqual([[2205015, CORR]]);
    // MSAL keeps the token until it expires: a second read asks the token endpoint nothing.
    const tokens = g.tokens;
    await read();
    expect(g.tokens).toBe(tokens);
  });

  it('gets its token with a certificate credential (PEM with certificate and key), the preferred way', async () => {
    healthyTenant();
    const app = await makeCert({ subject: 'CN=CBA Doctor Graph reader', key: 'rsa2048' });
    g.appCertificate = app.pem;
    const pem = `${app.pem}\n${app.key.privateKey.export({ type: 'pkcs8', format: 'pem' })}`;
    const s: GraphSettings = { ...settings(), credential: certificateCredential(pem) };
    const r = await read(s);
    expect(r.tokenError).toBeUndefined();
    expect(r.tenant?.method?.state).toBe('enabled');
    // A certificate the app registration does not hold is refused by the token endpoint.
    const other = await makeCert({ subject: 'CN=CBA Doctor Graph reader', key: 'rsa2048' });
    const bad = await read({ ...settings(), credential: certificateCredential(`${other.pem}\n${other.key.privateKey.export({ type: 'pkcs8', format: 'pem' })}`) });
    expect(bad.tokenError).toContain('invalid_client');
  });

  it('reports a wrong secret as a token error, reading nothing', async () => {
    const r = await read(settings('wrong-secret'));
    expect(r.tenant).toBeNull();
    expect(r.tokenError).toContain('invalid_client');
  });

  it('names the missing permission on a 403, and says when the user is not found', async () => {
    healthyTenant();
    g.answer(PATHS.signIns, () => [403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }]);
    g.answer(PATHS.user, () => [404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${UPN}' does not exist.` } }]);
    const r = await read();
    const signIn = r.calls.find((c) => c.what === 'sign-in log')!;
    expect(signIn.status).toBe(403);
    expect(signIn.graphCode).toBe('Authorization_RequestDenied');
    expect(signIn.problem).toContain('AuditLog.Read.All');
    expect(r.userNotFound).toBe(true);
    expect(r.tenant?.user).toBeNull();
  });

  it('honours Retry-After once on a 429, then reads', async () => {
    healthyTenant();
    let n = 0;
    g.answer(PATHS.method, () => (n++ === 0 ? [429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '1' }] : [200, methodGraph()]));
    const r = await read();
    const call = r.calls.find((c) => c.what === 'method')!;
    expect(call.retriedAfterMs).toBe(1000);
    expect(call.status).toBe(200);
    expect(r.tenant?.method?.state).toBe('enabled');
    expect(n).toBe(2);
  });

  it('records a Graph that does not answer within the probe limit as a timeout, and reads the rest', async () => {
    healthyTenant();
    g.answer(PATHS.groups, () => 'hang');
    const r = await readTenant(settings(), { upn: UPN, net: { ...net(), timeoutMs: 800 }, deadline: Date.now() + 5000 });
    expect(r.calls.find((c) => c.what === 'groups')!.problem).toContain('Graph did not answer in time');
    expect(r.tenant?.groups).toBeNull();
    expect(r.tenant?.method?.state).toBe('enabled');
  });

  it('gives up on a Retry-After past the deadline, as evidence', async () => {
    healthyTenant();
    g.answer(PATHS.method, () => [429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '30' }]);
    const r = await read(settings(), 4000);
    expect(r.calls.find((c) => c.what === 'method')!.problem).toContain('goes past the diagnosis time limit');
    expect(r.tenant?.method).toBeNull();
  });
});
