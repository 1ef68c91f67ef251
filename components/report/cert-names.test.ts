import { describe, expect, it } from 'vitest';
import { certNames, nameOfRef, withCertNames } from './cert-names';

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
