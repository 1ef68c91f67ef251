import { beforeAll, describe, expect, it } from 'vitest';
import { crlf, sample } from '@/test/paste/variants';
import { certutilStore } from '@/test/paste/windows';
import type { Pki } from '@/test/pki/gen';
import { contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';

const ID = 'config.adfs-bindings';
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const judge = async (pastes: string[], withChain = false) => resultOf(await diagnosePastes({ pastes, certs: withChain ? [pki.user, pki.ca, pki.root] : [] }), ID);
const PROPS = () => sample('windows/adfs-properties.txt');
const SSL = () => sample('windows/adfs-ssl-certificate.txt');

describe('config.adfs-bindings', () => {
  it('passes a consistent server: TlsClientPort 49443 bound with the AD FS certificate, app id, negotiation, no CTL', async () => {
    const r = await judge([PROPS(), SSL(), sample('netsh-sslcert.healthy.txt')]);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('Get-AdfsSslCertificate lists the certificate endpoint sts.contoso.com:49443');
    expect(r.summary).toContain('Every AD FS binding in http.sys (4) carries the AD FS SSL certificate 3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90');
    expect(r.summary).toContain("is the AD FS application's, negotiates client certificates and uses no CTL store");
  });

  it('fails a CTL store on the certificate binding whose contents were not pasted', async () => {
    const r = await judge([PROPS(), SSL(), sample('netsh-sslcert.broken.txt')]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('uses the CTL store AdfsTrustedDevices');
    expect(r.summary).toContain('its contents were not pasted (certutil -store AdfsTrustedDevices)');
    expect(r.remediation?.[0].command).toBe('Set-AdfsSslCertificate -Thumbprint 3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90');
    expect(r.remediation?.[1].command).toBe(
      'netsh http delete sslcert hostnameport=sts.contoso.com:49443\nnetsh http add sslcert hostnameport=sts.contoso.com:49443 certhash=3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90 appid={5d89a20c-beab-4389-9447-324788eb944a} certstorename=MY clientcertnegotiation=enable',
    );
  });

  it('warns (not fails) when the CTL store is pasted and names the user CA', async () => {
    const store = certutilStore('AdfsTrustedDevices', 'AdfsTrustedDevices', [pki.ca], { command: 'certutil -store AdfsTrustedDevices' });
    const r = await judge([PROPS(), SSL(), sample('netsh-sslcert.broken.txt'), store], true);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('its pasted contents hold CN=Contoso Issuing CA, DC=contoso, DC=com');
  });

  it('fails when TlsClientPort has no binding, naming the port and where it came from', async () => {
    const r = await judge([crlf(PROPS().replace('TlsClientPort : 49443', 'TlsClientPort : 49444')), SSL(), sample('netsh-sslcert.healthy.txt')]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('Get-AdfsSslCertificate lists no binding for sts.contoso.com:49444 or certauth.sts.contoso.com:443 (TLS client port 49444: line 6: "TlsClientPort : 49444")');
    expect(r.summary).toContain('http.sys has no binding for sts.contoso.com:49444');
  });

  it('fails a binding with another certificate than the AD FS SSL certificate', async () => {
    const other = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
    const ssl = SSL().replace(/(sts\.contoso\.com\s+49443 )3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90/, `$1${other}`);
    const r = await judge([PROPS(), ssl]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`sts.contoso.com:49443 uses certificate ${other.toLowerCase()}, not the AD FS SSL certificate 3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90`);
  });

  it('reads the alternate binding certauth.<host>:443 as the certificate endpoint', async () => {
    const ssl = SSL().replace(/sts\.contoso\.com(\s+)49443/, 'certauth.sts.contoso.com  443');
    const r = await judge([PROPS(), ssl]);
    expect(r.summary).toContain('certificate endpoint certauth.sts.contoso.com:443');
  });

  it('reads Get-AdfsSslCertificate as Format-List too, and skips without either AD FS output', async () => {
    const list = 'HostName        : sts.contoso.com\nPortNumber      : 443\nCertificateHash : 3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90\n\nHostName        : sts.contoso.com\nPortNumber      : 49443\nCertificateHash : 3F9B1C2E7A54D08E6B21C9F04D7E8A35B16C2F90\n';
    const r = await judge([PROPS(), list]);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('netsh http show sslcert was not pasted');
    expect((await judge([sample('netsh-sslcert.healthy.txt')])).status).toBe('skip');
  });
});
