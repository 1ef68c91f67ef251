import { describe, expect, it } from 'vitest';
import { humanKey } from '@/components/report/evidence';

describe('humanKey', () => {
  it('turns keys into words, with abbreviations as people write them', () => {
    expect(humanKey('freshestCrl')).toBe('Freshest CRL');
    expect(humanKey('crlUrls')).toBe('CRL URLs');
    expect(humanKey('trustedIssuerSki')).toBe('Trusted Issuer SKI');
    expect(humanKey('caNames')).toBe('CA Names');
    expect(humanKey('correlation_id')).toBe('Correlation ID');
    expect(humanKey('serialNumber')).toBe('Serial Number');
    expect(humanKey('ref')).toBe('Certificate');
    expect(humanKey('tlsVersion')).toBe('TLS Version');
    expect(humanKey('https')).toBe('HTTPS');
  });
});
