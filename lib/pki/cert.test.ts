import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from './cert';

const pk = (n: string) => new Uint8Array(readFileSync(`test/fixtures/pkits/certs/${n}.crt`));

describe('parseCertificate', () => {
  it('reads names, keys and extensions of a PKITS certificate', () => {
    const c = parseCertificate(pk('GoodCACert'));
    expect(c.subject.display).toBe('CN=Good CA, O=Test Certificates 2011, C=US');
    expect(c.issuer.display).toBe('CN=Trust Anchor, O=Test Certificates 2011, C=US');
    expect(c.basicConstraints?.ca).toBe(true);
    expect(c.publicKey.algorithm).toBe('RSA');
    expect(c.publicKey.bits).toBe(2048);
    expect(c.ski).toMatch(/^[0-9a-f]+$/);
    expect(c.aki?.keyId).toMatch(/^[0-9a-f]+$/);
    expect(c.keyUsage?.names).toContain('keyCertSign');
    expect(c.selfIssued).toBe(false);
    const root = parseCertificate(pk('TrustAnchorRootCertificate'));
    expect(root.selfIssued).toBe(true);
    expect(root.ski).toBe(c.aki?.keyId);
  });
});
