import { beforeAll, describe, expect, it } from 'vitest';
import { sample, withPrompt } from '@/test/paste/variants';
import type { Pki } from '@/test/pki/gen';
import { contosoPki, ISSUING_CRL } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';

const ID = 'config.winhttp-proxy';
let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});
const judge = async (pastes: (string | { text: string; node?: string })[], withChain = true) => resultOf(await diagnosePastes({ pastes, certs: withChain ? [pki.user, pki.ca, pki.root] : [] }), ID);
const DIRECT = () => sample('windows/winhttp-proxy.direct.txt');
const PROXY = () => sample('windows/winhttp-proxy.proxy.txt');
const CERTUTIL_BROKEN = () => withPrompt(sample('certutil-urlfetch.broken.txt'), 'certutil -verify -urlfetch usercert.cer', 'cmd');

describe('config.winhttp-proxy', () => {
  it('direct access alone: info, saying what cannot be judged from here', async () => {
    const r = await judge([DIRECT()]);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('WinHTTP goes direct, with no proxy (line 5: "Direct access (no proxy server).")');
    expect(r.summary).toContain('pki.contoso.com');
    expect(r.summary).toContain('CBA Doctor cannot tell from here');
    expect(r.evidence).toMatchObject({ crlUrls: expect.arrayContaining([ISSUING_CRL]) });
  });

  it("direct access and the same server's certutil could not reach the CRL: fail, with the proxy command", async () => {
    const r = await judge([{ text: DIRECT(), node: 'WAP01' }, { text: CERTUTIL_BROKEN(), node: 'WAP01' }]);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('WAP01: WinHTTP goes direct');
    expect(r.summary).toContain('0x80072ee7');
    expect(r.remediation?.[0].command).toBe('netsh winhttp set proxy proxy-server="<proxy>:<port>" bypass-list="<local>"');
  });

  it('another node\'s certutil failure is not held against this one', async () => {
    const r = await judge([{ text: DIRECT(), node: 'WAP01' }, { text: CERTUTIL_BROKEN(), node: 'WAP02' }]);
    expect(r.status).toBe('info');
  });

  it('a proxy whose bypass list names the CRL host: warn, with the host', async () => {
    const r = await judge([PROXY()]);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('sends pki.contoso.com, crl.contoso.com around it');
    expect(r.remediation?.[0].command).toBe('netsh winhttp set proxy proxy-server="proxy.contoso.com:8080" bypass-list="<local>"');
  });

  it('a proxy that does not bypass the CRL hosts: pass', async () => {
    const r = await judge([PROXY().replace('*.contoso.com;<local>', '*.corp.contoso.com;<local>')]);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('not bypassed');
  });

  it('without any CRL URL it says so', async () => {
    const r = await judge([DIRECT()], false);
    expect(r.status).toBe('info');
    expect(r.summary).toContain('No CRL URL is known');
  });
});
