import { describe, expect, it } from 'vitest';
import { crlf, sample } from '@/test/paste/variants';
import { ISSUER_CLAIM, SERIAL_CLAIM, configClaimRules } from './config.claim-rules';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (...pastes: string[]) => runCheck(configClaimRules, pasteArtifacts(pastes));
const [cpPart, rpPart] = (() => {
  const t = sample('claim-rules.healthy.txt');
  const i = t.indexOf('PS C:\\> (Get-AdfsRelyingPartyTrust');
  return [t.slice(0, i), t.slice(i)];
})();

describe('config.claim-rules', () => {
  it('passes when both trusts pass both claims through, naming the lines', async () => {
    const o = await run(sample('claim-rules.healthy.txt'));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('serialnumber on the Active Directory claims provider trust (line 37)');
    expect(o.summary).toContain('issuer on the Office 365 relying party trust (line 97)');
    expect(o.evidence).toMatchObject({
      required: [
        { trust: 'claims-provider', claim: SERIAL_CLAIM, status: 'pass', line: 37 },
        { trust: 'claims-provider', claim: ISSUER_CLAIM, status: 'pass', line: 42 },
        { trust: 'relying-party', claim: SERIAL_CLAIM, status: 'pass', line: 93 },
        { trust: 'relying-party', claim: ISSUER_CLAIM, status: 'pass', line: 97 },
      ],
    });
  });

  it('warns when the relying party does not pass the issuer through, with the rule to add', async () => {
    const o = await run(sample('claim-rules.broken.txt'));
    expect(o.status).toBe('warn');
    expect(o.summary).toMatch(/^Missing pass-through rule: issuer \(http:\/\/schemas\.microsoft\.com\/2012\/12\/certificatecontext\/field\/issuer\) on the Office 365 relying party trust\./);
    expect(o.remediation).toHaveLength(1);
    const cmd = o.remediation![0].command!;
    expect(cmd).toContain(`c:[Type == "${ISSUER_CLAIM}"]\n => issue(claim = c);`);
    expect(cmd).not.toContain(SERIAL_CLAIM);
    expect(cmd).toContain(`Set-AdfsRelyingPartyTrust -TargetName 'Microsoft Office 365 Identity Platform' -IssuanceTransformRules ($trust.IssuanceTransformRules + "\`n" + $rules)`);
  });

  it('warns on the claims provider trust and names it', async () => {
    const noSerial = cpPart.replace('@RuleName = "Pass through certificate serial number"\nc:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/serialnumber"]\n => issue(claim = c);', '');
    const o = await run(noSerial + rpPart);
    expect(o.status).toBe('warn');
    expect(o.summary).toContain('serialnumber');
    expect(o.remediation![0].command).toContain("Set-AdfsClaimsProviderTrust -TargetName 'Active Directory' -AcceptanceTransformRules");
  });

  it('does not count a rule that issues something else for the same claim type', async () => {
    const changed = sample('claim-rules.healthy.txt').replace(
      `c:[Type == "${ISSUER_CLAIM}"]\n => issue(claim = c);\n\n\nPS C:\\>`,
      `c:[Type == "${ISSUER_CLAIM}"]\n => issue(Type = "http://example.com/other", Value = c.Value);\n\n\nPS C:\\>`,
    );
    expect(changed).not.toBe(sample('claim-rules.healthy.txt'));
    expect((await run(changed)).status).toBe('warn');
  });

  it('reports info when only one trust was pasted', async () => {
    const o = await run(rpPart);
    expect(o.status).toBe('info');
    expect(o.summary).toContain('Active Directory claims provider trust were not pasted');
  });

  it('judges rules pasted without command lines, in two boxes or with CRLF', async () => {
    const bare = (t: string) => t.split('\n').filter((l) => !l.startsWith('PS C:')).join('\n');
    expect((await run(bare(sample('claim-rules.healthy.txt')))).status).toBe('pass');
    expect((await run(crlf(bare(sample('claim-rules.broken.txt'))))).status).toBe('warn');
    expect((await run(cpPart, rpPart)).status).toBe('pass');
  });

  it('names the file of every line it quotes', async () => {
    const o = await runCheck(configClaimRules, pasteArtifacts([{ name: 'rules.txt', text: sample('claim-rules.healthy.txt') }]));
    expect(o.summary).toContain('serialnumber on the Active Directory claims provider trust (rules.txt line 37)');
    expect(o.summary).toContain('issuer on the Office 365 relying party trust (rules.txt line 97)');
    expect((o.evidence as { required: unknown[] }).required[0]).toMatchObject({ source: 'rules.txt', line: 37 });
  });
});
