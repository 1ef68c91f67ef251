import { describe, expect, it } from 'vitest';
import { makeCert } from '@/test/pki/gen';
import { certificatesFromHeader } from './listener';
import { platformOf } from './platform';
import { certauthPublicUrl, hostnameOf, portalPublicUrl } from './config';

describe('platformOf', () => {
  it.each([
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1', 'ios', 'Chrome'],
    ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36', 'android', 'Chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'windows', 'Firefox'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', 'chromeos', 'Chrome'],
    ['curl/8.5.0', 'unknown', undefined],
  ])('%s', (ua, platform, browser) => {
    expect(platformOf(ua)).toEqual({ platform, browser });
  });
});

describe('certificatesFromHeader', () => {
  it('reads nginx $ssl_client_escaped_cert (URL-escaped PEM) and plain PEM', async () => {
    const c = await makeCert({ subject: 'CN=Header User', key: 'p256' });
    expect(certificatesFromHeader(encodeURIComponent(c.pem)).certificates.map((b) => b.toString('hex'))).toEqual([Buffer.from(c.der).toString('hex')]);
    expect(certificatesFromHeader(c.pem.replace(/\n/g, ' ')).certificates).toHaveLength(1);
  });
  it('names the problem of a header that holds no certificate', () => {
    const r = certificatesFromHeader('not%20a%20certificate');
    expect(r.certificates).toEqual([]);
    expect(r.problem).toMatch(/without a certificate/i);
  });
});

describe('settings', () => {
  it('builds the certauth and portal URLs from the host the browser used', () => {
    expect(certauthPublicUrl({ CBA_DOCTOR_CERTAUTH_PORT: '8443' }, 'portal.contoso.com:3000')).toBe('https://portal.contoso.com:8443');
    expect(certauthPublicUrl({ CBA_DOCTOR_CERTAUTH_PORT: '8443', CBA_DOCTOR_CERTAUTH_URL: 'https://certauth.contoso.com/' }, 'x')).toBe('https://certauth.contoso.com');
    expect(certauthPublicUrl({}, 'x')).toBeUndefined();
    expect(hostnameOf('[::1]:8443')).toBe('::1');
    expect(portalPublicUrl({}, '127.0.0.1:8443', { PORT: '3001' })).toBe('http://127.0.0.1:3001');
    expect(portalPublicUrl({ portalUrl: 'https://doctor.contoso.com' }, 'x', {})).toBe('https://doctor.contoso.com');
  });
});
