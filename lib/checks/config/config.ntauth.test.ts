import { beforeAll, describe, expect, it } from 'vitest';
import { crlf, sample } from '@/test/paste/variants';
import type { Pki } from '@/test/pki/gen';
import { configNtAuth } from './config.ntauth';
import { contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, pasteArtifacts, resultOf, runCheck } from '@/test/checks/config';

const ID = 'config.ntauth';
const SAMPLE_ISSUING = 'eebd3c4afabdaf79f1d118fa23282eab9d8a0fab';
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const ours = (t: string) => t.replaceAll(SAMPLE_ISSUING, pki.ca.cert.sha1.toLowerCase());
const judge = async (pastes: string[], withChain = true) => resultOf(await diagnosePastes({ pastes, certs: withChain ? [pki.user, pki.ca, pki.root] : [] }), ID);

describe('config.ntauth', () => {
  it('passes when the issuing CA is in NTAuth (certutil -enterprise -store NTAuth, CRLF, prompts)', async () => {
    const r = await judge([ours(sample('windows/ntauth.healthy.txt'))]);
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('The issuing CA CN=Contoso Issuing CA, DC=contoso, DC=com is in the NTAuth store (line 15).');
  });

  it('fails when it is missing, with the dspublish command', async () => {
    const r = await judge([ours(sample('windows/ntauth.broken.txt'))]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('is not in the NTAuth store (1 certificate listed)');
    expect(r.remediation?.[0].command).toBe('certutil -dspublish -f Contoso_Issuing_CA.cer NTAuthCA');
    expect(r.remediation?.[1].command).toBe('certutil -pulse\ncertutil -enterprise -store NTAuth');
  });

  it('fails when only a certificate with the same name but another thumbprint is there (a renewed CA)', async () => {
    const r = await judge([sample('windows/ntauth.healthy.txt')]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`thumbprint ${SAMPLE_ISSUING} instead of ${pki.ca.cert.sha1.toLowerCase()}`);
  });

  it('lists the store without a chain, and reads the -viewstore text and LF pastes too', async () => {
    const r = await judge([sample('windows/ntauth.healthy.txt').replace(/\r\n/g, '\n').replace('certutil -enterprise -store NTAuth', 'certutil -viewstore -enterprise NTAuth')], false);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('lists 2 CA certificates (CN=Fabrikam Partner Issuing CA, O=Fabrikam, C=US; CN=Contoso Issuing CA, DC=contoso, DC=com)');
  });

  it('does not apply to Entra native CBA, nor to other stores', async () => {
    const a = pasteArtifacts([crlf(sample('windows/ntauth.healthy.txt'))]);
    expect((await runCheck(configNtAuth, { ...a, target: 'entra' })).status).toBe('skip');
    expect((await judge([sample('verifystore-root.healthy.txt')])).status).toBe('skip');
  });
});
