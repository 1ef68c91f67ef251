import { describe, expect, it } from 'vitest';
import { sample, withPrompt, wrapFormatList } from '@/test/paste/variants';
import { configPromptLogin } from './config.prompt-login';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (pastes: string[], input = {}) => runCheck(configPromptLogin, pasteArtifacts(pastes, { input }));
const fed = (props: [string, string][]) => wrapFormatList([props.map(([name, value]) => ({ name, value }))], 120);

describe('config.prompt-login', () => {
  it('passes the healthy MSOnline and Graph outputs, quoting the line', async () => {
    const msol = await run([sample('msol-federation.healthy.txt')]);
    expect(msol.status).toBe('pass');
    expect(msol.summary).toContain('line 14: "PromptLoginBehavior : Disabled"');
    const mg = await run([sample('mg-federation.healthy.txt')]);
    expect(mg.status).toBe('pass');
    expect(mg.evidence).toMatchObject({ outputs: [{ kind: 'mg-federation', promptLoginBehavior: { value: 'disabled', line: 11 }, status: 'pass' }] });
  });

  it('fails TranslateToFreshPasswordAuth and gives the MSOnline and Graph commands', async () => {
    const o = await run([sample('msol-federation.broken.txt')], { domain: 'contoso.com' });
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('line 14: "PromptLoginBehavior : TranslateToFreshPasswordAuth"');
    expect(o.evidence).toMatchObject({ outputs: [{ kind: 'msol-federation', promptLoginBehavior: { value: 'TranslateToFreshPasswordAuth', line: 14 }, status: 'fail' }] });
    const cmds = o.remediation!.map((r) => r.command).join('\n');
    expect(cmds).toContain('Set-MsolDomainFederationSettings -DomainName contoso.com -PreferredAuthenticationProtocol WsFed -SupportsMfa $false -PromptLoginBehavior Disabled');
    expect(cmds).toContain('Update-MgDomainFederationConfiguration -DomainId contoso.com -InternalDomainFederationId $fed.Id -PromptLoginBehavior "disabled"');
  });

  it("fails Graph's translateToFreshPasswordAuthentication with a command that needs no lookup", async () => {
    const o = await run([sample('mg-federation.broken.txt')]);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('translateToFreshPasswordAuthentication');
    // No domain typed: the domain comes from the IssuerUri, the federation id from the output.
    expect(o.remediation![0].command).toBe("Update-MgDomainFederationConfiguration -DomainId contoso.com -InternalDomainFederationId '8c2f4e71-5b0a-4d3e-9f16-2a7c9e04b5d3' -PromptLoginBehavior \"disabled\"");
  });

  it.each([
    ['NativeSupport', 'pass'],
    ['nativeSupport', 'pass'],
    ['DISABLED', 'pass'],
    ['True', 'fail'],
    ['translatetofreshpasswordauth', 'fail'],
    ['', 'fail'],
    ['Sometimes', 'warn'],
  ])('judges PromptLoginBehavior "%s" as %s', async (value, status) => {
    const o = await run([fed([['ActiveLogOnUri', 'https://sts.contoso.com/adfs/services/trust/2005/usernamemixed'], ['FederationBrandName', 'Contoso'], ['PromptLoginBehavior', value], ['SupportsMfa', 'False']])]);
    expect(o.status).toBe(status);
  });

  it('fails when the setting is absent (the default translates prompt=login)', async () => {
    const without = sample('msol-federation.healthy.txt').replace(/^PromptLoginBehavior.*\n/m, '');
    const o = await run([without]);
    expect(o.status).toBe('fail');
    expect(o.evidence).toMatchObject({ outputs: [{ promptLoginBehavior: null }] });
  });

  it('judges every pasted output and reports the worst', async () => {
    const o = await run([withPrompt(sample('msol-federation.healthy.txt'), 'Get-MsolDomainFederationSettings'), sample('mg-federation.broken.txt')]);
    expect(o.status).toBe('fail');
    expect((o.evidence as { outputs: { status: string }[] }).outputs.map((x) => x.status)).toEqual(['pass', 'fail']);
    expect(o.summary).toMatch(/^PromptLoginBehavior is Disabled/);
  });

  it('skips when nothing or something else was pasted', async () => {
    expect((await run([])).status).toBe('skip');
    const other = await run([sample('netsh-urlacl.healthy.txt')]);
    expect(other.status).toBe('skip');
    expect(other.summary).toContain('Get-MsolDomainFederationSettings');
  });
});
