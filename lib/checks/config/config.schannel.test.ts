import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '@/test/paste/variants';
import { certutilStore } from '@/test/paste/windows';
import { makeCert, type GenCert, type Pki } from '@/test/pki/gen';
import { estimatedNameBytes } from './config.schannel';
import { contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';

const ID = 'config.schannel';
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const judge = async (pastes: string[], withChain = true) => resultOf(await diagnosePastes({ pastes, certs: withChain ? [pki.user, pki.ca, pki.root] : [] }), ID);
const cai = (certs: GenCert[]) => certutilStore('ClientAuthIssuer', 'Client Authentication Issuers', certs, { command: 'certutil -store ClientAuthIssuer' });
const REG = {
  default: () => sample('windows/reg-schannel.default.txt'),
  exclusiveCa: () => sample('windows/reg-schannel.exclusive-ca.txt'),
  exclusiveRoot: () => sample('windows/reg-schannel.exclusive-root.txt'),
};

describe('config.schannel', () => {
  it('passes the Windows defaults: no trust-mode values and an empty Client Authentication Issuers store', async () => {
    const r = await judge([REG.default(), sample('windows/clientauthissuer.empty.txt')]);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('The Client Authentication Issuers store is empty');
    expect(r.summary).toContain('Neither ClientAuthTrustMode nor SendTrustedIssuerList is set');
  });

  it('exclusive CA trust (2): passes with the issuing CA in the store, fails without any of the chain', async () => {
    const ok = await judge([REG.exclusiveCa(), cai([pki.ca])]);
    expect(ok.status).toBe('pass');
    expect(ok.summary).toContain('ClientAuthTrustMode is 2, exclusive CA trust (line 5: "ClientAuthTrustMode REG_DWORD 0x2"), and CN=Contoso Issuing CA, DC=contoso, DC=com is in the Client Authentication Issuers store');
    const bad = await judge([REG.exclusiveCa(), sample('windows/clientauthissuer.other-ca.txt')]);
    expect(bad.status).toBe('fail');
    expect(bad.summary).toContain("neither the user's root nor an intermediate of its chain (it lists CN=Fabrikam Partner Issuing CA, O=Fabrikam, C=US)");
    expect(bad.remediation?.[0].command).toBe('certutil -addstore -f ClientAuthIssuer Contoso_Issuing_CA.cer');
  });

  it('exclusive root trust (1): the issuing CA alone is not enough, the root is', async () => {
    expect((await judge([REG.exclusiveRoot(), cai([pki.ca])])).status).toBe('fail');
    const ok = await judge([REG.exclusiveRoot(), cai([pki.root])]);
    expect(ok.status).toBe('pass');
    const unknown = await judge([REG.exclusiveRoot()]);
    expect(unknown.status).toBe('warn');
    expect(unknown.summary).toContain('paste the output of certutil -store ClientAuthIssuer');
  });

  it('machine trust with a non-empty store lacking the user CAs: warn, fail when the list is sent', async () => {
    expect((await judge([REG.default(), sample('windows/clientauthissuer.other-ca.txt')])).status).toBe('warn');
    const sent = REG.default().replace('    EventLogging    REG_DWORD    0x1\r\n', '    EventLogging    REG_DWORD    0x1\r\n    SendTrustedIssuerList    REG_DWORD    0x1\r\n');
    const r = await judge([sent, sample('windows/clientauthissuer.other-ca.txt')]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('it is the list of CA names the server sends');
  });

  it('SendTrustedIssuerList 1: the list size is estimated against 16 KB', async () => {
    // Real certificates with long names: about 300 of them go past 16 KB.
    const names = (n: number) => Array.from({ length: n }, (_, i) => `CN=Contoso Department ${i} Issuing Certification Authority, OU=Public Key Services, O=Contoso Pharmaceuticals International, C=US`);
    const make = async (n: number) => Promise.all(names(n).map((subject) => makeCert({ subject, issuer: pki.root, basicConstraints: { ca: true }, key: 'p256' })));
    const many = await make(130);
    const bytes = many.reduce((s, c) => s + estimatedNameBytes(c.subject), 0);
    expect(bytes).toBeGreaterThan(16 * 1024);
    const r = await judge([REG.exclusiveCa(), cai([pki.ca, ...many])]);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/about (1[6-9]|2\d)\.\d KB of names from the Client Authentication Issuers store: more than the 16 KB/);
    const few = await judge([REG.exclusiveCa(), cai([pki.ca, ...many.slice(0, 20)])]);
    expect(few.status).toBe('pass');
    expect(few.summary).toMatch(/about \d\.\d KB of names, under the 16 KB limit/);
  });

  it('estimates the DER size of a name close to its real encoding', async () => {
    for (const c of [pki.root, pki.ca, pki.user]) {
      const real = c.x509().subjectName.toArrayBuffer().byteLength + 2;
      expect(Math.abs(estimatedNameBytes(c.subject) - real) / real).toBeLessThan(0.1);
    }
  });

  it('skips without the registry or the store', async () => {
    expect((await judge([sample('netsh-urlacl.healthy.txt')])).status).toBe('skip');
  });
});
