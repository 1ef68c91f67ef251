import { describe, expect, it } from 'vitest';
import { certNames, nameOfRef, withCertNames } from '@/components/report/cert-names';

const certs = [
  { ref: 'c1', fileName: 'alice.cer', subject: 'CN=Alice Smith, O=Contoso', issuer: 'CN=CA', serialNumber: '01', notBefore: '', notAfter: '', role: 'user' as const },
  { ref: 'c2', fileName: 'ca.cer', subject: 'CN=CA', issuer: 'CN=Root', serialNumber: '02', notBefore: '', notAfter: '', role: 'intermediate' as const },
];

describe('certificate refs shown as names', () => {
  const names = certNames(certs as never);
  it('maps a known ref to file name and subject, or the file name alone', () => {
    expect(nameOfRef(names, 'c1')).toBe('alice.cer (CN=Alice Smith, O=Contoso)');
    expect(nameOfRef(names, 'c2', true)).toBe('ca.cer');
    expect(nameOfRef(names, 'c3')).toBeUndefined();
    expect(nameOfRef(names, 'abc1')).toBeUndefined();
  });
  it('replaces whole-word refs in text and leaves other words alone', () => {
    expect(withCertNames(names, 'The signature verifies with c2, not c12 or abc1.')).toBe('The signature verifies with "ca.cer", not c12 or abc1.');
    expect(withCertNames(certNames([]), 'c1')).toBe('c1');
  });
});

describe('Copy as Markdown names certificates by file', () => {
  it('a real report whose summary holds a ref (CRL without AKI) reads the file name instead', async () => {
    const { makeCrl, makePki } = await import('@/test/pki/gen');
    const { diagnose, result } = await import('@/test/pki/diagnose');
    const { reportToMarkdown } = await import('@/components/report/markdown');
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256' } });
    const crl = await makeCrl({ issuer: pki.ca, aki: false });
    const report = await diagnose({ certs: [pki.user, pki.ca, pki.root], upn: 'alice@contoso.com', crlFiles: [{ name: 'issuing.crl', bytes: crl.der }] });
    const raw = result(report, 'crl.signature').summary;
    expect(raw).toMatch(/\bc2\b/); // the engine speaks in refs
    const text = reportToMarkdown(report, 'https://cba.example/r/x');
    const line = text.split('\n').find((l) => l.includes('`crl.signature`'))!;
    expect(line).toContain('"cert2.cer"');
    expect(line).not.toMatch(/\bc\d+\b/);
  });
});
