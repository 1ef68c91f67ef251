import { beforeAll, describe, expect, it } from 'vitest';
import { sample, withPrompt } from '@/test/paste/variants';
import type { Pki } from '@/test/pki/gen';
import { contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';

const ID = 'config.server-stores';
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const judge = async (pastes: string[], withChain = true) =>
  resultOf(await diagnosePastes({ pastes, certs: withChain ? [pki.user, pki.ca, pki.root] : [] }), ID);
const ROOT_STORE = () => sample('verifystore-root.healthy.txt');
/** The sample store with the Contoso root's thumbprint replaced by the generated root's. */
const withOurRoot = (t: string) => t.replace('f16cbc67850529c4caf3345b7988737aa9dafc62', pki.root.cert.sha1.toLowerCase());
const certBlock = (t: string, cn: string) => {
  const parts = t.split(/\n(?==+ Certificate \d+ =+)/).map((p) => `${p}\n`);
  return parts.find((p) => p.includes(`Subject: CN=${cn}`))!;
};

describe('config.server-stores', () => {
  it('passes the healthy Root store on its own, and says the root was not looked up', async () => {
    const r = await judge([ROOT_STORE()], false);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('Every certificate in the pasted Trusted Root store');
    expect(r.summary).toContain('No certificate chain was uploaded');
  });

  it('fails a certificate that is not self-signed in the Root store', async () => {
    const r = await judge([sample('verifystore-root.broken.txt')], false);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('CN=Contoso Issuing CA, DC=contoso, DC=com (issued by CN=Contoso Root CA, O=Contoso, C=US) is in the Trusted Root store but is not self-signed (line 54, serial 6100000002a1b9c4e7d25f8b63000000000002)');
    expect(r.remediation[0].command).toBe('certutil -delstore Root 6100000002a1b9c4e7d25f8b63000000000002\ncertutil -addstore -f CA Contoso-Issuing-CA.cer');
  });

  it("passes when the user's root is in the Root store, matched by thumbprint", async () => {
    const r = await judge([withOurRoot(ROOT_STORE())]);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain("the user's root CN=Contoso Root CA, O=Contoso, C=US is in the Trusted Root store (line 38)".replace(/^t/, 'T'));
  });

  it('warns when only the name matches', async () => {
    const r = await judge([ROOT_STORE()]);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('its thumbprint is not the one of the uploaded root');
  });

  it("fails when the user's root is missing from the Root store", async () => {
    const t = ROOT_STORE().replace(certBlock(ROOT_STORE(), 'Contoso Root CA'), '');
    const r = await judge([t]);
    expect(r.status).toBe('fail');
    expect(r.remediation[0].command).toBe('certutil -addstore -f Root Contoso-Root-CA.cer');
  });

  it('checks the intermediates in the CA store', async () => {
    const issuing = certBlock(sample('verifystore-root.broken.txt'), 'Contoso Issuing CA').replace('eebd3c4afabdaf79f1d118fa23282eab9d8a0fab', pki.ca.cert.sha1.toLowerCase());
    const ca = withPrompt(`CA "Intermediate Certification Authorities"\n${issuing}\nCertUtil: -verifystore command completed successfully.`, 'certutil -verifystore CA', 'cmd');
    const both = await judge([withOurRoot(ROOT_STORE()), ca]);
    expect(both.status).toBe('pass');
    expect(both.summary).toContain('the intermediate CN=Contoso Issuing CA, DC=contoso, DC=com is in the Intermediate store');
    const empty = await judge([withOurRoot(ROOT_STORE()), 'CA "Intermediate Certification Authorities"\nCertUtil: -verifystore command completed successfully.']);
    // An empty store listed whole (header and closing line) is an answer: the intermediate is not in it.
    expect(empty.status).toBe('warn');
    expect(empty.summary).toContain('The intermediate CN=Contoso Issuing CA, DC=contoso, DC=com is not in the Intermediate store');
    const other = certBlock(ROOT_STORE(), 'DigiCert Global Root G2');
    const missing = await judge([withOurRoot(ROOT_STORE()), `CA "Intermediate Certification Authorities"\n${other}`]);
    expect(missing.status).toBe('warn');
    expect(missing.remediation[0].command).toBe('certutil -addstore -f CA Contoso-Issuing-CA.cer');
  });

  it('gives info when the store cannot be told', async () => {
    const r = await judge([ROOT_STORE().split('\n').slice(1).join('\n')], false);
    expect(r.status).toBe('info');
  });

  it('names the paste of every line it quotes when several were pasted', async () => {
    const broken = await judge([sample('netsh-urlacl.healthy.txt'), sample('verifystore-root.broken.txt')], false);
    expect(broken.summary).toContain('is in the Trusted Root store but is not self-signed (paste 2 line 54, serial 6100000002a1b9c4e7d25f8b63000000000002)');
    const r = await judge([sample('netsh-urlacl.healthy.txt'), withOurRoot(ROOT_STORE())]);
    expect(r.summary).toContain("the user's root CN=Contoso Root CA, O=Contoso, C=US is in the Trusted Root store (paste 2 line 38)".replace(/^t/, 'T'));
    expect((r.evidence as { chainCas: { found: unknown }[] }).chainCas[0].found).toEqual({ source: 'paste 2', line: 38, by: 'thumbprint' });
  });
});
