// Issue 14: pastes labelled with the server they came from. Every server-side config check judges each node on
// its own, names the node in its findings, and shows nodes that disagree side by side; unlabelled pastes keep
// working as before.
import { beforeAll, describe, expect, it } from 'vitest';
import { contosoPki } from '@/lib/checks/config/contoso-pki';
import { diagnosePastes, resultOf } from '@/lib/checks/config/testing';
import { sample } from '@/test/paste/variants';
import { certutilStore } from '@/test/paste/windows';
import type { Pki } from '@/test/pki/gen';

let pki: Pki;
beforeAll(async () => {
  pki = await contosoPki();
});

describe('per-node pastes', () => {
  it('config.sslcert: a healthy and a broken node side by side, each finding naming its node', async () => {
    const r = await diagnosePastes({
      pastes: [
        { text: sample('netsh-sslcert.healthy.txt'), node: 'ADFS01' },
        { text: sample('netsh-sslcert.broken.txt'), node: 'ADFS02' },
      ],
    });
    const c = resultOf(r, 'config.sslcert');
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/^The nodes disagree: ADFS01 pass, ADFS02 fail\. ADFS01: .* ADFS02: /);
    expect(c.summary).toContain('paste 2 from ADFS02, line');
    expect(c.evidence).toMatchObject({ sideBySide: [{ node: 'ADFS01', status: 'pass' }, { node: 'ADFS02', status: 'fail' }] });
    expect(c.remediation!.every((x) => x.text.startsWith('On ADFS02: '))).toBe(true);
    expect(r.input.pasted).toEqual([
      { kind: 'netsh-sslcert', lines: expect.any(Number), node: 'ADFS01' },
      { kind: 'netsh-sslcert', lines: expect.any(Number), node: 'ADFS02' },
    ]);
  });

  it('config.server-stores: one node has the intermediate in its CA store, the other not', async () => {
    const withCa = certutilStore('CA', 'Intermediate Certification Authorities', [pki.ca], { command: 'certutil -store CA' });
    const without = certutilStore('CA', 'Intermediate Certification Authorities', [], { command: 'certutil -store CA' });
    const r = await diagnosePastes({ pastes: [{ text: withCa, node: 'wap01.contoso.com' }, { text: without, node: 'wap02.contoso.com' }], certs: [pki.user, pki.ca, pki.root] });
    const c = resultOf(r, 'config.server-stores');
    expect(c.status).toBe('warn');
    expect(c.evidence).toMatchObject({ sideBySide: [{ node: 'wap01.contoso.com', status: 'pass' }, { node: 'wap02.contoso.com', status: 'warn' }] });
    expect(c.summary).toContain('wap02.contoso.com: The intermediate CN=Contoso Issuing CA, DC=contoso, DC=com is not in the Intermediate store');
    expect(c.remediation!.map((x) => x.text)).toEqual(['On wap02.contoso.com: Add Contoso Issuing CA to the Intermediate store on every AD FS and Web Application Proxy server:']);
  });

  it('two nodes that agree: one verdict per node, no disagreement line', async () => {
    const r = await diagnosePastes({ pastes: [{ text: sample('netsh-urlacl.healthy.txt'), node: 'ADFS01' }, { text: sample('netsh-urlacl.healthy.txt'), node: 'ADFS02' }] });
    const c = resultOf(r, 'config.urlacl');
    expect(c.status).toBe('pass');
    expect(c.summary).not.toContain('disagree');
    expect(c.summary).toMatch(/^ADFS01: .* ADFS02: /);
  });

  it('unlabelled pastes are judged as before, and next to labelled ones they form their own group', async () => {
    const plain = resultOf(await diagnosePastes({ pastes: [sample('netsh-sslcert.broken.txt')] }), 'config.sslcert');
    expect(plain.status).toBe('fail');
    expect(plain.evidence).not.toHaveProperty('sideBySide');
    const mixed = resultOf(await diagnosePastes({ pastes: [sample('netsh-sslcert.broken.txt'), { text: sample('netsh-sslcert.healthy.txt'), node: 'ADFS01' }] }), 'config.sslcert');
    expect(mixed.evidence).toMatchObject({ sideBySide: [{ node: 'unlabelled pastes', status: 'fail' }, { node: 'ADFS01', status: 'pass' }] });
  });
});
