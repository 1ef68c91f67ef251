// The live Graph lookup in the whole pipeline: the same verdicts as pasting the same JSON, the source shown,
// and nothing of the user's groups or other attributes in the stored report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { makeEntraCollector } from '@/lib/entra/collect';
import { makeGraphReader } from '@/lib/graph/collect';
import type { DiagnosisInput } from '@/lib/report/artifacts';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { Report } from '@/lib/report/schema';
import { makePki, type Pki } from '@/test/pki/gen';
import { groupsGraph, json, methodGraph, pkiStoreGraph, signInsGraph, userGraph } from '@/test/entra/fixtures';
import { CLIENT, SECRET, TENANT, graphStandIn, type GraphStandIn } from './standin';

const UPN = 'alice@contoso.com';
const CORR = 'd79f5bee-5860-4832-928f-3133e22ae912';
const USER_GROUP = '5a0c1e2d-3b4f-4a6e-8d7c-9b0a1f2e3d4c';
const OTHER_ID = 'X509:<PN>private-alias@contoso.com';
let g: GraphStandIn;
let pki: Pki;
let objects: Record<string, unknown>;
beforeAll(async () => {
  [g, pki] = await Promise.all([graphStandIn(), makePki()]);
  objects = {
    method: methodGraph({ defaultAffinity: 'high', bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }] }),
    user: userGraph({ upn: UPN, ids: [OTHER_ID, `X509:<SKI>${pki.user.ski}`] }),
    groups: groupsGraph([USER_GROUP]),
    store: pkiStoreGraph([{ cert: pki.root, root: true, crl: 'http://pki.contoso.com/crl/contoso-root.crl' }, { cert: pki.ca, root: false, crl: 'http://pki.contoso.com/crl/contoso-issuing.crl' }]),
    // Revoked: no CRL is available to this run (CDP downloads are off), so no other check can reproduce it.
    signIns: signInsGraph([{ code: 500171, correlationId: CORR }]),
  };
  g.answer('/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate', () => [200, objects.method]);
  g.answer(`/v1.0/users/${UPN}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo`, () => [200, objects.user]);
  g.answer(`/v1.0/users/${UPN}/transitiveMemberOf?$select=id`, () => [200, objects.groups]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$select=id', () => [200, { value: [{ id: 'Contoso PKI' }] }]);
  g.answer('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/Contoso PKI/certificateAuthorities', () => [200, objects.store]);
  g.answer('/v1.0/organization?$select=id', () => [200, { value: [] }]);
  g.answer(`/v1.0/auditLogs/signIns?$filter=correlationId eq '${CORR}'`, () => [200, objects.signIns]);
});
afterAll(() => g?.close());

const ENV = () => ({ CBA_DOCTOR_GRAPH_TENANT_ID: TENANT, CBA_DOCTOR_GRAPH_CLIENT_ID: CLIENT, CBA_DOCTOR_GRAPH_CLIENT_SECRET: SECRET, CBA_DOCTOR_GRAPH_AUTHORITY: g.authority, CBA_DOCTOR_GRAPH_URL: g.graphUrl });
const IDS = ['entra.', 'signin.', 'cert.user-ids'];

function run(o: { pastes?: string[]; live: boolean }): Promise<Report> {
  const input: DiagnosisInput = {
    upn: UPN,
    files: [pki.user, pki.ca, pki.root].map((c, i) => ({ name: `c${i}.cer`, bytes: c.der })),
    crlFiles: [],
    pasted: (o.pastes ?? []).map((text) => ({ text })),
    ...(o.live ? { graph: { correlationId: CORR } } : {}),
  };
  // Network on for the stand-in only: realm discovery, AIA and certificate CDP downloads provide nothing here.
  const collectors = ALL_COLLECTORS.map((c) =>
    c.name === 'Entra tenant'
      ? makeEntraCollector({}, makeGraphReader({ env: ENV(), fetch: { ca: g.id.tlsRoot.pem } }))
      : c.provides.some((k) => ['realm', 'aiaCerts', 'crlDownloads'].includes(k) || k.startsWith('adfs'))
        ? { ...c, run: async () => ({}) }
        : c,
  );
  return runDiagnosis(input, { now: new Date(), offline: false, allowPrivate: true, timeoutMs: 5000 }, { checks: ALL_CHECKS.filter((c) => IDS.some((p) => c.id.startsWith(p))), collectors });
}

describe('live Graph lookup in the pipeline', () => {
  let live: Report;
  let pasted: Report;
  beforeAll(async () => {
    live = await run({ live: true });
    pasted = await run({ live: false, pastes: Object.values(objects).map(json) });
  });

  it('gives the same tenant verdicts as pasting the same JSON', () => {
    const verdicts = (r: Report) => r.checks.filter((c) => /^(entra|signin)\./.test(c.id)).map((c) => [c.id, c.status]);
    expect(verdicts(live)).toEqual(verdicts(pasted));
    expect(verdicts(live)).toContainEqual(['entra.user-binding', 'pass']);
    expect(live.target).toBe('entra');
  });

  it('says the data was read live, and shows the sign-in the other checks do not reproduce', () => {
    const binding = live.checks.find((c) => c.id === 'entra.user-binding')!;
    expect(binding.summary).toMatch(/read live from Microsoft Graph at \d{4}-\d\d-\d\dT/);
    const signin = live.checks.find((c) => c.id === 'signin.error')!;
    expect(signin.status).toBe('fail');
    expect(signin.summary).toContain(`correlation ID ${CORR}`);
    expect(signin.summary).toContain('No other check of this report reproduces this failure');
    expect((signin.evidence as { entries: { source: string }[] }).entries[0].source).toBe('graph');
  });

  it('stores no group id and none of the user\'s other certificateUserIds values', () => {
    const stored = JSON.stringify(live);
    expect(stored).not.toContain(USER_GROUP);
    expect(stored).not.toContain(OTHER_ID);
    // The pasted report keeps what was pasted (the admin chose to give it).
    expect(JSON.stringify(pasted)).toContain(OTHER_ID);
  });

  it('a paste wins over the live read of the same object, and the report says which was used', async () => {
    const r = await run({ live: true, pastes: [json(methodGraph({ state: 'disabled' }))] });
    const m = r.checks.find((c) => c.id === 'entra.method')!;
    expect(m.status).toBe('fail');
    expect(m.evidence).toMatchObject({ source: 'paste' });
  });
});
