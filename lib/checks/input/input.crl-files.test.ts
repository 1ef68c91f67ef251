import { describe, expect, it } from 'vitest';
import { diagnose, result } from '@/test/pki/diagnose';
import { makeCrl, makePki } from '@/test/pki/gen';

describe('input.crl-files', () => {
  it('skips without CRL files, passes DER and PEM CRLs, and fails a file that is not a CRL with its name', async () => {
    const pki = await makePki();
    const none = await diagnose({ certs: [pki.user], ids: ['input.crl-files'] });
    expect(result(none, 'input.crl-files').status).toBe('skip');

    const crl = await makeCrl({ issuer: pki.ca });
    const ok = await diagnose({ certs: [pki.user], ids: ['input.crl-files'], crlFiles: [{ name: 'ca.crl', bytes: crl.der }, { name: 'ca.pem.crl', bytes: new TextEncoder().encode(crl.pem) }] });
    const r = result(ok, 'input.crl-files');
    expect(r.status).toBe('pass');
    expect(r.evidence.files).toMatchObject([{ fileName: 'ca.crl', format: 'der' }, { fileName: 'ca.pem.crl', format: 'pem' }]);

    const bad = await diagnose({ certs: [pki.user], ids: ['input.crl-files'], crlFiles: [{ name: 'ca.crl', bytes: crl.der }, { name: 'user.cer', bytes: pki.user.der }] });
    const b = result(bad, 'input.crl-files');
    expect(b.status).toBe('fail');
    expect(b.summary).toContain('user.cer');
    expect(b.remediation[0].command).toContain('user.cer');
  });
});
