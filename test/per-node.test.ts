// Issue 14: pastes labelled with the server they came from. Every server-side config check judges each node on
// its own, names the node in its findings, and shows nodes that disagree side by side; unlabelled pastes keep
// working as before.
import { beforeAll, describe, expect, it } from 'vitest';
import { contosoPki } from '@/test/checks/contoso-pki';
import { diagnosePastes, resultOf } from '@/test/checks/config';
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
    expect(c.remediation!.map((x) => x.text)).toEqual(['On wap02.contoso.com: Add Contoso Issuing CA to the Intermediate store on every AD FS and Web Application Proxy server (export its certificate as Contoso-Issuing-CA.cer first):']);
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

describe('per-node labels at the edges', () => {
  it('the portal/API: pastedNode[i] labels pasted[i]; a bad name is refused with its box, nothing stored', async () => {
    const { parseSubmission, diagnosisInput } = await import('@/lib/report/service');
    const cert = () => new File([new Uint8Array(pki.user.der)], 'user.cer');
    const form = new FormData();
    form.append('certificates', cert());
    form.append('pasted', sample('netsh-sslcert.healthy.txt'));
    form.append('pasted', sample('netsh-sslcert.broken.txt'));
    form.append('pastedNode', ' ADFS01 ');
    form.append('pastedNode', 'adfs02.contoso.com.');
    const s = await parseSubmission(form);
    expect(s.ok && diagnosisInput(s.value).pasted.map((p) => [p.name, p.node])).toEqual([
      ['paste 1', 'ADFS01'],
      ['paste 2', 'adfs02.contoso.com'],
    ]);
    const bad = new FormData();
    bad.append('certificates', cert());
    bad.append('pasted', 'x');
    bad.append('pasted', 'y');
    bad.append('pastedNode', '');
    bad.append('pastedNode', 'adfs01 & calc.exe');
    const b = await parseSubmission(bad);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.error).toMatchObject({ field: 'pastedNode', reason: 'invalid', box: 1 });
    const unlabelled = new FormData();
    unlabelled.append('certificates', cert());
    unlabelled.append('pasted', 'x');
    const u = await parseSubmission(unlabelled);
    expect(u.ok && diagnosisInput(u.value).pasted).toEqual([{ name: 'paste 1', text: 'x' }]);
  });

  it('the CLI: --paste NODE=FILE labels, --paste FILE does not, a bad label is a usage error', async () => {
    const { spawnSync } = await import('node:child_process');
    const path = await import('node:path');
    const fix = (f: string) => path.resolve('test/fixtures/paste', f);
    const run = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/cba-doctor'), 'diagnose', '--cert', path.resolve('test/fixtures/pkits/certs/ValidCertificatePathTest1EE.crt'), ...args, '--offline', '--json'], { encoding: 'utf8' });
    const r = run('--paste', `ADFS01=${fix('netsh-sslcert.healthy.txt')}`, '--paste', `ADFS02=${fix('netsh-sslcert.broken.txt')}`, '--paste', fix('netsh-urlacl.healthy.txt'));
    const report = JSON.parse(r.stdout);
    expect(report.input.pasted.map((p: { node?: string }) => p.node ?? null)).toEqual(['ADFS01', 'ADFS02', null]);
    const c = report.checks.find((x: { id: string }) => x.id === 'config.sslcert');
    expect(c.evidence.sideBySide.map((x: { node: string; status: string }) => `${x.node} ${x.status}`)).toEqual(['ADFS01 pass', 'ADFS02 fail']);
    expect(r.status).toBe(1);
    const bad = run('--paste', `bad;name=${fix('netsh-sslcert.healthy.txt')}`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not a server name');
  });
});
