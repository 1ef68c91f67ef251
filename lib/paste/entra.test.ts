import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePaste, parsePastes } from './detect';
import { errorPage, groupsGraph, groupsPowerShell, json, methodGraph, methodPowerShell, psJson, signInsGraph, signInsPowerShell, userGraph, userPowerShell } from '@/test/entra/fixtures';

const kinds = (text: string) => parsePaste(text).blocks.map((b) => b.kind);

describe('Entra tenant pastes', () => {
  it('recognises each Graph object by shape, in Graph JSON and in ConvertTo-Json form', () => {
    expect(kinds(json(methodGraph()))).toEqual(['entra-method']);
    expect(kinds(psJson(methodPowerShell()))).toEqual(['entra-method']);
    expect(kinds(json(userGraph({ upn: 'alice@contoso.com', ids: ['X509:<PN>alice@contoso.com'] })))).toEqual(['entra-user']);
    expect(kinds(psJson(userPowerShell({ upn: 'alice@contoso.com' })))).toEqual(['entra-user']);
    expect(kinds(json(groupsGraph(['f2a6c9c4-2c1b-4d7a-9a5e-1d3f0b6e7a11'])))).toEqual(['entra-groups']);
    expect(kinds(psJson(groupsPowerShell(['f2a6c9c4-2c1b-4d7a-9a5e-1d3f0b6e7a11', '0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b'])))).toEqual(['entra-groups']);
    expect(kinds(json(signInsGraph([{ code: 500171 }])))).toEqual(['signin-log']);
    expect(kinds(psJson(signInsPowerShell([{ code: 500171 }])))).toEqual(['signin-log']);
    expect(kinds(errorPage(1001003, 'Username binding found no user.'))).toEqual(['signin-error-page']);
  });

  it('reads several outputs in one console paste, after their prompt lines, with CRLF line ends', () => {
    const t = [
      "PS C:\\> Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId 'X509Certificate' | ConvertTo-Json -Depth 10",
      psJson(methodPowerShell()),
      "PS C:\\> Get-MgUser -UserId 'alice@contoso.com' -Property Id,AuthorizationInfo | ConvertTo-Json -Depth 10",
      psJson(userPowerShell({ upn: 'alice@contoso.com' })),
      'PS C:\\> ',
    ].join('\r\n');
    const r = parsePaste(t);
    expect(r.blocks.map((b) => b.kind)).toEqual(['entra-method', 'entra-user']);
    expect(r.blocks[1].command).toContain('Get-MgUser');
    expect(r.unknown).toEqual([]);
  });

  it('normalises both shapes of the method configuration to the same model', () => {
    const spec = { include: ['g1'], exclude: ['g2'], bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 2 }, { field: 'PrincipalName', property: 'userPrincipalName', priority: 1, affinity: 'high' as const }], crlRequired: true, exempted: ['AB:CD'], hints: 'enabled' as const };
    const g = parsePaste(json(methodGraph(spec))).blocks[0].data as unknown as Record<string, unknown>;
    const p = parsePaste(psJson(methodPowerShell(spec))).blocks[0].data as unknown as Record<string, unknown>;
    expect({ ...p, shape: 'graph' }).toEqual(g);
    expect(p.shape).toBe('powershell');
    expect(g).toMatchObject({
      source: 'paste',
      state: 'enabled',
      includeTargets: [{ id: 'g1', targetType: 'group' }],
      excludeTargets: [{ id: 'g2', targetType: 'group' }],
      bindings: [
        { field: 'PrincipalName', priority: 1, affinity: 'high', affinityFrom: 'policy' },
        { field: 'SubjectKeyIdentifier', priority: 2, affinity: 'high', affinityFrom: 'field' },
      ],
      crlValidation: { state: 'enabled', exemptedSkis: ['abcd'] },
      issuerHints: { state: 'enabled' },
    });
  });

  it('reads the inline form of the error details (error_description)', () => {
    const text = "AADSTS500173: Unable to download CRL. Trace ID: 255d1aef-8c98-452f-ac51-23d051240864 Correlation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7 Timestamp: 2026-01-09 02:02:12Z";
    const r = parsePaste(text);
    expect(r.blocks.map((b) => b.kind)).toEqual(['signin-error-page']);
    const e = (r.blocks[0].data as { entries: { errorCode: number; correlationId: string; timestamp: string }[] }).entries[0];
    expect(e).toMatchObject({ errorCode: 500173, correlationId: 'fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7', timestamp: '2026-01-09 02:02:12Z' });
  });

  it('reports JSON of an unknown shape as not recognised, naming what it reads', () => {
    const r = parsePaste(json({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#devices', value: [{ deviceId: 'x', displayName: 'PC-01', operatingSystem: 'Windows' }] }));
    expect(r.blocks).toEqual([]);
    expect(r.unknown).toHaveLength(1);
    expect(r.unknown[0].reason).toContain('x509Certificate method configuration');
  });

  it('never throws on random or hostile JSON, and reads it as a known kind or reports it unread', () => {
    const hostile = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.record({ '@odata.type': fc.constantFrom('#microsoft.graph.x509CertificateAuthenticationMethodConfiguration', '#microsoft.graph.user', '#microsoft.graph.group'), certificateUserBindings: fc.jsonValue(), authenticationModeConfiguration: fc.jsonValue(), state: fc.jsonValue(), userPrincipalName: fc.jsonValue(), authorizationInfo: fc.jsonValue(), AdditionalProperties: fc.jsonValue() }),
      fc.record({ correlationId: fc.jsonValue(), status: fc.jsonValue(), createdDateTime: fc.jsonValue(), value: fc.array(fc.jsonValue(), { maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(hostile, (v) => {
        const text = JSON.stringify(v, null, 2);
        const r = parsePastes([{ text }]);
        // Every non-blank paste is accounted for: read into blocks, reported unread, or (blank) empty.
        expect(r.blocks.length + r.unknown.length + r.empty.length).toBeGreaterThan(0);
        // parsePastes turns a crash into this generic reason: it must never be needed.
        expect(r.unknown.map((u) => u.reason)).not.toContain('This text could not be read.');
        for (const b of r.blocks) expect(b.kind).toMatch(/^(entra-|signin-|trusted-ca|mg-federation|netsh|certutil|claim|verifystore|adfs|msol)/);
      }),
      { numRuns: 400 },
    );
  });
});
