import { describe, expect, it } from 'vitest';
import { sample, unwrapFormatList, wrapFormatList } from '@/test/paste/variants';
import { configCertProvider } from './config.cert-provider';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (...pastes: string[]) => runCheck(configCertProvider, pasteArtifacts(pastes));
const edit = (text: string, f: (recs: ReturnType<typeof unwrapFormatList>) => ReturnType<typeof unwrapFormatList>) => wrapFormatList(f(unwrapFormatList(text)), 120);
const setProp = (name: string, value: string) => (recs: ReturnType<typeof unwrapFormatList>) =>
  recs.map((r) => (r.some((p) => p.value === 'CertificateAuthentication') ? r.map((p) => (p.name === name ? { ...p, value } : p)) : r));

describe('config.cert-provider', () => {
  it('passes the healthy output and reports the intranet setting', async () => {
    const o = await run(sample('adfs-auth-provider.healthy.txt'));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('line 31: "AllowedForPrimaryExtranet : True"');
    expect(o.summary).toContain('Intranet certificate sign-in is enabled too');
    expect(o.evidence).toMatchObject({ outputs: [{ certificateAuthentication: { extranet: { line: 31 }, intranet: { line: 32 } }, status: 'pass' }] });
  });

  it('fails the broken output and keeps the other extranet providers in the command', async () => {
    const o = await run(sample('adfs-auth-provider.broken.txt'));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('line 31: "AllowedForPrimaryExtranet : False"');
    expect(o.remediation![0].command).toBe("Set-AdfsGlobalAuthenticationPolicy -PrimaryExtranetAuthenticationProvider @('FormsAuthentication', 'CertificateAuthentication')");
    // The intranet is already allowed: no intranet command.
    expect(o.remediation!.map((r) => r.command).join('\n')).not.toContain('PrimaryIntranet');
  });

  it('mentions the optional intranet command when the intranet is off too', async () => {
    const t = edit(sample('adfs-auth-provider.broken.txt'), setProp('AllowedForPrimaryIntranet', 'False'));
    const o = await run(t);
    expect(o.status).toBe('fail');
    expect(o.remediation!.map((r) => r.command)).toContain("Set-AdfsGlobalAuthenticationPolicy -PrimaryIntranetAuthenticationProvider @('FormsAuthentication', 'WindowsAuthentication', 'CertificateAuthentication')");
  });

  it('passes with intranet off, and says so', async () => {
    const o = await run(edit(sample('adfs-auth-provider.healthy.txt'), setProp('AllowedForPrimaryIntranet', 'False')));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('Intranet certificate sign-in is not enabled');
  });

  it('fails when the certificate provider is missing', async () => {
    const t = edit(sample('adfs-auth-provider.healthy.txt'), (recs) => recs.filter((r) => !r.some((p) => p.value === 'CertificateAuthentication')));
    const o = await run(t);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('not in the list (FormsAuthentication, WindowsAuthentication)');
    expect(o.evidence).toMatchObject({ outputs: [{ certificateAuthentication: null }] });
  });

  it('skips without a pasted provider list', async () => {
    expect((await run(sample('trusted-ca.healthy.txt'))).status).toBe('skip');
  });
});
