import { describe, expect, it } from 'vitest';
import { sample, withPrompt } from '@/test/paste/variants';
import { configCertutil } from './config.certutil';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (...pastes: string[]) => runCheck(configCertutil, pasteArtifacts(pastes));

describe('config.certutil', () => {
  it('passes the healthy run', async () => {
    const o = await run(sample('certutil-urlfetch.healthy.txt'));
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('CN=Alice Smith');
    expect(o.summary).toContain('leaf revocation check passed');
    expect(o.summary).toContain('line 128: "CertUtil: -verify command completed successfully."');
  });

  it('fails the broken run although its last line says success, quoting every failure', async () => {
    const o = await run(sample('certutil-urlfetch.broken.txt'));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('Failed "CDP" in Certificate CDP of CN=Alice Smith for');
    expect(o.summary).toContain('http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl (line 50): The server name or address could not be resolved 0x80072ee7');
    expect(o.summary).toContain('Failed "AIA"');
    expect(o.summary).toContain('chain error CERT_TRUST_REVOCATION_STATUS_UNKNOWN');
    expect(o.summary).toContain('line 115: "ERROR: Verifying leaf certificate revocation status returned');
    expect(o.summary).toContain('even though the last line says "-verify command completed successfully." (line 118)');
    const ev = o.evidence as { outputs: { errors: { line: number }[]; finalLine: { line: number }; chain: { urls: { status: string }[] }[] }[] };
    expect(ev.outputs[0].errors.map((e) => e.line)).toEqual([111, 113, 115, 116]);
    expect(ev.outputs[0].chain[0].urls.map((u) => u.status)).toEqual(['Failed', 'Failed', 'No URLs']);
    const cmds = o.remediation!.map((r) => r.command).filter(Boolean).join('\n');
    expect(cmds).toContain('nslookup pki.contoso.com');
    expect(cmds).toContain('certutil -verify -urlfetch usercert.cer');
  });

  it('fails a run whose verdict line says FAILED', async () => {
    const t = sample('certutil-urlfetch.healthy.txt').replace(
      'CertUtil: -verify command completed successfully.',
      'CertUtil: -verify command FAILED: 0x800b010a (-2146762486 CERT_E_CHAINING)',
    );
    const o = await run(t);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('CERT_E_CHAINING');
    expect(o.remediation!.map((r) => r.command).join('\n')).toContain('certutil -addstore -f CA');
  });

  it('fails an expired CRL', async () => {
    const t = sample('certutil-urlfetch.healthy.txt').replace('  Verified "Base CRL (0b)"', '  Expired "Base CRL (0b)"');
    const o = await run(t);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('Expired "Base CRL (0b)" in Certificate CDP of CN=Contoso Issuing CA for http://crl.contoso.com/pki/Contoso%20Root%20CA.crl');
  });

  it('gives info for output cut before the verdict', async () => {
    const t = sample('certutil-urlfetch.healthy.txt');
    const o = await run(t.slice(0, t.indexOf('Exclude leaf cert:')));
    expect(o.status).toBe('info');
  });

  it('judges each pasted run', async () => {
    const o = await run(withPrompt(sample('certutil-urlfetch.healthy.txt'), 'certutil -verify -urlfetch SubCA.cer', 'cmd'), sample('certutil-urlfetch.broken.txt'));
    expect(o.status).toBe('fail');
    expect((o.evidence as { outputs: { status: string }[] }).outputs.map((x) => x.status)).toEqual(['pass', 'fail']);
  });

  it('names the paste of every line it quotes when several were pasted', async () => {
    const o = await runCheck(configCertutil, pasteArtifacts([sample('certutil-urlfetch.healthy.txt'), { name: 'wap01.txt', text: sample('certutil-urlfetch.broken.txt') }]));
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl (wap01.txt line 50): The server name');
    expect(o.summary).toContain('chain error CERT_TRUST_REVOCATION_STATUS_UNKNOWN (wap01.txt line');
    expect(o.summary).toContain('wap01.txt line 115: "ERROR: Verifying leaf certificate revocation status returned');
    expect(o.summary).toContain('(wap01.txt line 118)');
    expect(o.summary).not.toMatch(/\(line \d/);
  });
});
