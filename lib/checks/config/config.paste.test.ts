import { describe, expect, it } from 'vitest';
import { MAX_PASTE_CHARS } from '@/lib/paste/limits';
import { sample, withPrompt } from '@/test/paste/variants';
import { configPaste } from './config.paste';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

describe('config.paste', () => {
  it('lists what was recognised in each pasted text', async () => {
    const o = await runCheck(configPaste, pasteArtifacts([{ name: 'server.txt', text: `${sample('netsh-urlacl.healthy.txt')}\n${sample('netsh-sslcert.healthy.txt')}` }]));
    expect(o.status).toBe('pass');
    expect(o.summary).toBe('Recognised 2 outputs: netsh http show urlacl (server.txt, lines 1-77); netsh http show sslcert (server.txt, lines 80-145).');
  });

  it('gives info naming the text it could not read and the commands it can', async () => {
    const o = await runCheck(configPaste, pasteArtifacts([sample('trusted-ca.healthy.txt'), 'My smart card does not work, see screenshot', '   ']));
    expect(o.status).toBe('info');
    expect(o.summary).toContain('paste 2 lines 1-1 ("My smart card does not work, see screenshot"): Not recognised');
    expect(o.summary).toContain('paste 3 is empty');
    expect(o.summary).toContain('Recognised: Get-AzureADTrustedCertificateAuthority');
    for (const cmd of ['Get-AdfsAuthenticationProvider', 'netsh http show urlacl', 'certutil -verify -urlfetch', 'Get-MsolDomainFederationSettings']) expect(o.summary).toContain(cmd);
    expect((o.evidence as { unrecognised: unknown[] }).unrecognised).toHaveLength(1);
  });

  it('skips when nothing was pasted', async () => {
    expect((await runCheck(configPaste, pasteArtifacts([]))).status).toBe('skip');
  });

  it('keeps where each output is and what it is: line range and count, the command typed, the kind and its label', async () => {
    const text = withPrompt(sample('netsh-urlacl.healthy.txt'), 'netsh http show urlacl');
    const o = await runCheck(configPaste, pasteArtifacts([{ name: 'server.txt', text }]));
    expect((o.evidence as { recognised: unknown[] }).recognised).toEqual([
      { source: 'server.txt', lines: '3-79', command: 'netsh http show urlacl', lineCount: 77, kind: 'netsh-urlacl', label: 'netsh http show urlacl' },
    ]);
  });

  it('writes one sentence per finding', async () => {
    const o = await runCheck(configPaste, pasteArtifacts(['My smart card does not work', '   ', sample('trusted-ca.healthy.txt')]));
    expect(o.summary).toMatch(
      /^paste 1 lines 1-1 \("My smart card does not work"\): Not recognised as the output of a command CBA Doctor reads\. paste 2 is empty\. Recognised: Get-AzureADTrustedCertificateAuthority \(paste 3, lines 1-\d+\)\. CBA Doctor reads: [^.]/,
    );
    expect(o.summary).not.toMatch(/\.\.|\.;/);
  });

  it('names the first outputs and counts the rest when there are many', async () => {
    const o = await runCheck(configPaste, pasteArtifacts(Array.from({ length: 25 }, (_, i) => `note ${i + 1}`)));
    expect(o.summary).toContain('paste 20 lines 1-1 ("note 20"): Not recognised as the output of a command CBA Doctor reads. 5 more findings are listed in the evidence. CBA Doctor reads:');
    expect(o.summary).not.toContain('note 21');
    expect((o.evidence as { unrecognised: unknown[] }).unrecognised).toHaveLength(25);
    const ok = await runCheck(configPaste, pasteArtifacts(Array.from({ length: 22 }, () => sample('netsh-urlacl.healthy.txt'))));
    expect(ok.summary).toMatch(/^Recognised 22 outputs: netsh http show urlacl \(paste 1, lines 1-77\);.* netsh http show urlacl \(paste 20, lines 1-77\); and 2 more outputs \(see the evidence\)\.$/);
  });

  it('says which paste was too large to read, and why', async () => {
    const o = await runCheck(configPaste, pasteArtifacts([sample('netsh-sslcert.healthy.txt'), { name: 'huge.txt', text: 'x\n'.repeat(MAX_PASTE_CHARS) }]));
    expect(o.status).toBe('info');
    expect(o.summary).toMatch(/^huge\.txt was not read: This text is 2\.5 MB long, more than the 1\.25 MB CBA Doctor reads from one paste, so none of it was read\. .* Recognised: netsh http show sslcert \(paste 1, lines 1-\d+\)\./);
    expect((o.evidence as { notRead: unknown[] }).notRead).toEqual([{ source: 'huge.txt', characters: 2 * MAX_PASTE_CHARS, reason: expect.stringContaining('none of it was read') }]);
  });
});
