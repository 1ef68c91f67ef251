// Pasted text as the portal submits it: numbered by the form's paste boxes, judged with the lines quoted by box,
// and named in words in the report's input section.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PASTE_KIND_LABEL } from '@/components/report/paste-labels';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { sample } from '@/test/paste/variants';
import { PASTE_KINDS } from '@/lib/paste/types';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import { diagnosisInput, parseSubmission } from '@/lib/report/service';

describe('pastes submitted through the portal', () => {
  it('every paste kind has a short name for the report', () => {
    expect(Object.keys(PASTE_KIND_LABEL).sort()).toEqual([...PASTE_KINDS].sort());
    for (const v of Object.values(PASTE_KIND_LABEL)) expect(v.length).toBeLessThan(45);
  });

  it('are named by box position, empty boxes included, and quoted by that name', async () => {
    const form = new FormData();
    // A set needs at least one certificate to be accepted (the pastes are what this test is about).
    form.append('certificates', new File([new Uint8Array(readFileSync('test/fixtures/pkits/certs/GoodCACert.crt'))], 'ca.cer'));
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    form.append('pasted', crlf(`PS C:\\> netsh http show sslcert\n${sample('netsh-sslcert.broken.txt')}\nPS C:\\> Get-AdfsAuthenticationProvider\n${sample('adfs-auth-provider.healthy.txt')}`));
    form.append('pasted', '   ');
    form.append('pasted', 'My smart card does not work\nplease help');
    form.append('pasted', 'PS C:\\> \nPS C:\\> ');
    // A file part is read as text (curl -F pasted=@msol.txt).
    form.append('pasted', new File([sample('msol-federation.healthy.txt')], 'msol.txt'));
    const s = await parseSubmission(form);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.value.pasteBoxes.map((b) => b.name)).toEqual(['paste 1', 'paste 3', 'paste 4', 'paste 5']);
    const report = await runDiagnosis(diagnosisInput(s.value), { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 1000 }, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
    const ev = report.checks.find((c) => c.id === 'config.paste')!.evidence as Record<string, { source: string; kind?: string }[]>;
    expect(ev.recognised.map((r) => `${r.source} ${r.kind}`)).toEqual(['paste 1 netsh-sslcert', 'paste 1 adfs-auth-provider', 'paste 5 msol-federation']);
    expect(ev.unrecognised.map((r) => r.source)).toEqual(['paste 3']);
    expect(ev.empty).toEqual(['paste 4']);
    expect(report.checks.find((c) => c.id === 'config.sslcert')?.summary).toMatch(/\(paste 1 line 47: "Ctl Store Name : AdfsTrustedDevices"\)/);
    expect(report.checks.find((c) => c.id === 'config.prompt-login')?.summary).toContain('paste 5 line 14: "PromptLoginBehavior : Disabled"');
    expect(report.input.pasted.map((p) => `${PASTE_KIND_LABEL[p.kind as keyof typeof PASTE_KIND_LABEL]} (${p.lines})`)).toEqual([
      'netsh http show sslcert (66)',
      'Get-AdfsAuthenticationProvider (42)',
      'Get-MsolDomainFederationSettings (30)',
    ]);
  });
});
