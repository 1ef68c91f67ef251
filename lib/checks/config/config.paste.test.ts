import { describe, expect, it } from 'vitest';
import { sample } from '@/lib/paste/testing/variants';
import { configPaste } from './config.paste';
import { pasteArtifacts, runCheck } from './testing';

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
});
