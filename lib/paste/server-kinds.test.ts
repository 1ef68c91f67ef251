// Issue 14: the server-side outputs are recognised as Windows prints them (prompts, CRLF, LF, no prompt,
// several in one paste), and each gives the same data whatever the shape.
import { describe, expect, it } from 'vitest';
import { digestAll } from '@/test/paste/digest';
import { crlf, rewrap, sample } from '@/test/paste/variants';
import { parsePaste } from './detect';

const W = (f: string) => sample(`windows/${f}`);
const lf = (t: string) => t.replace(/\r\n/g, '\n');
/** The output without its prompt and command lines. */
const bare = (t: string) => lf(t).split('\n').filter((l) => !/^(PS [^>]*>|[A-Z]:\\[^>]*>)/.test(l)).join('\n');

const CASES: [string, string, unknown][] = [
  ['reg-schannel.exclusive-ca.txt', 'reg-schannel', [['SCHANNEL', 'EventLogging', 'REG_DWORD', '0x1'], ['SCHANNEL', 'ClientAuthTrustMode', 'REG_DWORD', '0x2'], ['SCHANNEL', 'SendTrustedIssuerList', 'REG_DWORD', '0x1']]],
  ['adfs-properties.txt', 'adfs-properties', ['sts.contoso.com', 443, 49443]],
  ['adfs-ssl-certificate.txt', 'adfs-ssl-certificate', ['localhost', 'sts.contoso.com', 'sts.contoso.com', 'enterpriseregistration.contoso.com'].map((h, i) => [h, i === 2 ? 49443 : 443, '3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90'])],
  ['winhttp-proxy.direct.txt', 'winhttp-proxy', [true, null, null]],
  ['winhttp-proxy.proxy.txt', 'winhttp-proxy', [false, 'proxy.contoso.com:8080', ['*.contoso.com', '<local>']]],
];

describe('server-side outputs as Windows prints them', () => {
  it.each(CASES)('%s: with prompts (CRLF), LF, and without prompts', (file, kind, data) => {
    for (const t of [W(file), lf(W(file)), bare(W(file)), crlf(bare(W(file)))]) {
      const r = parsePaste(t);
      expect(r.unknown).toEqual([]);
      expect(digestAll(r)).toEqual([[kind, data]]);
    }
  });

  it('the certificate stores: NTAuth and Client Authentication Issuers, the empty one included', () => {
    const stores = (t: string) => parsePaste(t).blocks.map((b) => (b.kind === 'verifystore' ? [b.data.store, b.data.certificates.length] : b.kind));
    expect(stores(W('ntauth.healthy.txt'))).toEqual([['NTAuth', 2]]);
    expect(stores(W('ntauth.broken.txt'))).toEqual([['NTAuth', 1]]);
    expect(stores(W('clientauthissuer.empty.txt'))).toEqual([['ClientAuthIssuer', 0]]);
    expect(stores(bare(W('clientauthissuer.other-ca.txt')))).toEqual([['ClientAuthIssuer', 1]]);
  });

  it('one paste from one server holding every output, one after the other', () => {
    const all = ['adfs-properties.txt', 'adfs-ssl-certificate.txt', 'reg-schannel.default.txt', 'clientauthissuer.empty.txt', 'ntauth.healthy.txt', 'winhttp-proxy.direct.txt'].map(W).join('\r\n');
    const r = parsePaste(`${all}\r\n${sample('netsh-sslcert.healthy.txt')}`);
    expect(r.blocks.map((b) => b.kind)).toEqual(['adfs-properties', 'adfs-ssl-certificate', 'reg-schannel', 'verifystore', 'verifystore', 'winhttp-proxy', 'netsh-sslcert']);
    expect(r.unknown).toEqual([]);
  });

  it('Get-AdfsProperties re-wrapped, as the whole property list, and as a table', () => {
    const whole = 'AcceptableIdentifiers : {}\nAddProxyAuthorizationRules : c:[Type == "http://schemas.microsoft.com/2012/01/devicecontext/claims/isregistereduser"] => issue(claim = c);\nHostName : sts.contoso.com\nHttpPort : 80\nHttpsPort : 443\nTlsClientPort : 49443\nIdentifier : http://sts.contoso.com/adfs/services/trust\n';
    expect(digestAll(parsePaste(rewrap(whole, 80)))).toEqual([['adfs-properties', ['sts.contoso.com', 443, 49443]]]);
    const table = 'HostName        HttpsPort TlsClientPort\n--------        --------- -------------\nsts.contoso.com       443         49443\n';
    expect(digestAll(parsePaste(table))).toEqual([['adfs-properties', ['sts.contoso.com', 443, 49443]]]);
  });
});
