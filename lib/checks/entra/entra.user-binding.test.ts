import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert, makePki, type GenCert, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { json, methodGraph, methodPowerShell, psJson, userGraph, userPowerShell, type MethodSpec, type UserSpec } from '@/test/entra/fixtures';

const ID = 'entra.user-binding';
type Ev = { matched: { field: string; userProperty: string; affinity: string; value: string } | null; droppedMatch: { field: string } | null; steps: { field: string; outcome: string; note?: string }[]; requiredAffinity: string };

let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ upn: 'alice@contoso.com', user: { san: [{ type: 'upn', value: 'alice@contoso.com' }, { type: 'rfc822', value: 'alice.smith@contoso.com' }] } });
});

const shapes = [
  ['Graph JSON', (m: MethodSpec, u: UserSpec) => [json(methodGraph(m)), json(userGraph(u))]],
  ['PowerShell ConvertTo-Json', (m: MethodSpec, u: UserSpec) => [psJson(methodPowerShell(m)), psJson(userPowerShell(u))]],
] as const;

async function judge(pastes: string[], user: GenCert = pki.user) {
  const r = await diagnoseEntra({ certs: [user, pki.ca, pki.root], pastes, ids: [ID] });
  return check(r, ID);
}

describe.each(shapes)('entra.user-binding from %s', (_shape, paste) => {
  it('PrincipalName → userPrincipalName matches, and warns that the binding is low affinity', async () => {
    const r = await judge(paste({ bindings: [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1 }] }, { upn: 'alice@contoso.com' }));
    expect(r.status).toBe('warn');
    const ev = r.evidence as Ev;
    expect(ev.matched).toMatchObject({ field: 'PrincipalName', userProperty: 'userPrincipalName', affinity: 'low', value: 'alice@contoso.com' });
    expect(r.summary).toMatch(/PrincipalName → userPrincipalName \(priority 1, low affinity\) matches/);
  });

  it('passes a PrincipalName binding the policy marks high affinity', async () => {
    const r = await judge(paste({ bindings: [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1, affinity: 'high' }] }, { upn: 'ALICE@contoso.com' }));
    expect(r.status).toBe('pass');
    expect((r.evidence as Ev).matched?.affinity).toBe('high');
  });

  it('RFC822Name → userPrincipalName matches the RFC822 SAN when the PrincipalName binding does not', async () => {
    const r = await judge(
      paste(
        {
          bindings: [
            { field: 'PrincipalName', property: 'onPremisesUserPrincipalName', priority: 1 },
            { field: 'RFC822Name', property: 'userPrincipalName', priority: 2 },
          ],
        },
        { upn: 'alice.smith@contoso.com', onPrem: null },
      ),
    );
    const ev = r.evidence as Ev;
    expect(ev.matched).toMatchObject({ field: 'RFC822Name', value: 'alice.smith@contoso.com' });
    expect(ev.steps[0].outcome).toBe('no-match');
    // The first binding's value (alice@contoso.com) is not this user's: another account may hold it.
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('gives alice@contoso.com');
  });

  it('SubjectKeyIdentifier → certificateUserIds passes with high affinity', async () => {
    const ski = `X509:<SKI>${pki.user.ski}`;
    const r = await judge(paste({ bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }], defaultAffinity: 'high' }, { upn: 'someone.else@contoso.com', ids: ['X509:<PN>old@contoso.com', ski] }));
    expect(r.status).toBe('pass');
    expect((r.evidence as Ev).matched).toMatchObject({ field: 'SubjectKeyIdentifier', affinity: 'high', value: ski });
  });

  it('fails when high affinity is required and only the low-affinity PrincipalName binding matches', async () => {
    const r = await judge(
      paste(
        {
          defaultAffinity: 'high',
          bindings: [
            { field: 'PrincipalName', property: 'userPrincipalName', priority: 1 },
            { field: 'SHA1PublicKey', property: 'certificateUserIds', priority: 2 },
          ],
        },
        { upn: 'alice@contoso.com', ids: [] },
      ),
    );
    expect(r.status).toBe('fail');
    const ev = r.evidence as Ev;
    expect(ev.requiredAffinity).toBe('high');
    expect(ev.droppedMatch?.field).toBe('PrincipalName');
    expect(ev.steps.map((s) => s.outcome)).toEqual(['dropped-low-affinity', 'no-match']);
    expect(r.summary).toContain('AADSTS1001003');
    // The fix writes the value of the policy's own high-affinity binding (SHA1 public key) into certificateUserIds, quoted.
    const cmd = r.remediation.map((x) => x.command ?? '').join('\n');
    expect(cmd).toContain(`'X509:<SHA1-PUKEY>${createHash('sha1').update(pki.user.der).digest('hex')}'`);
    expect(cmd).toContain("Get-MgUser -UserId 'alice@contoso.com'");
  });

  it('fails when no binding maps the certificate, naming the value that differs', async () => {
    const r = await judge(paste({ bindings: [{ field: 'PrincipalName', property: 'userPrincipalName', priority: 1 }] }, { upn: 'bob@contoso.com' }));
    expect(r.status).toBe('fail');
    expect(r.summary).toContain("PrincipalName alice@contoso.com, not this user's userPrincipalName (bob@contoso.com)");
    expect(r.summary).toContain('AADSTS50034');
  });
});

describe('entra.user-binding with IssuerAndSerialNumber', () => {
  // Microsoft's certificateUserIds example: serial 48efa06ba8127299499b069f133441b2 is stored byte-reversed.
  let user: GenCert;
  let issuing: GenCert;
  beforeAll(async () => {
    issuing = await makeCert({ subject: 'CN=CONTOSO-DC-CA, DC=contoso, DC=com', issuer: pki.root, key: pki.ca.key, basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'] });
    user = await makeCert({ subject: 'CN=mfatest, OU=UserAccounts, DC=contoso, DC=com', issuer: issuing, serial: '48efa06ba8127299499b069f133441b2', san: [{ type: 'upn', value: 'mfatest@contoso.com' }] });
  });
  const policy: MethodSpec = { defaultAffinity: 'high', bindings: [{ field: 'IssuerAndSerialNumber', property: 'certificateUserIds', priority: 1 }] };
  const run = async (ids: string[]) => check(await diagnoseEntra({ certs: [user, issuing, pki.root], pastes: [json(methodGraph(policy)), json(userGraph({ upn: 'mfatest@contoso.com', ids }))], ids: [ID] }), ID);

  it('matches the value with the issuer in reverse order and the serial bytes reversed', async () => {
    const r = await run(['X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>b24134139f069b49997212a86ba0ef48']);
    expect(r.status).toBe('pass');
    expect((r.evidence as Ev).matched?.field).toBe('IssuerAndSerialNumber');
  });

  it('fails the serial written in certutil order, and says which order Entra expects', async () => {
    const r = await run(['X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>48efa06ba8127299499b069f133441b2']);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('the serial number in the order certutil prints it; Entra expects the bytes reversed: X509:<I>DC=com,DC=contoso,CN=CONTOSO-DC-CA<SR>b24134139f069b49997212a86ba0ef48');
  });

  it('does not accept a prefix in another case', async () => {
    const thumb = createHash('sha1').update(user.der).digest('hex');
    const r = check(
      await diagnoseEntra({
        certs: [user, issuing, pki.root],
        pastes: [json(methodGraph({ bindings: [{ field: 'SHA1PublicKey', property: 'certificateUserIds', priority: 1 }] })), json(userGraph({ upn: 'mfatest@contoso.com', ids: [`x509:<sha1-pukey>${thumb}`] }))],
        ids: [ID],
      }),
      ID,
    );
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('the prefix must be written exactly X509:<SHA1-PUKEY>');
  });
});

describe('entra.user-binding skips', () => {
  it('names the Graph request and the PowerShell command for the missing user', async () => {
    const r = check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], upn: 'alice@contoso.com', pastes: [json(methodGraph())], ids: [ID] }), ID);
    expect(r.status).toBe('skip');
    expect(r.summary).toContain('https://graph.microsoft.com/v1.0/users/alice%40contoso.com?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo');
    expect(r.summary).toContain("Get-MgUser -UserId 'alice@contoso.com'");
  });
});
