import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { groupsGraph, groupsPowerShell, json, methodGraph, methodPowerShell, psJson, type MethodSpec } from '@/test/entra/fixtures';

const ID = 'entra.method';
const CBA_USERS = 'f2a6c9c4-2c1b-4d7a-9a5e-1d3f0b6e7a11';
const CONTRACTORS = '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const shapes = [
  ['Graph JSON', (m: MethodSpec, groups?: string[]) => [json(methodGraph(m)), ...(groups ? [json(groupsGraph(groups))] : [])]],
  ['PowerShell ConvertTo-Json', (m: MethodSpec, groups?: string[]) => [psJson(methodPowerShell(m)), ...(groups ? [psJson(groupsPowerShell(groups))] : [])]],
] as const;

const judge = async (pastes: string[]) => check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes, upn: 'alice@contoso.com', ids: [ID] }), ID);

describe.each(shapes)('entra.method from %s', (_s, paste) => {
  it('passes an enabled method that targets all users', async () => {
    const r = await judge(paste({}));
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('all users');
  });

  it('fails a disabled method (AADSTS130501) and gives the command that enables it', async () => {
    const r = await judge(paste({ state: 'disabled' }));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('is disabled');
    expect(r.remediation[0].command).toContain("state = 'enabled'");
  });

  it('fails a user who is in an excluded group, naming the group', async () => {
    const r = await judge(paste({ exclude: [CONTRACTORS] }, [CBA_USERS, CONTRACTORS]));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`excluded group ${CONTRACTORS}`);
    expect(r.remediation[0].command).toContain(`Remove-MgGroupMemberByRef -GroupId '${CONTRACTORS}'`);
  });

  it('passes group targeting when the user is in the group, and fails when not', async () => {
    expect((await judge(paste({ include: [CBA_USERS] }, [CBA_USERS]))).status).toBe('pass');
    const r = await judge(paste({ include: [CBA_USERS] }, [CONTRACTORS]));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`targets only the groups ${CBA_USERS}`);
  });

  it('warns when group targeting cannot be told without the groups, naming what to paste', async () => {
    const r = await judge(paste({ include: [CBA_USERS] }));
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('https://graph.microsoft.com/v1.0/users/alice%40contoso.com/transitiveMemberOf?$select=id');
  });

  it('fails when a CA scope on the issuing CA excludes the user', async () => {
    const r = await judge(paste({ scopes: [{ ski: pki.ca.ski.toUpperCase(), groups: [CBA_USERS] }] }, [CONTRACTORS]));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`A CA scope limits certificates from the issuing CA (SKI ${pki.ca.ski})`);
    expect((r.evidence as { caScope: { allowed: boolean } }).caScope.allowed).toBe(false);
  });

  it('ignores a CA scope on another CA', async () => {
    const r = await judge(paste({ scopes: [{ ski: pki.root.ski, groups: [CBA_USERS] }] }, [CONTRACTORS]));
    expect(r.status).toBe('pass');
  });
});

describe('entra.method skip', () => {
  it('names the request and the command to paste', async () => {
    const r = await judge([]);
    expect(r.status).toBe('skip');
    expect(r.summary).toContain('GET https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate');
    expect(r.summary).toContain('ConvertTo-Json -Depth 10');
  });
});
