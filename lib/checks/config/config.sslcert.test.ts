import { describe, expect, it } from 'vitest';
import { sample } from '@/test/paste/variants';
import { configSslCert } from './config.sslcert';
import { pasteArtifacts, runCheck } from '@/test/checks/config';

const run = (pastes: string[], input = {}) => runCheck(configSslCert, pasteArtifacts(pastes, { input }));
const HEALTHY = sample('netsh-sslcert.healthy.txt');
/** The text of the sts.contoso.com:49443 binding only. */
const on49443 = (t: string, from: string, to: string) => {
  const i = t.indexOf('sts.contoso.com:49443');
  const end = t.indexOf('\n\n', i);
  return t.slice(0, i) + t.slice(i, end).replace(from, to) + t.slice(end);
};

describe('config.sslcert', () => {
  it('passes the healthy bindings, finding the federation host from the 443 binding', async () => {
    const o = await run([HEALTHY]);
    expect(o.status).toBe('pass');
    expect(o.summary).toContain('The binding sts.contoso.com:49443 (line 36) negotiates client certificates and uses no CTL store');
    expect(o.evidence).toMatchObject({ federationHost: 'sts.contoso.com', outputs: [{ certificateAuthenticationBindings: [{ endpoint: 'sts.contoso.com:49443', ctlStoreName: null, negotiateClientCertificate: true }] }] });
  });

  it('fails the AdfsTrustedDevices CTL store on the certificate port and rebuilds the binding', async () => {
    const o = await run([sample('netsh-sslcert.broken.txt')]);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('line 46: "Ctl Store Name : AdfsTrustedDevices"');
    expect(o.evidence).toMatchObject({ outputs: [{ certificateAuthenticationBindings: [{ ctlStoreName: 'AdfsTrustedDevices', ctlStoreLine: { line: 46 }, status: 'fail' }] }] });
    expect(o.remediation![0].command).toBe(
      'netsh http delete sslcert hostnameport=sts.contoso.com:49443\nnetsh http add sslcert hostnameport=sts.contoso.com:49443 certhash=3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90 appid={5d89a20c-beab-4389-9447-324788eb944a} certstorename=MY clientcertnegotiation=enable',
    );
    expect(o.remediation![1].command).toBe('Set-AdfsSslCertificate -Thumbprint 3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90');
  });

  it('fails when client certificate negotiation is disabled', async () => {
    const o = await run([on49443(HEALTHY, 'Negotiate Client Certificate : Enabled', 'Negotiate Client Certificate : Disabled')]);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('client certificate negotiation is disabled');
  });

  it('fails when there is no binding for the certificate port', async () => {
    const t = HEALTHY.replace('sts.contoso.com:49443', 'sts.contoso.com:4443');
    const o = await run([t]);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('no binding for sts.contoso.com:49443');
    expect(o.remediation![0].command).toBe('netsh http add sslcert hostnameport=sts.contoso.com:49443 certhash=3f9b1c2e7a54d08e6b21c9f04d7e8a35b16c2f90 appid={5d89a20c-beab-4389-9447-324788eb944a} certstorename=MY clientcertnegotiation=enable');
  });

  it('looks for the typed federation host, and accepts the certauth binding on 443', async () => {
    const other = await run([HEALTHY], { federationHost: 'adfs.fabrikam.com' });
    expect(other.status).toBe('fail');
    expect(other.summary).toContain('bindings on that port: sts.contoso.com:49443');
    const certauth = HEALTHY.replace('sts.contoso.com:49443', 'certauth.sts.contoso.com:443');
    expect((await run([certauth], { federationHost: 'sts.contoso.com' })).status).toBe('pass');
  });

  it('uses the federation host of a pasted federation configuration', async () => {
    const o = await run([sample('msol-federation.healthy.txt'), sample('netsh-sslcert.broken.txt')]);
    expect(o.evidence).toMatchObject({ federationHost: 'sts.contoso.com' });
    expect(o.status).toBe('fail');
  });
});
